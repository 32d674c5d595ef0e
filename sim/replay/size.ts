import type { RunResult } from '../run.ts';
import type { Micros } from '../value.ts';

/** How big a run's story is: what shrinking makes smaller and what it reports before and after. */
export interface RunSize {
  /** Client operations invoked. */
  readonly ops: number;
  /** Faults actually injected. */
  readonly faults: number;
  /** Kernel events processed. */
  readonly events: number;
  /** Simulated time covered, settle phase included. */
  readonly simTimeUs: Micros;
  /** Length of the choice sequence without its trailing zeros. */
  readonly choices: number;
  /** Draws that were not the simplest option. */
  readonly nonZeroChoices: number;
}

export function measureRun(r: RunResult): RunSize {
  const seq = r.choices ?? [];
  let end = seq.length;
  while (end > 0 && seq[end - 1] === 0) end--;
  let nonZero = 0;
  for (const v of seq) if (v !== 0) nonZero++;
  return {
    ops: r.history.filter((e) => e.type === 'invoke').length,
    faults: r.faults.length,
    events: r.events,
    simTimeUs: r.simTime,
    choices: end,
    nonZeroChoices: nonZero,
  };
}
