import fc from 'fast-check';
import type { Budget } from '../check/types.ts';
import { judge, runScenario, type RunResult } from '../run.ts';
import type { Scenario } from '../scenario.ts';
import { alignForDuration, applyOverrides, type Overrides } from './overrides.ts';
import { canonicalChoices } from './repro.ts';
import { measureRun, type RunSize } from './size.ts';
import { type LabelledRun, labelledReplay, StreamReplayChoices } from './streams.ts';

/**
 * The shrinking driver. A failing run is a choice sequence (plus, once shrunk, a shorter fault
 * phase); every candidate is just another run of that sequence, kept if the same checker still
 * reports a violation. fast-check is the engine (DESIGN.md "One stream of choices"): the failing
 * point is a value of `fc.tuple(fc.integer(phaseMs), fc.array(fc.nat()))` and fast-check's shrink
 * trees for that arbitrary walk it toward short, quiet runs. Shrinking is deterministic: the same
 * repro and budget always give the same result. Two cheap domain-aware passes run first because they remove most of
 * a run in a few dozen candidates where element-wise shrinking of thousands of draws would need
 * thousands: end the fault phase as early as the failure allows, cut the sequence to the
 * shortest prefix that fails (zeros after it: the simplest behaviour everywhere), and zero blocks.
 */
export interface ShrinkTarget {
  readonly scenario: Scenario;
  readonly variant: string;
  readonly seed: number;
  /** The checker that must keep reporting a violation. */
  readonly check: string;
  readonly choices: readonly number[];
  readonly overrides: Overrides;
}

export interface ShrinkOptions {
  /** Most candidate runs in total (each pass stops when the budget is spent). */
  readonly maxRuns: number;
  /** Checker budget per candidate. */
  readonly budget?: Budget;
  /**
   * Asked before every candidate, and by the checker while it searches a candidate's history:
   * true ends shrinking with the best point so far. The CLI uses it for a wall-clock limit (host
   * time is read in bin/, never here).
   */
  readonly shouldStop?: () => boolean;
  /** Called after every candidate run: runs so far and the best size yet. */
  readonly onProgress?: (runs: number, best: RunSize, phase: string) => void;
}

export interface ShrinkPhase {
  readonly name: string;
  readonly runs: number;
  /** Candidates that still failed and were kept. */
  readonly kept: number;
}

export interface ShrinkOutcome {
  readonly before: RunSize;
  readonly after: RunSize;
  readonly choices: number[];
  readonly overrides: Overrides;
  /** The shrunk run, made with record: true (a repro is built from it). */
  readonly result: RunResult;
  readonly runs: number;
  readonly phases: readonly ShrinkPhase[];
  /** Steps fast-check's shrinker took. */
  readonly fcShrinks: number;
  /** shouldStop ended it before the run budget was spent. */
  readonly stopped: boolean;
}

/** The structural overrides (everything but the phase length, which Point carries itself). */
type Structure = Omit<Overrides, 'durationUs'>;

interface Point {
  readonly durationUs: number;
  readonly seq: readonly number[];
  /** Faults dropped and clients cut short (kept by every later candidate). */
  readonly st?: Structure;
  /**
   * Draw by label from this run instead of by position from `seq` (StreamReplayChoices): the
   * candidates that drop a fault, a client or operations, so the other nodes' draws stay put.
   */
  readonly streams?: LabelledRun;
}

export class ShrinkError extends Error {}

export function shrinkFailure(t: ShrinkTarget, opts: ShrinkOptions): ShrinkOutcome {
  const fullDuration = t.scenario.duration;
  let runs = 0;
  let phaseName = 'start';
  const phases: ShrinkPhase[] = [];
  const budget = opts.budget ?? { steps: 2_000_000 };

  /** The labels of the last run's draws (runWith records them for the structured passes). */
  let lastLabels: readonly string[] = [];
  /** A hidden operation of the last run completed ok (its effect may have leaked): not a valid cut. */
  let leaked = false;
  const overridesOf = (p: Point): Overrides => ({ ...(p.st ?? {}), ...(p.durationUs < fullDuration ? { durationUs: p.durationUs } : {}) });
  const runWith = (p: Point, onlyChecks: readonly string[], b: Budget): RunResult => {
    leaked = false;
    const s = applyOverrides(t.scenario, overridesOf(p), { onLeak: () => (leaked = true) });
    const choices = p.streams ? new StreamReplayChoices(p.streams) : labelledReplay(p.seq);
    const r = runScenario(s, { seed: t.seed, variant: t.variant, choices, budget: b, onlyChecks });
    lastLabels = choices.recordedLabels ?? [];
    return r;
  };
  // Candidates run only the target check: another checker may spend its whole budget on a
  // candidate's history (the linearizability search on a karaoke room whose clients' think time
  // was zeroed: 2 million steps, over two minutes, for one candidate). A time limit that passes
  // mid-search ends that search too, and the candidate counts as not failing.
  const candidateBudget: Budget = opts.shouldStop ? { ...budget, expired: opts.shouldStop } : budget;
  const run = (p: Point): RunResult => {
    runs++;
    return runWith(p, [t.check], candidateBudget);
  };
  const stillFails = (r: RunResult) => !leaked && r.checks.some((c) => c.name === t.check && c.verdict === 'violation');

  const startDuration = Math.min(t.overrides.durationUs ?? fullDuration, fullDuration);
  const startStructure: Structure = {
    ...(t.overrides.dropFaults ? { dropFaults: t.overrides.dropFaults } : {}),
    ...(t.overrides.opLimits ? { opLimits: t.overrides.opLimits } : {}),
    // A shrunk repro's late starts and hidden operations are part of its story too (before
    // skipOps existed startAt was left out here, so re-shrinking a shrunk repro replayed another run).
    ...(t.overrides.startAt ? { startAt: t.overrides.startAt } : {}),
    ...(t.overrides.skipOps ? { skipOps: t.overrides.skipOps } : {}),
  };
  runs++;
  const first = runWith({ durationUs: startDuration, seq: t.choices, st: startStructure }, [t.check], budget);
  if (!stillFails(first)) {
    throw new ShrinkError(`the repro does not fail '${t.check}' when replayed (verdict: ${first.checks.find((c) => c.name === t.check)?.verdict ?? 'no such check'})`);
  }
  const before = measureRun(first);
  // The best failing point so far, always in canonical form: the draws the run actually made.
  let best: Point = { durationUs: startDuration, seq: canonicalChoices(first.choices ?? []), st: startStructure };
  let bestLabels: readonly string[] = lastLabels;
  let bestResult = first;
  let bestSize = before;

  let stopped = false;
  const budgetLeft = () => {
    if (!stopped && opts.shouldStop?.()) stopped = true;
    return !stopped && runs < opts.maxRuns;
  };
  /** Runs a candidate; if it still fails and is no larger, it becomes the best point. */
  const attempt = (p: Point): boolean => {
    if (!budgetLeft()) return false;
    let r: RunResult;
    try {
      r = run(p);
    } catch {
      // A candidate that crashes the model is a different failure, not a smaller one of this.
      opts.onProgress?.(runs, bestSize, phaseName);
      return false;
    }
    const ok = stillFails(r);
    if (ok) {
      const seq = canonicalChoices(r.choices ?? []);
      const size = measureRun(r);
      if (smaller(size, p.durationUs, bestSize, best.durationUs)) {
        best = { durationUs: p.durationUs, seq, st: p.st ?? {} };
        bestLabels = lastLabels;
        bestResult = r;
        bestSize = size;
      }
    }
    opts.onProgress?.(runs, bestSize, phaseName);
    return ok;
  };
  const phase = (name: string, body: () => number) => {
    phaseName = name;
    const r0 = runs;
    const kept = body();
    phases.push({ name, runs: runs - r0, kept });
  };
  const at = (durationUs: number): Point => ({ durationUs, seq: alignForDuration(t.scenario, t.variant, best.seq, best.durationUs, durationUs), st: best.st ?? {} });
  /** The best point with a structural change, its draws taken label by label. */
  const restructured = (st: Structure): Point => ({
    durationUs: best.durationUs,
    seq: best.seq,
    st,
    streams: { values: best.seq, labels: bestLabels },
  });

  // 1. End the fault phase as early as the failure allows (binary search in milliseconds).
  phase('duration', () => {
    let kept = 0;
    let lo = 0;
    let hi = Math.ceil(best.durationUs / 1000);
    while (hi - lo > 1 && budgetLeft()) {
      const mid = Math.floor((lo + hi) / 2);
      if (attempt(at(mid * 1000))) {
        hi = mid;
        kept++;
      } else lo = mid;
    }
    return kept;
  });

  // 2. Structure, as Hypothesis shrinks by blocks: drop whole faults, whole clients, then each
  //    client's later operations with every draw they caused. Candidates draw label by label
  //    from the best run, so what the rest of the run drew stays on the decisions it was made for.
  phase('drop-faults', () => {
    let kept = 0;
    // Delta debugging over the faults injected: halves first, then smaller chunks, then one by one.
    const injected = () => {
      const dropped = new Set(best.st?.dropFaults ?? []);
      const total = bestResult.plannedFaults.length + dropped.size;
      const live: number[] = [];
      for (let i = 0; i < total; i++) if (!dropped.has(i)) live.push(i);
      return live;
    };
    let live = injected();
    for (let size = live.length; size >= 1 && budgetLeft(); size = size > 1 ? Math.ceil(size / 2) : 0) {
      for (let i = live.length - size; i > -size && budgetLeft(); i -= size) {
        const chunk = live.slice(Math.max(0, i), i + size);
        if (chunk.length === 0) continue;
        const dropFaults = [...new Set([...(best.st?.dropFaults ?? []), ...chunk])].sort((a, b) => a - b);
        if (attempt(restructured({ ...best.st, dropFaults }))) {
          kept++;
          live = injected();
          i = Math.min(i, live.length);
        }
      }
      if (size === 1) break;
    }
    return kept;
  });

  /** Client nodes and how many operations each invoked in the best run. */
  const clientOps = (): [string, number][] => {
    const n = new Map<string, number>();
    for (const e of bestResult.history) if (e.type === 'invoke' && e.node !== undefined) n.set(e.node, (n.get(e.node) ?? 0) + 1);
    return [...n.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  };
  const withLimit = (node: string, limit: number): Structure => ({ ...best.st, opLimits: { ...(best.st?.opLimits ?? {}), [node]: limit } });
  const dropClients = () => {
    let kept = 0;
    // Delta debugging over the clients that still issue operations: half of them at once, then
    // quarters, ..., then one by one (a design with dozens of clients pays a few runs, not dozens).
    let live = clientOps().map(([n]) => n);
    for (let size = Math.max(1, Math.floor(live.length / 2)); size >= 1 && budgetLeft(); size = size > 1 ? Math.ceil(size / 2) : 0) {
      for (let i = live.length - size; i > -size && budgetLeft(); i -= size) {
        const chunk = live.slice(Math.max(0, i), i + size);
        if (chunk.length === 0) continue;
        const opLimits = { ...(best.st?.opLimits ?? {}) };
        for (const n of chunk) opLimits[n] = 0;
        const before = best;
        if (attempt(restructured({ ...best.st, opLimits })) && best !== before) {
          kept++;
          live = clientOps().map(([n]) => n);
          i = Math.min(i, live.length);
        }
      }
      if (size === 1) break;
    }
    return kept;
  };
  phase('drop-clients', dropClients);
  // Every remaining client starts late at once (binary search on the start, in milliseconds):
  // one cheap cut of all the traffic before the part of the story that matters, where a cut per
  // client costs a search per client (routing designs run dozens).
  phase('late-start-all', () => {
    let kept = 0;
    const nodes = clientOps().map(([n]) => n);
    if (nodes.length === 0) return 0;
    let lo = 0;
    let hi = Math.ceil(best.durationUs / 1000);
    while (hi - lo > 1 && budgetLeft()) {
      const mid = Math.floor((lo + hi) / 2);
      const startAt: Record<string, number> = { ...(best.st?.startAt ?? {}) };
      for (const n of nodes) startAt[n] = Math.max(startAt[n] ?? 0, mid * 1000);
      const limits = best.st?.opLimits;
      // A node's budget counts from its start: those with one keep it (a late start only removes).
      if (attempt(restructured({ ...best.st, startAt, ...(limits ? { opLimits: limits } : {}) })) && best.st?.startAt?.[nodes[0] as string] === startAt[nodes[0] as string]) {
        kept++;
        lo = mid;
      } else hi = mid;
    }
    return kept;
  });
  const dropEarlyOps = () => {
    let kept = 0;
    // Per client, drop its first k operations (it starts just before the invocation of the
    // (k+1)-th; a budget it has shrinks by k): half of them first, halving k on each miss.
    for (const [node, count] of clientOps()) {
      const times = () => bestResult.history.filter((e) => e.type === 'invoke' && e.node === node).map((e) => e.time);
      let k = Math.floor(count / 2);
      while (k >= 1 && budgetLeft()) {
        const base = times();
        if (k >= base.length) k = Math.floor(base.length / 2);
        if (k < 1) break;
        const at = Math.max(0, (base[k] as number) - 1);
        const limit = best.st?.opLimits?.[node];
        const st: Structure = {
          ...best.st,
          startAt: { ...(best.st?.startAt ?? {}), [node]: at },
          ...(limit !== undefined ? { opLimits: { ...(best.st?.opLimits ?? {}), [node]: Math.max(0, limit - k) } } : {}),
        };
        // Kept only if it became the best point (still failing and smaller).
        if (attempt(restructured(st)) && best.st?.startAt?.[node] === at) kept++;
        else k = Math.floor(k / 2);
      }
    }
    return kept;
  };
  phase('drop-early-ops', dropEarlyOps);
  const dropOps = () => {
    let kept = 0;
    // Per client, the fewest operations that still fail (binary search on its budget).
    for (const [node, count] of clientOps()) {
      let lo = 0;
      let hi = count;
      while (hi - lo > 1 && budgetLeft()) {
        const mid = Math.floor((lo + hi) / 2);
        if (attempt(restructured(withLimit(node, mid)))) {
          kept++;
          hi = Math.min(mid, clientOps().find(([n]) => n === node)?.[1] ?? mid);
        } else lo = mid;
      }
    }
    return kept;
  };
  phase('drop-ops', dropOps);

  /**
   * Operations out of the middle (overrides.skipOps), delta debugging over every client's
   * operations in time order: chunks of half of them, a quarter, ..., then one at a time, each
   * chunk hidden at once (lost on the wire, never recorded). A hidden operation's index counts
   * the invocations its process makes, the hidden ones included, so visible operation j of a node
   * maps to the j-th index not hidden yet.
   */
  const skipOps = (share: number) => () => {
    let kept = 0;
    // Single operations of a long run cost a run each: this pass takes at most `share` of what
    // is left, so the value passes after it still get their turn.
    const stopAt = runs + Math.ceil((opts.maxRuns - runs) * share);
    const left = () => budgetLeft() && runs < stopAt;
    const visible = (): { node: string; index: number }[] => {
      const seen = new Map<string, number>();
      const out: { node: string; index: number }[] = [];
      for (const e of bestResult.history) {
        if (e.type !== 'invoke' || e.node === undefined) continue;
        const hidden = new Set(best.st?.skipOps?.[e.node] ?? []);
        let i = seen.get(e.node) ?? 0;
        while (hidden.has(i)) i++;
        seen.set(e.node, i + 1);
        out.push({ node: e.node, index: i });
      }
      return out;
    };
    let live = visible();
    for (let size = Math.max(1, Math.floor(live.length / 2)); size >= 1 && left(); size = size > 1 ? Math.ceil(size / 2) : 0) {
      for (let i = live.length - size; i > -size && left(); i -= size) {
        const chunk = live.slice(Math.max(0, i), i + size);
        if (chunk.length === 0) continue;
        const skip: Record<string, number[]> = {};
        for (const [n, xs] of Object.entries(best.st?.skipOps ?? {})) skip[n] = [...xs];
        for (const c of chunk) skip[c.node] = [...(skip[c.node] ?? []), c.index];
        for (const n of Object.keys(skip)) skip[n] = [...new Set(skip[n])].sort((a, b) => a - b);
        const before = best;
        if (attempt(restructured({ ...best.st, skipOps: skip })) && best !== before) {
          kept++;
          live = visible();
          i = Math.min(i, live.length);
        }
      }
      if (size === 1) break;
    }
    return kept;
  };
  phase('skip-ops', skipOps(1 / 3));

  // 3. The shortest prefix that still fails; everything after it takes the simplest option.
  const truncate = () => {
    let kept = 0;
    let lo = 0;
    let hi = best.seq.length;
    while (hi - lo > 1 && budgetLeft()) {
      const mid = Math.floor((lo + hi) / 2);
      if (attempt({ durationUs: best.durationUs, seq: best.seq.slice(0, mid), st: best.st ?? {} })) {
        hi = Math.min(mid, best.seq.length);
        kept++;
      } else lo = mid;
    }
    return kept;
  };
  phase('truncate', truncate);

  // 4. Zero whole blocks (delta debugging on values, not positions: zeroing keeps every later
  //    draw on the decision it was made for, where deleting would shift them all).
  phase('zero-blocks', () => {
    let kept = 0;
    const stopAt = runs + Math.floor((opts.maxRuns - runs) / 2);
    for (let size = Math.ceil(best.seq.length / 2); size >= 1 && runs < stopAt && budgetLeft(); size = size > 1 ? Math.ceil(size / 2) : 0) {
      for (let i = 0; i < best.seq.length && runs < stopAt && budgetLeft(); i += size) {
        if (!best.seq.slice(i, i + size).some((v) => v !== 0)) continue;
        const seq = [...best.seq];
        seq.fill(0, i, i + size);
        if (attempt({ durationUs: best.durationUs, seq, st: best.st ?? {} })) kept++;
      }
      if (size === 1) break;
    }
    return kept;
  });

  // 5. fast-check: shrink the phase length and the sequence together from the best point.
  let fcShrinks = 0;
  phase('fast-check', () => {
    if (!budgetLeft()) return 0;
    // A sixth of the budget stays for the structural passes after it.
    const fcStop = opts.maxRuns - Math.floor(opts.maxRuns / 6);
    const fcLeft = () => budgetLeft() && runs < fcStop;
    let kept = 0;
    const base = best;
    const baseMs = Math.max(1, Math.ceil(base.durationUs / 1000));
    const arb = fc.tuple(fc.integer({ min: 1, max: baseMs }), fc.array(fc.nat(), { maxLength: Math.max(1, base.seq.length) }));
    const fails = ([ms, seq]: [number, number[]]): boolean => {
      const d = Math.min(ms * 1000, base.durationUs);
      return attempt({ durationUs: d, seq: alignForDuration(t.scenario, t.variant, seq, base.durationUs, d), st: base.st ?? {} });
    };
    // fast-check's own shrink trees, walked greedily as fc.check walks them (first smaller
    // candidate that still fails becomes the new current value), but under our run budget:
    // fc.check cannot be stopped, and once the budget is spent it would still enumerate every
    // remaining candidate of a thousands-long array, which takes minutes.
    let current: fc.Value<[number, number[]]> = new fc.Value<[number, number[]]>([baseMs, [...base.seq]], undefined);
    descend: while (fcLeft()) {
      for (const candidate of arb.shrink(current.value, current.context)) {
        if (!fcLeft()) break descend;
        if (fails(candidate.value)) {
          kept++;
          fcShrinks++;
          current = candidate;
          continue descend;
        }
      }
      break; // no smaller candidate fails: a local minimum
    }
    return kept;
  });

  // 6. fast-check may have left a tail a prefix cut removes in a few runs.
  phase('truncate-again', truncate);

  // 7. Lower values may have made whole operations unnecessary: the structural cuts once more.
  phase('drop-clients-again', dropClients);
  phase('drop-early-ops-again', dropEarlyOps);
  phase('drop-ops-again', dropOps);
  phase('skip-ops-again', skipOps(1));

  /**
   * The shrunk run with every checker's verdict, for the repro: one more run of the best point
   * for the other checkers (under the candidates' budget: past the time limit they say unknown
   * at once), merged in the scenario's order. The target's verdict is the one shrinking kept.
   */
  const withAllVerdicts = (r: RunResult): RunResult => {
    const others = t.scenario.checkers.map((c) => c.name).filter((n) => n !== t.check);
    if (others.length === 0) return r;
    const rest = runWith(best, others, candidateBudget).checks;
    const checks = t.scenario.checkers.flatMap((c) => (c.name === t.check ? r.checks : rest).filter((x) => x.name === c.name));
    const expectation = t.scenario.expect[t.variant];
    return { ...r, checks, expectation: expectation ? judge(expectation, checks) : r.expectation };
  };

  const overrides: Overrides = overridesOf(best);
  return { before, after: bestSize, choices: [...best.seq], overrides, result: withAllVerdicts(bestResult), runs, phases, fcShrinks, stopped };
}

/**
 * Order on failing runs, by what a person reading the story sees: a shorter fault phase first,
 * then fewer faults, fewer operations, fewer non-zero draws, a shorter sequence, fewer events.
 * (Zeroing a workload's think time gives more operations, so "quieter" is not always "smaller".)
 * Ties keep the incumbent.
 */
function smaller(a: RunSize, aDur: number, b: RunSize, bDur: number): boolean {
  const ka = [aDur, a.faults, a.ops, a.nonZeroChoices, a.choices, a.events];
  const kb = [bDur, b.faults, b.ops, b.nonZeroChoices, b.choices, b.events];
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i] as number;
    const y = kb[i] as number;
    if (x !== y) return x < y;
  }
  return false;
}
