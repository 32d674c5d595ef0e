import type { FaultRecord } from '../faults.ts';
import type { HistoryEvent } from '../history.ts';
import type { Micros, NodeId, Value } from '../value.ts';

/** ok: the property holds; violation: it does not, with evidence; unknown: out of budget. */
export type Verdict = 'ok' | 'violation' | 'unknown';

export interface CheckResult {
  /** The checker's name as a scenario lists it, e.g. `linearizable`, `convergence`. */
  readonly name: string;
  readonly verdict: Verdict;
  /** One line a person reads first. */
  readonly summary: string;
  /** Plain data a report can draw: witness orders, failing sub-histories, diverging replicas. */
  readonly evidence?: Value;
}

/**
 * Everything a checker may look at after a run. Checkers never import models: what they need
 * from a design comes in as plain data here.
 */
export interface CheckInput {
  readonly history: readonly HistoryEvent[];
  /** Final state of each live replica after faults healed and the network went quiet. */
  readonly finalStates: ReadonlyMap<NodeId, Value>;
  /**
   * Invariant probes recorded during the run by the design itself (e.g. "two lock holders at
   * once"); each is a named observation with the virtual time it was made.
   */
  readonly probes: readonly Probe[];
  /** Deterministic work budget (search steps); past it a checker answers `unknown`. */
  readonly budget: Budget;
  /**
   * The faults this run injected, as they fired (`until` clipped to `duration`). A check that
   * needs "after the heal" reads it here, so a shrunk run (fewer faults, shorter time) is judged
   * by the same rule as the run it came from.
   */
  readonly faults?: readonly FaultRecord[];
  /** End of this run's workload-and-faults phase: every fault heals then and clients stop issuing. */
  readonly duration?: Micros;
  /** Virtual time at which final states were read (end of the settle phase). */
  readonly end?: Micros;
}

export interface Probe {
  readonly name: string;
  readonly time: number;
  readonly node: NodeId;
  readonly ok: boolean;
  readonly detail: Value;
}

/**
 * A checker's budget. `steps` keeps verdicts deterministic (same history, same verdict);
 * `expired` lets the CLI add a wall-clock limit from outside sim/, where host time is allowed.
 */
export interface Budget {
  readonly steps: number;
  readonly expired?: () => boolean;
}

export interface Checker {
  readonly name: string;
  check(input: CheckInput): CheckResult;
}
