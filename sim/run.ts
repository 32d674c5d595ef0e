import { type Choices, RandomChoices, ReplayChoices } from './choices.ts';
import type { Budget, CheckResult, Probe } from './check/types.ts';
import { armFaults, type FaultRecord, planNemesis, type ScheduledFault } from './faults.ts';
import type { HistoryEvent } from './history.ts';
import { Kernel } from './kernel.ts';
import type { NetCounters } from './network.ts';
import type { Expectation, Scenario } from './scenario.ts';
import type { TraceSink } from './trace.ts';
import type { Micros, NodeId, Value } from './value.ts';

export interface RunOptions {
  readonly seed: number;
  readonly variant?: string;
  /** Drive the run from a recorded choice sequence instead of the seed (replay, shrinking). */
  readonly replay?: readonly number[];
  /** Record every draw (for repro files and shrinking). */
  readonly record?: boolean;
  readonly traceSink?: TraceSink;
  /** Checker budget; default 2 million search steps. */
  readonly budget?: Budget;
  /**
   * Run only the checkers with these names (default: all). The shrinker needs one verdict per
   * candidate, and another checker may spend its whole budget, minutes, on a candidate's history.
   * `checks` and `expectation` then cover only these.
   */
  readonly onlyChecks?: readonly string[];
  /** Stop after this many kernel events (a guard against runaway models). */
  readonly maxSteps?: number;
  /**
   * The explorer's own choice source (sim/explore/): it replaces both `seed` and `replay` as the
   * source of draws; if it keeps `recorded`, those become the result's `choices`.
   */
  readonly choices?: Choices & { readonly recorded?: number[] | undefined };
  /** Called with the kernel once it is built, before it starts (the explorer watches it). */
  readonly onKernel?: (kernel: Kernel) => void;
}

export interface ExpectationOutcome {
  readonly expected: string;
  readonly met: boolean;
  /** ok: as expected; unexpected: a check contradicts the expectation; unknown: out of budget. */
  readonly outcome: 'ok' | 'unexpected' | 'unknown';
}

/** Everything a run produced, as plain data: reports, repros and tests read only this. */
export interface RunResult {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly traceHash: string;
  readonly events: number;
  readonly traceEvents: number;
  /** Simulated time covered, including the settle phase. */
  readonly simTime: Micros;
  /** End of the workload-and-faults phase. */
  readonly duration: Micros;
  readonly history: readonly HistoryEvent[];
  readonly faults: readonly FaultRecord[];
  readonly plannedFaults: readonly ScheduledFault[];
  readonly net: Readonly<NetCounters>;
  readonly probes: readonly Probe[];
  readonly finalStates: Readonly<Record<NodeId, Value>>;
  readonly checks: readonly CheckResult[];
  readonly expectation: ExpectationOutcome;
  /** Draws made in order, when recorded. */
  readonly choices?: readonly number[];
  readonly draws: number;
}

/**
 * Runs one scenario on one seed (or one recorded choice sequence) from start to verdict.
 * Phases: workload with faults for `duration`; then every fault heals, crashed nodes restart
 * and clients stop issuing operations; then `settle` of quiet time; then final states are
 * read and the checkers run.
 */
export function runScenario(scenario: Scenario, opts: RunOptions): RunResult {
  const variant = opts.variant ?? scenario.defaultVariant;
  const expectation = scenario.expect[variant];
  if (!expectation) throw new Error(`scenario '${scenario.name}' has no variant '${variant}'`);
  const choices: Choices & { readonly recorded?: number[] | undefined } = opts.choices
    ? opts.choices
    : opts.replay
    ? new ReplayChoices(opts.replay, { record: opts.record ?? false })
    : new RandomChoices(opts.seed, { record: opts.record ?? false });
  let draws = 0;
  const counting: Choices = {
    int: (n, l) => {
      if (n > 1) draws++;
      return choices.int(n, l);
    },
    bool: (p, l) => {
      if (p > 0 && p < 1) draws++;
      return choices.bool(p, l);
    },
    pick: (xs, l) => {
      if (xs.length > 1) draws++;
      return choices.pick(xs, l);
    },
  };
  const nodes = scenario.buildNodes(variant);
  const servers = scenario.targets ?? nodes.filter((n) => n.role === 'server').map((n) => n.id);
  const kernel = new Kernel({
    nodes,
    network: scenario.network,
    choices: counting,
    unsyncedLossRate: scenario.unsyncedLoss,
    ...(opts.traceSink ? { traceSink: opts.traceSink } : {}),
    partitionMembers: servers,
  });
  opts.onKernel?.(kernel);
  const planned: ScheduledFault[] = [...(scenario.faults.schedule ?? [])];
  if (scenario.faults.nemesis) planned.push(...planNemesis(scenario.faults.nemesis, scenario.duration, servers, counting));
  planned.sort((a, b) => a.at - b.at);
  const skip = scenario.faults.skip;
  if (skip && skip.length > 0) {
    const kept = planned.filter((_, i) => !skip.includes(i));
    planned.length = 0;
    planned.push(...kept);
  }
  kernel.start();
  const faults = armFaults(kernel, planned);
  kernel.at(
    scenario.duration,
    () => {
      kernel.healAll();
      kernel.quiesce();
    },
    'end of workload',
  );
  const end = scenario.duration + scenario.settle;
  kernel.runUntil(end, opts.maxSteps ?? Infinity);

  const finalStates = kernel.finalStates();
  const history = kernel.history.events;
  const budget = opts.budget ?? { steps: 2_000_000 };
  const only = opts.onlyChecks;
  const checkers = only ? scenario.checkers.filter((c) => only.includes(c.name)) : scenario.checkers;
  // healAll ends partitions, clogs, degradations and crashes at the end of the workload; a drift
  // or a pause runs on to its own end (a clock still off-rate, a node still frozen), and a checker
  // that excuses behaviour under a fault must see it last that long.
  const endedByHealAll = (f: FaultRecord) => f.kind !== 'drift' && f.kind !== 'pause';
  const faultRecords = faults.map((f) => ({ ...f, until: Math.min(f.until, endedByHealAll(f) ? scenario.duration : end) }));
  const checks = checkers.map((c) =>
    c.check({ history, finalStates, probes: kernel.probes, budget, faults: faultRecords, duration: scenario.duration, end: kernel.now }),
  );
  return {
    scenario: scenario.name,
    variant,
    seed: opts.seed,
    traceHash: kernel.trace.hash,
    events: kernel.steps,
    traceEvents: kernel.trace.count,
    simTime: kernel.now,
    duration: scenario.duration,
    history,
    faults: faultRecords,
    plannedFaults: planned,
    net: { ...kernel.network.counters },
    probes: kernel.probes,
    finalStates: Object.fromEntries(finalStates),
    checks,
    expectation: judge(expectation, checks),
    ...(choices.recorded ? { choices: choices.recorded } : {}),
    draws,
  };
}

/** Compares the verdicts with what the scenario says a correct bench must report. */
export function judge(e: Expectation, checks: readonly CheckResult[]): ExpectationOutcome {
  if ('holds' in e) {
    const bad = checks.filter((c) => c.verdict === 'violation');
    const unknown = checks.filter((c) => c.verdict === 'unknown');
    if (bad.length > 0) return { expected: 'all checks hold', met: false, outcome: 'unexpected' };
    if (unknown.length > 0) return { expected: 'all checks hold', met: false, outcome: 'unknown' };
    return { expected: 'all checks hold', met: true, outcome: 'ok' };
  }
  const expected = `violation of ${e.violates.join(', ')}`;
  const verdicts = e.violates.map((name) => checks.find((c) => c.name === name)?.verdict);
  if (verdicts.every((v) => v === 'violation')) return { expected, met: true, outcome: 'ok' };
  if (verdicts.some((v) => v === 'unknown')) return { expected, met: false, outcome: 'unknown' };
  return { expected, met: false, outcome: 'unexpected' };
}
