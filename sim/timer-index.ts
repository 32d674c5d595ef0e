/**
 * Pending timers: timer id -> event-queue slot, so that cancelTimer finds the event to cancel.
 * An open-addressing hash table on typed arrays with linear probing and backward-shift
 * deletion. Timer ids are handed out in sequence, so `id & mask` spreads them evenly; a `Map`
 * here cost more than the rest of scheduling a timer (set on arm, delete on fire).
 */
export class TimerIndex {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Float64Array(size).fill(-1);
    this.vals = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The slot of timer `id`, or -1 when it is not pending. */
  get(id: number): number {
    const keys = this.keys;
    for (let i = id & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i] as number;
      if (k === id) return this.vals[i] as number;
      if (k === -1) return -1;
    }
  }

  set(id: number, slot: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    for (let i = id & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i] as number;
      if (k === id) {
        this.vals[i] = slot;
        return;
      }
      if (k === -1) {
        keys[i] = id;
        this.vals[i] = slot;
        this.count++;
        return;
      }
    }
  }

  delete(id: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = id & mask;
    for (;;) {
      const k = keys[i] as number;
      if (k === -1) return;
      if (k === id) break;
      i = (i + 1) & mask;
    }
    this.count--;
    // Backward-shift: move later entries of the probe run into the hole, so no tombstones.
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = keys[j] as number;
      if (k === -1) break;
      const home = k & mask;
      // Move k if its home is not in the cyclic range (hole, j].
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        keys[hole] = k;
        vals[hole] = vals[j] as number;
        hole = j;
      }
    }
    keys[hole] = -1;
  }

  /** Every pending (id, slot), for a crash to cancel a node's timers. */
  *entries(): Generator<[number, number]> {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number;
      if (k !== -1) yield [k, this.vals[i] as number];
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    this.keys = new Float64Array(oldKeys.length * 2).fill(-1);
    this.vals = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i] as number;
      if (k !== -1) this.set(k, oldVals[i] as number);
    }
  }
}
