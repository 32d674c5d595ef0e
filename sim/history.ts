import type { Micros, Value } from './value.ts';

/**
 * The history of what clients saw, in Jepsen's terms. Every client operation is an `invoke`
 * followed by at most one completion:
 *  - `ok`: it happened, and `value` is what it returned;
 *  - `fail`: it certainly did not happen;
 *  - `info`: the outcome is unknown (a timeout): it may take effect at any instant after its
 *    invocation, or never. A process that got `info` never invokes again under that number:
 *    the client continues as a fresh process, as Jepsen does.
 * An invoke with no completion by the end of the history is treated like `info`.
 */
export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

export interface HistoryEvent {
  /** Jepsen process number: at most one pending operation per process. */
  readonly process: number;
  readonly type: EventType;
  /** The operation's function: read, write, cas, get, put, append, enqueue, ... */
  readonly f: string;
  /** Absent for a single-register history. */
  readonly key?: string;
  /** Invoke: the argument (null for a read). ok: the result. cas: [from, to]. */
  readonly value: Value;
  /** Virtual time of the event; files without timestamps use the line index. */
  readonly time: Micros;
  /** Which client node issued it (informational; the checkers use `process`). */
  readonly node?: string;
}

/** An invoke paired with its completion. */
export interface Operation {
  /** Index of the operation in invocation order, stable across tools (reports, evidence). */
  readonly id: number;
  readonly process: number;
  readonly f: string;
  readonly key?: string;
  /** The invocation's argument. */
  readonly input: Value;
  /** The completion's value (null when the outcome is unknown). */
  readonly output: Value;
  readonly status: 'ok' | 'fail' | 'info';
  readonly invokeTime: Micros;
  /** Infinity when the outcome is unknown (info or never completed). */
  readonly completeTime: Micros;
  /** Position of the invoke and completion events in the history (completion -1 if none). */
  readonly invokeIndex: number;
  readonly completeIndex: number;
  readonly node?: string;
}

export class HistoryError extends Error {
  constructor(
    message: string,
    /** Index of the offending event in the history (0-based). */
    readonly index: number,
  ) {
    super(message);
  }
}

/**
 * Pairs invokes with completions per process. Throws HistoryError on an invoke from a process
 * that already has one pending, or a completion with nothing pending.
 *
 * Every op is one object literal of one fixed shape (`key` and `node` always present, maybe
 * undefined): the checkers read ops in their hottest loops, and ops built with conditional
 * spreads took V8's slow object-creation path (about 10% of a short check) and came out in
 * several shapes, which made every read of `op.f` or `op.status` polymorphic.
 */
export function pairOperations(events: readonly HistoryEvent[]): Operation[] {
  const n = events.length;
  // Pass 1: validate, and note for each invoke's event index its completion's (or -1).
  const completion = new Int32Array(n).fill(-1);
  const pending = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ev = events[i] as HistoryEvent;
    const open = pending.get(ev.process);
    if (ev.type === 'invoke') {
      if (open !== undefined) {
        const was = events[open] as HistoryEvent;
        throw new HistoryError(`process ${ev.process} invokes ${ev.f} while its ${was.f} (event ${open}) is still pending`, i);
      }
      pending.set(ev.process, i);
    } else {
      if (open === undefined) throw new HistoryError(`process ${ev.process} completes ${ev.f} with nothing pending`, i);
      pending.delete(ev.process);
      completion[open] = i;
    }
  }
  // Pass 2: one op per invoke, in invocation order.
  const ops: Operation[] = [];
  for (let j = 0; j < n; j++) {
    const inv = events[j] as HistoryEvent;
    if (inv.type !== 'invoke') continue;
    const c = completion[j] as number;
    const done = c === -1 ? undefined : (events[c] as HistoryEvent);
    const known = done !== undefined && done.type !== 'info';
    ops.push({
      id: ops.length,
      process: inv.process,
      f: inv.f,
      key: inv.key,
      input: inv.value,
      output: known ? done.value : null,
      status: done === undefined || done.type === 'invoke' ? 'info' : done.type,
      invokeTime: inv.time,
      completeTime: known ? done.time : Infinity,
      invokeIndex: j,
      completeIndex: c,
      node: inv.node,
    });
  }
  return ops;
}
