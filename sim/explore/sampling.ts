import type { Budget } from '../check/types.ts';
import { RandomChoices } from '../choices.ts';
import { seedFor } from '../hash.ts';
import type { Kernel } from '../kernel.ts';
import type { RunResult } from '../run.ts';
import type { Scenario } from '../scenario.ts';
import type { TailPolicy } from './explore-choices.ts';
import { isFind, observedRun } from './scenario-space.ts';
import type { CutOff } from './search.ts';

/**
 * The sampling strategies: independent runs, each from its own seed, stopping at the first run
 * that contradicts the scenario's expectation. They never exhaust a space, so they can find a
 * bug but never prove its absence.
 *
 *  - random: every draw from RandomChoices seeded per run (uniform over an int's options, a
 *    bool with its stated probability): the same distribution `faultline run` uses.
 *  - pct: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
 *    2010) over the schedule. A "thread" is what caused an event: a message's sender, a timer's
 *    or start's own node, or the kernel for its actions (n = nodes + 1). A "step" is one
 *    same-instant scheduling draw ("sched.tie"); k is the most such draws a run has made so far
 *    (a quiet run first measures it). Each run gives the threads distinct random priorities
 *    d..d+n-1 and picks d-1 distinct change points in 1..k; at every tie the candidate of the
 *    highest-priority thread runs (the first in sequence order among its events), and after the
 *    i-th change point's step that thread's priority drops to i, below every initial one. Every
 *    other draw (delays, workload, faults) is random, as in `random`. The paper's bound: a bug
 *    of depth d (d ordering constraints among steps) is found by one run with probability at
 *    least 1/(n k^(d-1)); it holds here for bugs whose constraints are among tie orders, given
 *    the random draws, and k must bound the steps of the runs that matter.
 */
export type SampleStrategy = 'random' | 'pct';

export interface SampleOptions {
  readonly variant: string;
  readonly strategy: SampleStrategy;
  readonly seed: number;
  /** PCT's bug depth d (default 2). */
  readonly pctDepth?: number;
  readonly maxRuns: number;
  readonly budget?: Budget;
  readonly shouldStop?: () => boolean;
}

export interface SampleResult {
  readonly strategy: SampleStrategy;
  readonly runs: number;
  /** The first run that contradicted the expectation (recorded, so it replays). */
  readonly found: RunResult | undefined;
  /** Runs whose checks ran out of budget. */
  readonly undecided: number;
  /** States observed (one per boundary after a draw). */
  readonly visited: number;
  /** Distinct state digests among them, when every process has a fingerprint(). */
  readonly distinct: number | undefined;
  readonly maxDepth: number;
  readonly cutOff: readonly CutOff[];
  /** PCT's parameters as used: n threads, k steps (the last estimate), depth d. */
  readonly pct?: { readonly n: number; readonly k: number; readonly d: number };
}

class RandomTail implements TailPolicy {
  constructor(private readonly rng: RandomChoices) {}
  int(n: number, label: string): number {
    return this.rng.int(n, label);
  }
  bool(p: number, label: string): boolean {
    return this.rng.bool(p, label);
  }
}

/** One PCT run's scheduler. */
class PctTail implements TailPolicy {
  private readonly priority: number[];
  /** Step number -> the priority the thread running it drops to. */
  private readonly changes = new Map<number, number>();
  steps = 0;
  kernel: Kernel | undefined;

  constructor(
    private readonly rng: RandomChoices,
    private readonly threads: number,
    k: number,
    d: number,
  ) {
    // Distinct priorities d..d+n-1 in random order (Fisher-Yates from the run's own stream).
    const p = Array.from({ length: threads }, (_, i) => d + i);
    for (let i = threads - 1; i > 0; i--) {
      const j = rng.int(i + 1, 'pct.priority');
      [p[i], p[j]] = [p[j] as number, p[i] as number];
    }
    this.priority = p;
    // d-1 distinct change points in 1..k; the i-th (in draw order) lowers to priority i.
    for (let i = 1; i < d && this.changes.size < k; i++) {
      let at: number;
      do at = 1 + rng.int(Math.max(1, k), 'pct.change');
      while (this.changes.has(at));
      this.changes.set(at, i);
    }
  }

  int(n: number, label: string): number {
    if (label !== 'sched.tie' || !this.kernel) return this.rng.int(n, label);
    const cands = this.kernel.tieCandidates();
    const thread = (c: { cause: number }) => (c.cause < 0 ? this.threads - 1 : c.cause);
    let best = 0;
    for (let i = 1; i < cands.length; i++) {
      if ((this.priority[thread(cands[i] as { cause: number })] as number) > (this.priority[thread(cands[best] as { cause: number })] as number)) best = i;
    }
    this.steps++;
    const drop = this.changes.get(this.steps);
    if (drop !== undefined) this.priority[thread(cands[best] as { cause: number })] = drop;
    return best;
  }

  bool(p: number, label: string): boolean {
    return this.rng.bool(p, label);
  }
}

export function sampleScenario(scenario: Scenario, o: SampleOptions): SampleResult {
  const expectation = scenario.expect[o.variant];
  if (!expectation) throw new Error(`scenario '${scenario.name}' has no variant '${o.variant}'`);
  const expectHolds = 'holds' in expectation;
  const d = o.pctDepth ?? 2;
  const seen = new Set<string>();
  let hashable = true;
  let visited = 0;
  let runs = 0;
  let undecided = 0;
  let maxDepth = 0;
  let k = 0;
  let threads = 0;
  const cut: CutOff[] = [];
  let found: RunResult | undefined;
  const one = (tail: TailPolicy | undefined, onKernel?: (k: Kernel) => void) => {
    const run = observedRun(
      scenario,
      { variant: o.variant, ...(o.budget ? { budget: o.budget } : {}) },
      [],
      tail,
      (digest) => {
        if (digest === undefined) hashable = false;
        else seen.add(digest);
        return true;
      },
      onKernel,
    );
    runs++;
    visited += run.observed;
    maxDepth = Math.max(maxDepth, run.choices.consumed);
    const ties = run.choices.labels.filter((l) => l === 'sched.tie').length;
    k = Math.max(k, ties);
    const r = run.result as RunResult;
    if (isFind(r, expectHolds)) found = r;
    else if (r.expectation.outcome === 'unknown') undecided++;
  };
  if (o.strategy === 'pct') {
    // The quiet run measures k (and is a run like any other: it may find the bug).
    one(undefined, (kk) => {
      threads = kk.roles().length + 1;
    });
  }
  for (let i = 0; found === undefined; i++) {
    if (runs >= o.maxRuns) {
      cut.push('runs');
      break;
    }
    if (o.shouldStop?.()) {
      cut.push('time');
      break;
    }
    const rng = new RandomChoices(seedFor(o.seed, `explore.run.${i}`));
    if (o.strategy === 'random') one(new RandomTail(rng));
    else {
      const tail = new PctTail(rng, threads, k, d);
      one(tail, (kk) => {
        tail.kernel = kk;
      });
    }
  }
  return {
    strategy: o.strategy,
    runs,
    found,
    undecided,
    visited,
    distinct: hashable ? seen.size : undefined,
    maxDepth,
    cutOff: found ? [] : cut,
    ...(o.strategy === 'pct' ? { pct: { n: threads, k, d } } : {}),
  };
}
