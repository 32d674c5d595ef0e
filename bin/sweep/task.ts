import type { Verdict } from '../../sim/check/types.ts';

/** One unit of sweep work: a scenario, a variant and a seed. */
export interface Task {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
}

/** What the worker pool is told once per worker. */
export interface WorkerConfig {
  /** Directory for repro files, or null to write none. */
  readonly reproDir: string | null;
}

/**
 * One line of a sweep's results file (JSON lines, one per task). Only deterministic fields
 * besides `wallMs`, so two sweeps of the same seeds can be diffed line by line.
 */
export interface ResultLine extends Task {
  readonly traceHash: string;
  /** ok: as the scenario expects; unexpected; unknown (out of budget); error (the run threw). */
  readonly outcome: 'ok' | 'unexpected' | 'unknown' | 'error';
  readonly met: boolean;
  readonly expected: string;
  readonly verdicts: Readonly<Record<string, Verdict>>;
  readonly ops: number;
  readonly faults: number;
  readonly events: number;
  readonly simTimeMs: number;
  readonly wallMs: number;
  /** Path of the repro written for a violation, if any. */
  readonly repro?: string;
  /** The error message when outcome is `error`. */
  readonly error?: string;
}

export const taskKey = (t: Task): string => `${t.scenario}\u0000${t.variant}\u0000${t.seed}`;
