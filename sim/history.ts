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
 */
export function pairOperations(events: readonly HistoryEvent[]): Operation[] {
  const pending = new Map<number, { ev: HistoryEvent; index: number; id: number }>();
  const ops: (Operation | undefined)[] = [];
  let nextId = 0;
  events.forEach((ev, index) => {
    if (ev.type === 'invoke') {
      const open = pending.get(ev.process);
      if (open) {
        throw new HistoryError(
          `process ${ev.process} invokes ${ev.f} while its ${open.ev.f} (event ${open.index}) is still pending`,
          index,
        );
      }
      pending.set(ev.process, { ev, index, id: nextId });
      ops.push(undefined);
      nextId++;
      return;
    }
    const open = pending.get(ev.process);
    if (!open) throw new HistoryError(`process ${ev.process} completes ${ev.f} with nothing pending`, index);
    pending.delete(ev.process);
    const known = ev.type !== 'info';
    ops[open.id] = {
      id: open.id,
      process: ev.process,
      f: open.ev.f,
      ...(open.ev.key !== undefined ? { key: open.ev.key } : {}),
      input: open.ev.value,
      output: known ? ev.value : null,
      status: ev.type,
      invokeTime: open.ev.time,
      completeTime: known ? ev.time : Infinity,
      invokeIndex: open.index,
      completeIndex: index,
      ...(open.ev.node !== undefined ? { node: open.ev.node } : {}),
    };
  });
  for (const open of pending.values()) {
    ops[open.id] = {
      id: open.id,
      process: open.ev.process,
      f: open.ev.f,
      ...(open.ev.key !== undefined ? { key: open.ev.key } : {}),
      input: open.ev.value,
      output: null,
      status: 'info',
      invokeTime: open.ev.time,
      completeTime: Infinity,
      invokeIndex: open.index,
      completeIndex: -1,
      ...(open.ev.node !== undefined ? { node: open.ev.node } : {}),
    };
  }
  return ops as Operation[];
}
