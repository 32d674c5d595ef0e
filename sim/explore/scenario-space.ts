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
 * The same-instant reduction: dynamic partial-order reduction (Flanagan and Godefroid, POPL 2005)
 * over the events due at one instant. Two events at one instant are *dependent* when they run on
 * the same node, when either is a kernel action (a fault, the end of the workload: it touches
 * every node), or when both wrote a record (history or probe: the checkers read the order of
 * records, linearizability takes array order as real-time order). Any other two commute: each
 * changes only its own node (memory, storage, timers) and sends messages that arrive later
 * (checked: the kernel counts messages delivered at the instant they were sent, and the explorer
 * refuses a run that has one); swapping them renames timer ids and message sequence numbers,
 * which no process can tell apart.
 *
 * At a tie the run branches first on the first candidate's node's events (`persistentTie`);
 * after the run, every pair of dependent events at one instant is a race, and the tie at which
 * the earlier one was chosen also branches on the later one's node's events there (a backtrack
 * point, added to an ancestor's draw when the race spans the run's prefix). As in DPOR, a
 * dependence is judged on what the events did in this run; the races of every explored run add
 * the backtracks that reach every order of dependent events, so every class of equivalent runs
 * (same events, dependent ones in the same order) is run at least once.
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

/** One event of a run, as the race analysis sees it. */
interface Step {
  readonly time: number;
  /** The "sched.tie" draw that chose it, if there was one. */
  readonly draw: number | undefined;
  /** Nodes that wrote records (history or probes) in it; empty when it wrote none. */
  readonly writers: readonly number[];
}

/** A tie draw: when, and the node of each candidate (-1: a kernel action). */
interface TieDraw {
  readonly time: number;
  readonly nodes: readonly number[];
}

/**
 * The values worth exploring at each tie draw of a finished run: the persistent set, widened by
 * the run's races (see above). `abandonedAt`: the run was abandoned at this instant (a state seen
 * before): what else would have run there is unknown, so its ties branch on every order.
 * Returns draw index -> values (undefined: every value).
 */
function raceBacktracks(ties: ReadonlyMap<number, TieDraw>, steps: readonly Step[], chosen: readonly number[], abandonedAt: number | undefined): Map<number, Set<number> | undefined> {
  const out = new Map<number, Set<number> | undefined>();
  const all = (i: number) => out.set(i, undefined);
  for (const [i, d] of ties) {
    if (abandonedAt !== undefined && d.time === abandonedAt) {
      all(i);
      continue;
    }
    const p = persistentTie(d.nodes.map((node) => ({ node })));
    out.set(i, p === undefined ? undefined : new Set(p));
  }
  // Races: an event chosen at a tie, and a later event of the same instant dependent on it. Same
  // node: already in the persistent set (every candidate of the chosen node's... see below).
  for (let j = 0; j < steps.length; j++) {
    const sj = steps[j] as Step;
    if (sj.draw === undefined || sj.writers.length === 0) continue;
    const d = ties.get(sj.draw) as TieDraw;
    const set = out.get(sj.draw);
    if (set === undefined) continue;
    const own = d.nodes[chosen[sj.draw] as number] as number;
    for (let l = j + 1; l < steps.length && (steps[l] as Step).time === sj.time; l++) {
      for (const m of (steps[l] as Step).writers) {
        if (m === own) continue;
        let any = false;
        d.nodes.forEach((n, v) => {
          if (n === m) {
            set.add(v);
            any = true;
          }
        });
        // The later writer's node had no candidate here (cannot happen without zero-delay
        // messages between nodes); every order, to be safe.
        if (!any) {
          all(sj.draw);
          break;
        }
      }
      if (out.get(sj.draw) === undefined) break;
    }
  }
  // The chosen node's other events at each tie: same-node events are dependent.
  for (const [i, d] of ties) {
    const set = out.get(i);
    if (set === undefined) continue;
    const own = d.nodes[chosen[i] as number] as number;
    d.nodes.forEach((n, v) => {
      if (n === own) set.add(v);
    });
    set.add(chosen[i] as number);
    if (set.size === d.nodes.length) out.set(i, undefined);
  }
  return out;
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
  /** Branches a race added at a draw of an earlier run's prefix (dynamic partial-order reduction's backtrack points). */
  readonly lateBranches: number;
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
  /**
   * With the reduction: per tie draw of the run (prefix included), the values worth exploring
   * (undefined: all). Without it: empty (every value of every draw is worth it).
   */
  readonly worth: ReadonlyMap<number, ReadonlySet<number> | undefined>;
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
  let observed = 0;
  let lastDraws = -1;
  let histLen = 0;
  let probeLen = 0;
  const hist = new Hash64();
  // The race analysis' record of the run: tie draws and the events they chose.
  const ties = new Map<number, TieDraw>();
  const steps: Step[] = [];
  let stepDraw: number | undefined;
  let stepTime = 0;
  let stepHist = 0;
  let stepProbes = 0;
  let index: Map<string, number> | undefined;
  /** Time of the latest record (history or probe) so far, or -1. */
  const recordedAt = (k: Kernel): number => {
    const h = k.history.events;
    const p = k.probes;
    return Math.max(h.length > 0 ? (h[h.length - 1] as { time: number }).time : -1, p.length > 0 ? (p[p.length - 1] as { time: number }).time : -1);
  };
  const endStep = (k: Kernel) => {
    const h = k.history.events;
    const p = k.probes;
    if (stepHist === h.length && stepProbes === p.length && stepDraw === undefined) return;
    stepTime = k.now;
    index ??= new Map(k.nodeIds.map((id, i) => [id, i]));
    const writers = new Set<number>();
    for (let i = stepHist; i < h.length; i++) writers.add(index.get((h[i] as { node: string }).node) ?? -1);
    for (let i = stepProbes; i < p.length; i++) writers.add(index.get((p[i] as { node: string }).node) ?? -1);
    steps.push({ time: stepTime, draw: stepDraw, writers: [...writers] });
    stepHist = h.length;
    stepProbes = p.length;
    stepDraw = undefined;
  };
  const settle = (abandoned: boolean) => {
    if (!reduce || !kernel) return new Map<number, Set<number> | undefined>();
    if (kernel.zeroDelayMessages > 0) {
      throw new ReductionError('the same-instant reduction needs every message to take at least 1 us, and this run delivered one at once; explore without it (--no-reduce)');
    }
    endStep(kernel);
    return raceBacktracks(ties, steps, choices.recorded, abandoned ? kernel.now : undefined);
  };
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
            ties.set(i, { time: k.now, nodes: k.tieCandidates().map((c) => c.node) });
            stepDraw = i;
            return undefined;
          };
        }
        if (!observe && !reduce) return;
        k.onBoundary = () => {
          // The event since the last boundary is over: what it wrote is known now.
          if (reduce) endStep(k);
          if (!observe) return;
          const c = choices.consumed;
          if (c === lastDraws) return;
          // Where an instant ends, or before any record of the instant was written: every race
          // is between two records of one instant, so a run abandoned at such a state has seen
          // the earlier event of every race that spans it (see raceBacktracks). In the middle of
          // an instant that has records, the cached continuation's later records are unknown.
          const next = k.nextEventTime();
          if (next >= 0 && next <= k.now && recordedAt(k) === k.now) return;
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
    return { result, choices, observed, worth: settle(false) };
  } catch (err) {
    if (err instanceof Pruned) return { result: undefined, choices, observed, worth: settle(false) };
    throw err;
  }
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
  let late = 0;
  /** Every prefix put on the frontier: a race may ask for a branch another run already made. */
  const made = new Set<string>(['']);
  const key = (recorded: readonly number[], i: number, v: number) => `${recorded.slice(0, i).join(',')}${i > 0 ? ',' : ''}${v}`;
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
        // Without a depth bound a state is worth exploring once, however deep it was reached.
        return visit(digest, maxDepth === Infinity ? 0 : depth);
      }, undefined, o.reduce !== false);
      const { options, recorded, labels } = run.choices;
      const worth = run.worth;
      draws += options.length;
      const children: number[][] = [];
      let truncated = false;
      const branch = (i: number, v: number) => {
        const k = key(recorded, i, v);
        if (made.has(k)) return;
        made.add(k);
        const child = recorded.slice(0, i);
        child.push(v);
        children.push(child);
        if (i < prefix.length) late++;
      };
      // The run's own draws branch on every value worth it; a draw of the prefix (an ancestor's)
      // only on what a race of this run adds there (the reduction's backtrack points).
      for (let i = 0; i < options.length; i++) {
        const n = options[i] as number;
        const own = i >= prefix.length;
        if (!own && !worth.has(i)) continue;
        if (i >= maxDepth) {
          if (own && n > 1) truncated = true;
          continue;
        }
        const values = labels[i] === 'sched.tie' ? worth.get(i) : undefined;
        for (let v = 0; v < n; v++) {
          if (v === recorded[i]) continue;
          if (values && !values.has(v)) continue;
          branch(i, v);
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
    report: () => ({ unfingerprinted: [...unfingerprinted].sort(), hashed, draws, lateBranches: late }),
  };
}
