import { type Choices, type LabelledDraw, labelledDraw } from './choices.ts';
import { widen } from './typed-arrays.ts';
import type { Micros } from './value.ts';

/**
 * The kernel's event queue: a binary heap of event slots ordered by (time, seq), kept in typed
 * arrays. An event is a slot number; its due time and sequence live in `Float64Array`s and the
 * kernel keeps its payload in parallel columns indexed by the same slot. No object is allocated
 * per event, which is what lets the kernel stay near the speed of a bare heap loop
 * (TOOLCHAIN.md: typed-array heaps run about twice as fast as heaps of objects).
 *
 * Events due at the same instant are not simply FIFO: which of them runs next is a choice
 * ("sched.tie"), so that the explorer and the random runs both reorder same-instant events.
 * Value 0 picks the earliest scheduled, so a shrunk run degenerates to FIFO order.
 *
 * Cancellation is lazy: a cancelled slot stays in the heap and is dropped when it surfaces.
 * A slot is recycled only after it has been popped and the caller has `release`d it.
 */
export class EventQueue {
  /** Due time of each slot (read by timeOf and the tie logic). */
  private times: Float64Array;
  private dead: Uint8Array;
  /**
   * The heap, as three arrays in heap order: slot, due time and sequence. Keeping the keys in
   * heap order (not behind the slot) makes sifting read memory in order.
   */
  private heap: Int32Array;
  private heapTime: Float64Array;
  private heapSeq: Float64Array;
  private heapSize = 0;
  /** Slots never used yet start at `fresh`; released ones wait on the free stack. */
  private fresh = 0;
  private free: Int32Array;
  private freeSize = 0;
  private nextSeq = 0;
  /** Slots already drawn from the heap that are all due at one instant, in seq order. */
  private readonly tie: number[] = [];
  /** Called with the new capacity whenever the slot columns grow (the kernel grows its own). */
  onGrow: ((capacity: number) => void) | undefined;

  private readonly tieDraw: LabelledDraw;

  constructor(choices: Choices, capacity = 1024) {
    this.tieDraw = labelledDraw(choices, 'sched.tie');
    this.times = new Float64Array(capacity);
    this.dead = new Uint8Array(capacity);
    this.heap = new Int32Array(capacity);
    this.heapTime = new Float64Array(capacity);
    this.heapSeq = new Float64Array(capacity);
    this.free = new Int32Array(capacity);
  }

  get capacity(): number {
    return this.times.length;
  }

  /** Due time of a slot (valid until it is released). */
  timeOf(slot: number): Micros {
    return this.times[slot] as number;
  }

  /** Schedules a new event at `time`; returns its slot for the caller to fill in. */
  schedule(time: Micros): number {
    let slot: number;
    if (this.freeSize > 0) slot = this.free[--this.freeSize] as number;
    else {
      if (this.fresh === this.times.length) this.grow();
      slot = this.fresh++;
    }
    const seq = this.nextSeq++;
    this.times[slot] = time;
    this.dead[slot] = 0;
    // Sift up.
    const h = this.heap;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = ht[parent] as number;
      if (pt < time || (pt === time && (hs[parent] as number) < seq)) break;
      h[i] = h[parent] as number;
      ht[i] = pt;
      hs[i] = hs[parent] as number;
      i = parent;
    }
    h[i] = slot;
    ht[i] = time;
    hs[i] = seq;
    return slot;
  }

  cancel(slot: number): void {
    this.dead[slot] = 1;
  }

  /** Returns a popped slot to the pool once the caller has read its payload. */
  release(slot: number): void {
    this.free[this.freeSize++] = slot;
  }

  /** Due time of the next live event, or -1 when empty. */
  peekTime(): Micros {
    this.dropCancelledTop();
    const tie = this.tie;
    if (tie.length > 0) return this.times[tie[0] as number] as number;
    return this.heapSize > 0 ? (this.heapTime[0] as number) : -1;
  }

  /**
   * The next slot to run if it is due at or before `until`, else -1: peekTime and pop in one
   * call, for the kernel's loop.
   */
  popDue(until: Micros): number {
    if (this.tie.length === 0) {
      this.dropCancelledTop();
      if (this.heapSize === 0 || (this.heapTime[0] as number) > until) return -1;
    } else if ((this.times[this.tie[0] as number] as number) > until) return -1;
    return this.pop();
  }

  /** Removes and returns the next slot to run (choosing among same-instant events), or -1. */
  pop(): number {
    const tie = this.tie;
    const times = this.times;
    if (tie.length === 0) {
      const top = this.popLive();
      if (top < 0) return -1;
      this.dropCancelledTop();
      if (this.heapSize === 0 || this.heapTime[0] !== times[top]) return top; // no tie
      tie.push(top);
    }
    const t = times[tie[0] as number] as number;
    // Newly scheduled events at the same instant join the tie (their seq is higher, so the
    // buffer stays in seq order).
    for (;;) {
      this.dropCancelledTop();
      if (this.heapSize === 0 || this.heapTime[0] !== t) break;
      tie.push(this.heapPop());
    }
    // Drop events cancelled while they waited in the buffer.
    let live = 0;
    for (let i = 0; i < tie.length; i++) {
      const s = tie[i] as number;
      if (this.dead[s] === 1) this.release(s);
      else tie[live++] = s;
    }
    if (live !== tie.length) tie.length = live;
    if (live === 0) return this.pop();
    const i = live === 1 ? 0 : this.tieDraw.int(live);
    const slot = tie[i] as number;
    // Remove in place, keeping seq order (splice would allocate the removed elements' array).
    for (let j = i; j < live - 1; j++) tie[j] = tie[j + 1] as number;
    tie.pop();
    return slot;
  }

  /**
   * Calls `f` with every live pending slot (the heap and the tie buffer), in no particular
   * order: what the explorer's state digest reads. Not on the hot path.
   */
  forEachLive(f: (slot: number) => void): void {
    for (let i = 0; i < this.heapSize; i++) {
      const s = this.heap[i] as number;
      if (this.dead[s] !== 1) f(s);
    }
    for (const s of this.tie) if (this.dead[s] !== 1) f(s);
  }

  /**
   * The live slots of the tie being drawn, in the order the "sched.tie" draw indexes them
   * (valid while that draw is made): what a PCT scheduler reads to map options to nodes.
   */
  tieCandidates(): number[] {
    return this.tie.filter((s) => this.dead[s] !== 1);
  }

  private popLive(): number {
    while (this.heapSize > 0) {
      const s = this.heapPop();
      if (this.dead[s] !== 1) return s;
      this.release(s);
    }
    return -1;
  }

  private dropCancelledTop(): void {
    while (this.heapSize > 0 && this.dead[this.heap[0] as number] === 1) this.release(this.heapPop());
  }

  /** Pops the heap's top slot; the heap must not be empty. */
  private heapPop(): number {
    const h = this.heap;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const top = h[0] as number;
    const n = --this.heapSize;
    if (n === 0) return top;
    const last = h[n] as number;
    const lt = ht[n] as number;
    const ls = hs[n] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      let ct = ht[l] as number;
      const r = l + 1;
      if (r < n) {
        const rt = ht[r] as number;
        if (rt < ct || (rt === ct && (hs[r] as number) < (hs[l] as number))) {
          c = r;
          ct = rt;
        }
      }
      if (lt < ct || (lt === ct && ls < (hs[c] as number))) break;
      h[i] = h[c] as number;
      ht[i] = ct;
      hs[i] = hs[c] as number;
      i = c;
    }
    h[i] = last;
    ht[i] = lt;
    hs[i] = ls;
    return top;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    this.times = widen(this.times, cap);
    this.dead = widen(this.dead, cap);
    this.heap = widen(this.heap, cap);
    this.heapTime = widen(this.heapTime, cap);
    this.heapSeq = widen(this.heapSeq, cap);
    this.free = widen(this.free, cap);
    this.onGrow?.(cap);
  }
}
