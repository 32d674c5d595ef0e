import type { Choices } from './choices.ts';
import type { Micros } from './value.ts';

/** Anything the queue orders: a due time and a sequence number given at scheduling. */
export interface Scheduled {
  readonly time: Micros;
  seq: number;
  /** Lazy deletion: a cancelled timer stays in the heap and is skipped when it surfaces. */
  cancelled: boolean;
}

/**
 * The kernel's event queue: a binary heap ordered by (time, seq). Events due at the same
 * instant are not simply FIFO: which of them runs next is a choice ("sched.tie"), so that the
 * explorer and the random runs both reorder same-instant events. Value 0 picks the earliest
 * scheduled, so a shrunk run degenerates to FIFO order.
 */
export class EventQueue<E extends Scheduled> {
  private heap: E[] = [];
  private nextSeq = 0;
  /** Events already drawn from the heap that are all due at `tie[0].time`, in seq order. */
  private tie: E[] = [];

  constructor(private readonly choices: Choices) {}

  get size(): number {
    return this.heap.length + this.tie.length;
  }

  push(ev: E): void {
    ev.seq = this.nextSeq++;
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as E;
      if (p.time < ev.time || (p.time === ev.time && p.seq < ev.seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = ev;
  }

  /** Due time of the next live event, or undefined when empty. */
  peekTime(): Micros | undefined {
    this.dropCancelledTop();
    const t = this.tie[0]?.time;
    const h = this.heap[0]?.time;
    if (t === undefined) return h;
    if (h === undefined) return t;
    return Math.min(t, h);
  }

  /** Removes and returns the next event to run, choosing among same-instant events. */
  pop(): E | undefined {
    if (this.tie.length === 0) {
      const top = this.popLive();
      if (top === undefined) return undefined;
      this.dropCancelledTop();
      const next = this.heap[0];
      if (next === undefined || next.time !== top.time) return top; // fast path: no tie
      this.tie.push(top);
    }
    const tie = this.tie;
    const t = (tie[0] as E).time;
    // Newly scheduled events at the same instant join the tie (their seq is higher, so the
    // buffer stays in seq order).
    for (;;) {
      this.dropCancelledTop();
      const next = this.heap[0];
      if (next === undefined || next.time !== t) break;
      tie.push(this.heapPop() as E);
    }
    // Drop events cancelled while they waited in the buffer (in place: no allocation).
    let live = 0;
    for (let i = 0; i < tie.length; i++) if (!(tie[i] as E).cancelled) tie[live++] = tie[i] as E;
    tie.length = live;
    if (live === 0) return this.pop();
    const i = live === 1 ? 0 : this.choices.int(live, 'sched.tie');
    const ev = tie[i] as E;
    tie.splice(i, 1);
    return ev;
  }

  private popLive(): E | undefined {
    for (;;) {
      const ev = this.heapPop();
      if (ev === undefined || !ev.cancelled) return ev;
    }
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && (this.heap[0] as E).cancelled) this.heapPop();
  }

  private heapPop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    // Sift down.
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let cv = h[l] as E;
      if (r < n) {
        const rv = h[r] as E;
        if (rv.time < cv.time || (rv.time === cv.time && rv.seq < cv.seq)) {
          c = r;
          cv = rv;
        }
      }
      if (last.time < cv.time || (last.time === cv.time && last.seq < cv.seq)) break;
      h[i] = cv;
      i = c;
    }
    h[i] = last;
    return top;
  }
}
