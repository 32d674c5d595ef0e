import { findScenario } from '../../scenarios/index.ts';
import { runScenario } from '../../sim/run.ts';
import { saveRunRepro } from '../repro-file.ts';
import type { ResultLine, Task, WorkerConfig } from './task.ts';

/**
 * Runs one task and turns it into its result line, writing a repro when a check reports a
 * violation. Used by worker threads and by in-process callers alike.
 */
export function runTask(t: Task, cfg: WorkerConfig): ResultLine {
  const t0 = performance.now();
  try {
    const s = findScenario(t.scenario);
    if (!s) throw new Error(`unknown scenario '${t.scenario}'`);
    const r = runScenario(s, { seed: t.seed, variant: t.variant, record: cfg.reproDir !== null });
    const repro = cfg.reproDir !== null ? saveRunRepro(cfg.reproDir, r, 'sweep') : undefined;
    return {
      ...t,
      traceHash: r.traceHash,
      outcome: r.expectation.outcome,
      met: r.expectation.met,
      expected: r.expectation.expected,
      verdicts: Object.fromEntries(r.checks.map((c) => [c.name, c.verdict])),
      ops: r.history.filter((e) => e.type === 'invoke').length,
      faults: r.faults.length,
      events: r.events,
      simTimeMs: r.simTime / 1000,
      wallMs: Math.round(performance.now() - t0),
      ...(repro ? { repro } : {}),
    };
  } catch (err) {
    return {
      ...t,
      traceHash: '',
      outcome: 'error',
      met: false,
      expected: '',
      verdicts: {},
      ops: 0,
      faults: 0,
      events: 0,
      simTimeMs: 0,
      wallMs: Math.round(performance.now() - t0),
      error: err instanceof Error ? err.message : String(err),
    };
  }
}
