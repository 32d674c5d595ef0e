import type { Budget } from '../check/types.ts';
import type { RunResult } from '../run.ts';
import type { Scenario } from '../scenario.ts';
import { sampleScenario } from './sampling.ts';
import { scenarioSpace } from './scenario-space.ts';
import { type CutOff, search } from './search.ts';

/** `faultline explore`'s core, as plain data in and out (host time stays in bin/). */
export type Strategy = 'dfs' | 'bfs' | 'pct' | 'random';
export const STRATEGIES: readonly Strategy[] = ['dfs', 'bfs', 'pct', 'random'];

export interface ExploreOptions {
  readonly variant: string;
  readonly strategy: Strategy;
  /** dfs/bfs: draws past this depth are not branched on. pct: the bug depth d (default 2). */
  readonly depth?: number;
  readonly maxStates?: number;
  /** Default: unbounded for dfs/bfs, 1000 for pct/random (which never run out on their own). */
  readonly maxRuns?: number;
  /** Seed of the sampling strategies' runs. */
  readonly seed?: number;
  readonly budget?: Budget;
  readonly shouldStop?: () => boolean;
  /** dfs/bfs: prune revisited states (default: whenever every process has a fingerprint()). */
  readonly prune?: boolean;
  /** dfs/bfs: the same-instant reduction (default on). */
  readonly reduce?: boolean;
}

export type ExploreOutcome =
  /** A run contradicting the expectation's "holds", or showing its expected violation. */
  | 'found'
  /** The whole space was explored and nothing was found: proved for this configuration. */
  | 'exhausted'
  /** A bound stopped the search first. */
  | 'cut-off';

export interface ExploreReport {
  readonly scenario: string;
  readonly variant: string;
  readonly strategy: Strategy;
  readonly expected: string;
  readonly outcome: ExploreOutcome;
  /** States observed, with repeats. */
  readonly visited: number;
  /** Distinct state digests; null when states cannot be hashed (a process has no fingerprint()). */
  readonly distinct: number | null;
  readonly runs: number;
  /** Most draws a run made (its depth in the choice tree). */
  readonly maxDepth: number;
  readonly cutOff: readonly CutOff[];
  /** Runs whose checks ran out of budget (no proof is possible with any). */
  readonly undecided: number;
  /** Whether revisited states were pruned, and why not. */
  readonly pruning: string;
  /** The first run found, recorded (its `choices` replay it); undefined when none. */
  readonly found: RunResult | undefined;
  /** For a found run: its draws that were not 0 (bfs finds one with the fewest). */
  readonly nonZeroChoices?: number;
  readonly pct?: { readonly n: number; readonly k: number; readonly d: number };
}

export function exploreScenario(scenario: Scenario, o: ExploreOptions): ExploreReport {
  const e = scenario.expect[o.variant];
  if (!e) throw new Error(`scenario '${scenario.name}' has no variant '${o.variant}'`);
  const expected = 'holds' in e ? 'all checks hold' : `violation of ${e.violates.join(', ')}`;
  const base = { scenario: scenario.name, variant: o.variant, strategy: o.strategy, expected };
  const nonZero = (r: RunResult | undefined) => (r ? { nonZeroChoices: (r.choices ?? []).filter((v) => v !== 0).length } : {});
  if (o.strategy === 'pct' || o.strategy === 'random') {
    const s = sampleScenario(scenario, {
      variant: o.variant,
      strategy: o.strategy,
      seed: o.seed ?? 1,
      maxRuns: o.maxRuns ?? 1000,
      ...(o.strategy === 'pct' && o.depth !== undefined ? { pctDepth: o.depth } : {}),
      ...(o.budget ? { budget: o.budget } : {}),
      ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
    });
    return {
      ...base,
      outcome: s.found ? 'found' : 'cut-off',
      visited: s.visited,
      distinct: s.distinct ?? null,
      runs: s.runs,
      maxDepth: s.maxDepth,
      cutOff: s.found ? [] : s.cutOff,
      undecided: s.undecided,
      pruning: 'none (sampling)',
      found: s.found,
      ...nonZero(s.found),
      ...(s.pct ? { pct: s.pct } : {}),
    };
  }
  const space = scenarioSpace(scenario, {
    variant: o.variant,
    ...(o.depth !== undefined ? { depth: o.depth } : {}),
    ...(o.budget ? { budget: o.budget } : {}),
    ...(o.prune === false ? { prune: false } : {}),
    ...(o.reduce === false ? { reduce: false } : {}),
  });
  const r = search(space, o.strategy, {
    ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
    ...(o.maxRuns !== undefined ? { maxRuns: o.maxRuns } : {}),
    ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
  });
  const rep = space.report();
  const hashable = rep.unfingerprinted.length === 0;
  const found = r.violation?.result;
  return {
    ...base,
    outcome: found ? 'found' : r.exhausted && r.undecided === 0 ? 'exhausted' : 'cut-off',
    visited: r.visited,
    distinct: hashable && o.prune !== false ? r.distinct : null,
    runs: r.runs,
    maxDepth: r.maxDepth,
    cutOff: r.cutOff,
    undecided: r.undecided,
    pruning:
      o.prune === false ? 'off (asked)' : hashable ? 'on' : `off: no fingerprint() on ${rep.unfingerprinted.join(', ')}, so states cannot be told equal`,
    found,
    ...nonZero(found),
  };
}

/** Exit status as `run`'s: 0 what the scenario expects, 1 not, 2 no decision within the bounds. */
export function exploreExit(r: ExploreReport, expectHolds: boolean): 0 | 1 | 2 {
  if (r.outcome === 'found') return expectHolds ? 1 : 0;
  if (r.outcome === 'exhausted') return expectHolds ? 0 : 1;
  return 2;
}
