import type { Budget } from '../check/types.ts';
import { Hash64 } from '../hash.ts';
import type { Kernel } from '../kernel.ts';
import { runScenario, type RunResult } from '../run.ts';
import type { Scenario } from '../scenario.ts';
import { ExploreChoices, type TailPolicy } from './explore-choices.ts';
import type { Expansion, SearchSpace, Visit } from './search.ts';

/**
 * A scenario's runs as a search space. A node is a choice prefix; expanding it is one run
 * driven by that prefix and zeros after it (the quietest continuation), which visits a whole
 * path of the choice tree at once. Every draw past the prefix, below the depth bound, adds one
 * child per other value it could have taken: the same draws up to it, then that value.
 *
 * States are observed between kernel events, at the first boundary after any draw (a run's
 * state only branches where it draws). A state's digest is the kernel's stateDigest() (time,
 * every process's fingerprint(), storage, pending events, faults) plus the history and probes
 * so far, since the checkers judge the history: two runs in the same state with different
 * histories are not the same for them. The digest's depth is the number of draws made so far.
 */

/** What the explorer looks for in a run: a contradiction of the scenario's expectation. */
export interface ScenarioFind {
  /** The run, made with its draws recorded (its `choices` replay it). */
  readonly result: RunResult;
}

export interface ScenarioSpaceOptions {
  readonly variant: string;
  /** Draws at or past this index are not branched on (they stay 0). */
  readonly depth?: number;
  /** Checker budget per run. */
  readonly budget?: Budget;
  /** false: never prune (also what happens when a process has no fingerprint()). */
  readonly prune?: boolean;
  /** false: branch on every order of a tie, not only on orders of dependent events (default true). */
  readonly reduce?: boolean;
}

/**
 * The same-instant reduction. Events due at one instant on different nodes commute as far as
 * the state goes: each changes only its own node (memory, storage, timers) and sends messages
 * that arrive later (checked: the kernel counts messages delivered at the instant they were
 * sent, and the explorer refuses a run that has one). So at a tie only the order among the
 * first candidate's node's events matters, and those candidates are a persistent set. What the
 * order of different nodes can still change is the order of their history and probe records
 * at that instant, which the checkers read (the linearizability checker takes array order as
 * real-time order). So the reduction is applied after the run, per instant: where two or more
 * nodes wrote a record at an instant, every tie at that instant branches on every order (the
 * same events run at that instant in any order, so the same nodes write there in every order).
 * A kernel action (a fault, the end of the workload) touches every node: a tie with one in it
 * branches on every order. Returns the option indices to explore, or undefined for all.
 */
export function persistentTie(cands: readonly { node: number }[]): number[] | undefined {
  if (cands.length === 0 || cands.some((c) => c.node < 0)) return undefined;
  const first = (cands[0] as { node: number }).node;
  const out: number[] = [];
  cands.forEach((c, i) => {
    if (c.node === first) out.push(i);
  });
  return out.length === cands.length ? undefined : out;
}

/** Instants at which records of two or more nodes were written (history or probes). */
function sharedInstants(k: Kernel): Set<number> {
  const writers = new Map<number, string>();
  const shared = new Set<number>();
  const note = (t: number, node: string | undefined) => {
    const w = writers.get(t);
    if (w === undefined) writers.set(t, node ?? '');
    else if (w !== (node ?? '')) shared.add(t);
  };
  for (const e of k.history.events) note(e.time, e.node);
  for (const p of k.probes) note(p.time, p.node);
  return shared;
}

export class ReductionError extends Error {}

/** What the space learned while the search ran it, beside the engine's own figures. */
export interface ScenarioSpaceReport {
  /** Live nodes seen without a fingerprint(): while any exists pruning is off. */
  readonly unfingerprinted: readonly string[];
  /** Observations that could be hashed (pruning possible). */
  readonly hashed: number;
  /** Draws made in all runs. */
  readonly draws: number;
}

/** Thrown at a boundary whose state was seen: the rest of the run is explored already. */
class Pruned extends Error {}

/** The run reached what the search looks for: expected violation found, or an unexpected one. */
export function isFind(r: RunResult, expectHolds: boolean): boolean {
  return expectHolds ? r.expectation.outcome === 'unexpected' : r.expectation.met;
}

export interface ObservedRun {
  readonly result: RunResult | undefined;
  readonly choices: ExploreChoices;
  readonly observed: number;
}

/**
 * One run of the scenario driven by `prefix` then `tail`; at each observed state `observe` is
 * called with its digest (undefined when it cannot be hashed) and may return false to abandon
 * the run (the result is then undefined).
 */
export function observedRun(
  scenario: Scenario,
  o: { variant: string; budget?: Budget },
  prefix: readonly number[],
  tail: TailPolicy | undefined,
  observe: ((digest: string | undefined, depth: number, kernel: Kernel) => boolean) | undefined,
  onKernel?: (k: Kernel, c: ExploreChoices) => void,
  reduce = false,
): ObservedRun {
  const choices = new ExploreChoices(prefix, tail);
  let kernel: Kernel | undefined;
  const drawTimes: number[] = [];
  let observed = 0;
  let lastDraws = -1;
  let histLen = 0;
  let probeLen = 0;
  const hist = new Hash64();
  try {
    const result = runScenario(scenario, {
      seed: 0,
      variant: o.variant,
      choices,
      ...(o.budget ? { budget: o.budget } : {}),
      onKernel: (k) => {
        kernel = k;
        onKernel?.(k, choices);
        if (reduce) {
          choices.narrow = (label, _n, i) => {
            if (label !== 'sched.tie') return undefined;
            drawTimes[i] = k.now;
            return persistentTie(k.tieCandidates());
          };
        }
        if (!observe) return;
        k.onBoundary = () => {
          const c = choices.consumed;
          if (c === lastDraws) return;
          lastDraws = c;
          observed++;
          const d = k.stateDigest();
          let digest: string | undefined;
          if (d !== undefined) {
            const h = k.history.events;
            for (; histLen < h.length; histLen++) hist.updateString(JSON.stringify(h[histLen]));
            const p = k.probes;
            for (; probeLen < p.length; probeLen++) hist.updateString(JSON.stringify(p[probeLen]));
            digest = new Hash64().updateString(d).hex() + hist.hex() + `:${histLen}:${probeLen}`;
          }
          if (!observe(digest, c, k)) throw new Pruned();
        };
      },
    });
    settleReduction(reduce, kernel, choices, drawTimes, false);
    return { result, choices, observed };
  } catch (err) {
    if (err instanceof Pruned) {
      settleReduction(reduce, kernel, choices, drawTimes, true);
      return { result: undefined, choices, observed };
    }
    throw err;
  }
}

/**
 * After a run: refuses a run the reduction does not hold for, and widens every tie at an
 * instant where two nodes wrote records back to every order. A run abandoned mid-instant
 * widens the ties of its last instant too (what else would have been written there is unknown).
 */
function settleReduction(reduce: boolean, k: Kernel | undefined, c: ExploreChoices, drawTimes: readonly number[], abandoned: boolean): void {
  if (!reduce || !k) return;
  if (k.zeroDelayMessages > 0) {
    throw new ReductionError('the same-instant reduction needs every message to take at least 1 us, and this run delivered one at once; explore without it (--no-reduce)');
  }
  const shared = sharedInstants(k);
  drawTimes.forEach((t, i) => {
    if (t !== undefined && (shared.has(t) || (abandoned && t === k.now))) c.worth[i] = undefined;
  });
}

export function scenarioSpace(
  scenario: Scenario,
  o: ScenarioSpaceOptions,
): SearchSpace<readonly number[], ScenarioFind> & { report(): ScenarioSpaceReport } {
  const expectation = scenario.expect[o.variant];
  if (!expectation) throw new Error(`scenario '${scenario.name}' has no variant '${o.variant}'`);
  const expectHolds = 'holds' in expectation;
  const maxDepth = o.depth ?? Infinity;
  const unfingerprinted = new Set<string>();
  let hashed = 0;
  let draws = 0;
  return {
    roots: () => [[]],
    expand(prefix, visit: Visit): Expansion<readonly number[], ScenarioFind> {
      const run = observedRun(scenario, o, prefix, undefined, (digest, depth, k) => {
        // States before the prefix's last draw are the parent run's: seen already.
        if (depth < prefix.length) return true;
        if (digest === undefined) {
          for (const id of k.unfingerprinted()) unfingerprinted.add(id);
          return true;
        }
        hashed++;
        if (o.prune === false) return true;
        return visit(digest, depth);
      }, undefined, o.reduce !== false);
      const { options, recorded, worth } = run.choices;
      draws += options.length;
      const children: number[][] = [];
      let truncated = false;
      for (let i = prefix.length; i < options.length; i++) {
        const n = options[i] as number;
        if (i >= maxDepth) {
          if (n > 1) truncated = true;
          continue;
        }
        const values = worth[i];
        for (let v = 1; v < n; v++) {
          if (values && !values.includes(v)) continue;
          const child = recorded.slice(0, i);
          child.push(v);
          children.push(child);
        }
      }
      const r = run.result;
      const found = r !== undefined && isFind(r, expectHolds);
      const undecided = r !== undefined && !found && r.expectation.outcome === 'unknown';
      return {
        children,
        depth: options.length,
        truncated,
        observed: run.observed,
        ...(found ? { violation: { result: r } } : {}),
        ...(undecided ? { undecided } : {}),
      };
    },
    report: () => ({ unfingerprinted: [...unfingerprinted].sort(), hashed, draws }),
  };
}
