import { pairOperations, type HistoryEvent, type Operation } from '../history.ts';
import type { Value } from '../value.ts';
import type { LinModel } from './models/types.ts';
import { opView, type OpView } from './op-view.ts';
import { modelByName } from './models/index.ts';
import { unsupportedReason } from './readers/errors.ts';
import type { Budget, CheckInput, CheckResult, Checker, Verdict } from './types.ts';
import { PartitionSearch, searchPartition, type SearchLimits, type SearchOutcome, type SliceOutcome } from './wgl.ts';

/**
 * Linearizability of a history against a sequential model, with Jepsen semantics:
 *  - `ok` ops happened, between their invoke and completion, with the recorded output;
 *  - `fail` ops did not happen and are dropped;
 *  - `info` ops (and invokes never completed) may take effect at any instant after their invoke,
 *    or never; their output is unknown.
 * Real-time order is the order of events in the history array: op A precedes op B iff A's
 * completion event is earlier in the array than B's invoke event. Sim histories append events
 * in virtual-time order, and when two events share a virtual time the array order is the order
 * they happened in, so two ops that touch the same instant are ordered, never concurrent.
 *
 * With a model that has `partition`, each partition (key) is checked on its own
 * (P-compositionality: a history is linearizable iff each per-object sub-history is).
 */

export interface PartitionResult {
  readonly key: string;
  readonly verdict: Verdict;
  /** Operations checked in this partition (after dropping fails and unknown reads). */
  readonly ops: number;
  readonly steps: number;
  /** ok: op ids in linearization order (info ops that never took effect are absent). */
  readonly witness?: readonly number[];
  /** violation: see ViolationEvidence. */
  readonly violation?: ViolationEvidence;
  /** unknown: which limit was hit. */
  readonly reason?: 'steps' | 'time' | 'memory' | 'not checked';
}

/**
 * Why a partition is not linearizable, in the smallest story we can find.
 * `failingPrefix` is the shortest prefix of the partition's events that is already not
 * linearizable: it always ends with the completion of `culprit`, the op that cannot be placed
 * once it is known to have finished. Ops still open at the cut appear with status `pending`.
 * `longest` is a longest partial linearization of that prefix, and `unplaced` the completed ops
 * of the prefix it could not include.
 */
export interface ViolationEvidence {
  readonly [field: string]: Value;
  readonly key: string;
  readonly culprit: OpView;
  readonly failingPrefix: readonly OpView[];
  readonly longest: readonly number[];
  readonly unplaced: readonly OpView[];
  /** False when the budget ran out while shrinking: the prefix is failing but maybe not shortest. */
  readonly shortest: boolean;
}

export interface LinearizabilityReport {
  readonly verdict: Verdict;
  readonly model: string;
  readonly partitions: readonly PartitionResult[];
  readonly ops: number;
  readonly steps: number;
  readonly summary: string;
}

export interface LinearizabilityOptions {
  /** Max (linearized set, state) pairs remembered per partition; past it the verdict is unknown. */
  readonly maxCacheEntries?: number;
  /** Shrink a violation to its shortest failing prefix (costs a few more searches). Default true. */
  readonly shrink?: boolean;
  /** Stop at the first partition that is not linearizable (default true). */
  readonly stopEarly?: boolean;
}

export type { OpView } from './op-view.ts';

export const DEFAULT_MAX_CACHE_ENTRIES = 8_000_000;

function describe(op: Operation): string {
  const arg = op.input === null ? '' : JSON.stringify(op.input);
  const key = op.key !== undefined ? `[${JSON.stringify(op.key)}]` : '';
  const out = op.status === 'ok' ? ` -> ${JSON.stringify(op.output)}` : ' -> ?';
  return `${op.f}${key}(${arg})${out} by process ${op.process}`;
}

/**
 * A history holds an operation the model gives no meaning to. It is an error, never a verdict:
 * without it, a model lacking `cas` would call every history with a cas not linearizable.
 */
export class UnsupportedOperationError extends Error {
  constructor(
    readonly f: string,
    readonly model: string,
    /** Index of the first event with this `f` in the history. */
    readonly index: number,
    reason: string,
  ) {
    super(reason);
  }
}

function assertAlphabet<S>(history: readonly HistoryEvent[], model: LinModel<S>): void {
  for (let i = 0; i < history.length; i++) {
    const f = history[i]!.f;
    if (!model.ops.includes(f)) throw new UnsupportedOperationError(f, model.name, i, `event ${i + 1}: ${unsupportedReason(f, { model: model.name, ops: model.ops })}`);
  }
}

/** Drops what cannot matter: `fail` ops, and `info` ops that are reads. */
function relevantOps<S>(model: LinModel<S>, ops: readonly Operation[]): Operation[] {
  return ops.filter((op) => op.status !== 'fail' && !(op.status === 'info' && model.readOnly?.(op)));
}

/** Groups ops by the model's partition function, partitions sorted by key for stable output. */
export function partitionOps<S>(model: LinModel<S>, ops: readonly Operation[]): [string, Operation[]][] {
  const parts = new Map<string, Operation[]>();
  for (const op of ops) {
    const key = model.partition ? model.partition(op) : '';
    let list = parts.get(key);
    if (!list) parts.set(key, (list = []));
    list.push(op);
  }
  return [...parts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The prefix of a partition's events up to and including event index `cut`: ops invoked later
 * are gone; ops completed later are pending (unknown output, may take effect any time).
 */
function prefixOps<S>(model: LinModel<S>, ops: readonly Operation[], cut: number): Operation[] {
  const out: Operation[] = [];
  for (const op of ops) {
    if (op.invokeIndex > cut) continue;
    if (op.status === 'ok' && op.completeIndex <= cut) out.push(op);
    // The same fields in the same order as pairOperations' ops (one object shape for the model).
    else if (!model.readOnly?.(op)) out.push({ id: op.id, process: op.process, f: op.f, key: op.key, input: op.input, output: null, status: 'info', invokeTime: op.invokeTime, completeTime: Infinity, invokeIndex: op.invokeIndex, completeIndex: -1, node: op.node });
  }
  return out;
}

function shrinkViolation<S>(model: LinModel<S>, key: string, ops: readonly Operation[], limits: SearchLimits, full: SearchOutcome & { kind: 'violation' }, shrink: boolean): { evidence: ViolationEvidence; steps: number } {
  // Candidate cuts: completions of ok ops. Failure is monotone in the cut (a longer prefix only
  // adds constraints), so binary search finds the shortest failing one.
  const cuts = ops.filter((op) => op.status === 'ok').map((op) => op.completeIndex).sort((a, b) => a - b);
  let lo = 0;
  let hi = cuts.length - 1;
  let best: { ops: Operation[]; longest: readonly number[] } = { ops: [...ops], longest: full.longest };
  let steps = 0;
  let shortest = shrink;
  if (shrink) {
    // All sub-searches together get the same step allowance as the search that found the
    // violation (plus a floor): evidence should not cost more than the verdict did. Past it we
    // keep the shortest failing prefix found so far and say it may not be the shortest.
    const allowance = limits.maxSteps;
    // Invariant: the prefix at cuts[hi] fails (at first, the whole partition), the one at
    // cuts[lo - 1] does not.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const sub = prefixOps(model, ops, cuts[mid]!);
      const out = searchPartition(model, sub, { ...limits, maxSteps: Math.max(0, allowance - steps) });
      steps += out.steps;
      if (out.kind === 'unknown') {
        shortest = false;
        break;
      }
      if (out.kind === 'violation') {
        hi = mid;
        best = { ops: sub, longest: out.longest };
      } else lo = mid + 1;
    }
  }
  // `longest` indexes into the ops array the search was given.
  const cut = Math.max(...best.ops.filter((o) => o.status === 'ok').map((o) => o.completeIndex));
  const culpritOp = best.ops.find((o) => o.status === 'ok' && o.completeIndex === cut)!;
  const longestIds = best.longest.map((i) => best.ops[i]!.id);
  const placed = new Set(longestIds);
  const original = new Map(ops.map((o) => [o.id, o]));
  const view = (o: Operation): OpView => (o.status === 'info' && original.get(o.id)!.status === 'ok' ? opView(o, 'pending') : opView(o));
  const prefixView = best.ops.slice().sort((a, b) => a.invokeIndex - b.invokeIndex).map(view);
  return {
    steps,
    evidence: {
      key,
      culprit: view(culpritOp),
      failingPrefix: prefixView,
      longest: longestIds,
      unplaced: best.ops.filter((o) => o.status === 'ok' && !placed.has(o.id)).map(view),
      shortest,
    },
  };
}

/** Checks `history` against `model`; the detailed report the CLI prints. */
export function checkLinearizability<S>(history: readonly HistoryEvent[], model: LinModel<S>, budget: Budget, options: LinearizabilityOptions = {}): LinearizabilityReport {
  assertAlphabet(history, model);
  const ops = relevantOps(model, pairOperations(history));
  const parts = partitionOps(model, ops);
  const maxCacheEntries = options.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES;
  const stopEarly = options.stopEarly ?? true;
  // Partitions run interleaved in slices of steps that double each round, so one hard but
  // linearizable key does not delay finding a violation in another (Porcupine gets the same
  // effect by running partitions in parallel), and the outcome stays deterministic. A
  // partition's search is set up when it first runs: after a violation, most never do.
  const searches = parts.map(([key, partOps]) => ({ key, partOps, search: undefined as PartitionSearch<S> | undefined, out: undefined as SliceOutcome | undefined }));
  let failed: { key: string; ev: ViolationEvidence } | undefined;
  let slice = 20_000;
  let steps = 0;
  let stopReason: 'steps' | 'time' | undefined;
  const evidence = new Map<string, ViolationEvidence>();
  for (;;) {
    let active = 0;
    for (const s of searches) {
      if (s.out !== undefined && s.out !== 'paused') continue;
      if (failed && stopEarly) break;
      const room = budget.steps - steps;
      if (room <= 0) {
        stopReason = 'steps';
        break;
      }
      const search = (s.search ??= new PartitionSearch(model, s.partOps, maxCacheEntries));
      const before = search.steps;
      s.out = search.run(before + Math.min(slice, room), budget.expired);
      steps += search.steps - before;
      if (s.out === 'time') stopReason = 'time';
      if (s.out === 'paused') active++;
      if (s.out === 'violation') {
        const shrinkLimits: SearchLimits = { maxSteps: search.steps + 200_000, maxCacheEntries, ...(budget.expired ? { expired: budget.expired } : {}) };
        const full = { kind: 'violation' as const, longest: search.longest(), steps: search.steps };
        const { evidence: ev, steps: shrinkSteps } = shrinkViolation(model, s.key, s.partOps, shrinkLimits, full, options.shrink ?? true);
        steps += shrinkSteps;
        evidence.set(s.key, ev);
        failed ??= { key: s.key, ev };
      }
      if (stopReason) break;
    }
    if (active === 0 || stopReason || (failed && stopEarly)) break;
    slice *= 2;
  }
  const results: PartitionResult[] = searches.map((s): PartitionResult => {
    const base = { key: s.key, ops: s.partOps.length, steps: s.search?.steps ?? 0 };
    switch (s.out) {
      case 'ok':
        return { ...base, verdict: 'ok', witness: s.search!.order().map((i) => s.partOps[i]!.id) };
      case 'violation':
        return { ...base, verdict: 'violation', violation: evidence.get(s.key)! };
      case 'memory':
      case 'time':
        return { ...base, verdict: 'unknown', reason: s.out };
      case 'paused':
        return { ...base, verdict: 'unknown', reason: failed ? 'not checked' : (stopReason ?? 'steps') };
      default:
        return { ...base, verdict: 'unknown', reason: failed ? 'not checked' : (stopReason ?? 'steps') };
    }
  });
  const unknown = results.filter((r) => r.verdict === 'unknown').length;
  const verdict: Verdict = failed ? 'violation' : unknown > 0 ? 'unknown' : 'ok';
  const where = (k: string): string => (parts.length > 1 || k !== '' ? ` on key ${JSON.stringify(k)}` : '');
  let summary: string;
  if (failed) {
    const c = failed.ev.culprit;
    const culprit = ops.find((o) => o.id === c.id)!;
    summary = `not linearizable${where(failed.key)}: ${describe(culprit)} cannot be placed (shortest failing prefix: ${failed.ev.failingPrefix.length} ops)`;
  } else if (verdict === 'unknown') {
    const reasons = [...new Set(results.filter((r) => r.verdict === 'unknown').map((r) => r.reason))].join(', ');
    summary = `unknown: out of budget (${reasons}) in ${unknown} of ${parts.length} partitions`;
  } else {
    summary = `linearizable: ${ops.length} ops in ${parts.length} partition${parts.length === 1 ? '' : 's'}`;
  }
  return { verdict, model: model.name, partitions: results, ops: ops.length, steps, summary };
}

/** Plain-data evidence for a report: per-partition results, witness or violation. */
export function reportEvidence(report: LinearizabilityReport): Value {
  return {
    model: report.model,
    partitions: report.partitions.map((p) => ({
      key: p.key,
      verdict: p.verdict,
      ops: p.ops,
      steps: p.steps,
      ...(p.witness ? { witness: p.witness } : {}),
      ...(p.violation ? { violation: p.violation } : {}),
      ...(p.reason ? { reason: p.reason } : {}),
    })),
  };
}

export interface LinearizableConfig<S = unknown> extends LinearizabilityOptions {
  /** A model name from the registry (register, kv, ...) or a model object. */
  readonly model: string | LinModel<S>;
  /** Checker name in results; default `linearizable`. */
  readonly name?: string;
}

/** A linearizability checker, with the model it judges by (so a saved history can be re-checked). */
export interface LinearizableChecker extends Checker {
  readonly model: LinModel<unknown>;
}

/** The checker a scenario lists, e.g. `linearizable({ model: 'register' })`. */
export function linearizable<S>(config: LinearizableConfig<S>): LinearizableChecker {
  const model = (typeof config.model === 'string' ? modelByName(config.model) : config.model) as LinModel<unknown>;
  const name = config.name ?? 'linearizable';
  return {
    name,
    model,
    check(input: CheckInput): CheckResult {
      const report = checkLinearizability(input.history, model, input.budget, config);
      return { name, verdict: report.verdict, summary: report.summary, evidence: reportEvidence(report) };
    },
  };
}
