import type { Choices } from './choices.ts';
import type { OpHandle, ProcessContext, TimerId } from './process.ts';
import type { Micros, Value } from './value.ts';

/**
 * A client workload: how often a client issues an operation, which function, on which key.
 * Models' client processes call `nextOp` and `thinkTime`; every draw is a choice under
 * "workload.*", so a shrunk run also has fewer, simpler operations (value 0: the first
 * function in the mix, the first key, the shortest think time).
 */
export interface WorkloadSpec {
  /** Functions and their relative weights, e.g. { read: 2, write: 1, cas: 1 }. */
  readonly mix: Readonly<Record<string, number>>;
  /** Number of distinct keys ("k0".."k{n-1}"); 0 for a keyless register. */
  readonly keys: number;
  /** Time between one operation completing and the next starting. */
  readonly think: { readonly min: Micros; readonly max: Micros };
  /** Stop after this many operations per client (default: until the workload phase ends). */
  readonly opsPerClient?: number;
}

export interface DrawnOp {
  readonly f: string;
  readonly key: string | undefined;
}

export function validateWorkload(w: WorkloadSpec): void {
  const fs = Object.entries(w.mix);
  if (fs.length === 0 || fs.some(([, wt]) => !(Number.isInteger(wt) && wt > 0))) throw new Error('workload mix needs positive integer weights');
  if (!(Number.isInteger(w.keys) && w.keys >= 0)) throw new Error('workload keys must be a non-negative integer');
  if (!(w.think.min >= 0 && w.think.max >= w.think.min)) throw new Error('workload think time needs 0 <= min <= max');
}

/** A mix's entries and total weight, computed once per mix object (clients draw per op). */
const mixes = new WeakMap<Readonly<Record<string, number>>, { entries: [string, number][]; total: number }>();

/**
 * One name from a weighted mix, drawn as a single choice under `label`; value 0 gives the
 * first name of the mix.
 */
export function pickWeighted(mix: Readonly<Record<string, number>>, choices: Choices, label: string): string {
  let m = mixes.get(mix);
  if (m === undefined) {
    const entries = Object.entries(mix);
    m = { entries, total: entries.reduce((s, [, wt]) => s + wt, 0) };
    mixes.set(mix, m);
  }
  const fs = m.entries;
  if (fs.length === 0) throw new Error('pickWeighted: empty mix');
  let r = choices.int(m.total, label);
  for (const [name, wt] of fs) {
    if (r < wt) return name;
    r -= wt;
  }
  return (fs[fs.length - 1] as [string, number])[0];
}

export function nextOp(w: WorkloadSpec, choices: Choices): DrawnOp {
  const f = pickWeighted(w.mix, choices, 'workload.f');
  const key = w.keys > 0 ? `k${choices.int(w.keys, 'workload.key')}` : undefined;
  return { f, key };
}

export function thinkTime(w: WorkloadSpec, choices: Choices): Micros {
  return w.think.min + choices.int(w.think.max - w.think.min + 1, 'workload.think');
}

/** A value no other write in the run uses: checkers can then tell which write a read saw. */
export function uniqueValue(clientIndex: number, counter: number): Value {
  return clientIndex * 1_000_000 + counter;
}

/** A client operation waiting for its reply under a timeout timer tagged 'timeout'. */
export interface RetriedOp {
  readonly op: OpHandle;
  attempts: number;
  timer: TimerId;
}

/**
 * The timeout step every client shares: after `retries` retries the outcome is unknown, so the
 * op is recorded as `info` and this returns false (the caller forgets it and moves on);
 * otherwise it counts the attempt, re-arms the timeout and returns true (the caller resends).
 */
export function retryOrGiveUp(ctx: ProcessContext, p: RetriedOp, retries: number, timeout: Micros): boolean {
  if (p.attempts > retries) {
    ctx.history.info(p.op);
    return false;
  }
  p.attempts++;
  p.timer = ctx.setTimer(timeout, 'timeout');
  return true;
}
