import { findScenario } from '../scenarios/index.ts';
import type { HistoryEvent } from '../sim/history.ts';
import { runScenario, type RunResult } from '../sim/run.ts';
import type { Scenario } from '../sim/scenario.ts';
import { buildRunReport, type RunReport } from './run-report.ts';
import { MemoryTraceSink } from './sequence-data.ts';

/** What a hostile history or scenario might carry; the page must show it as text. */
export const PLANTED = `<script>window.__pwned=1;document.title='PWNED'</script>`;

/**
 * A real run with a violation (kv-crash-restart as-written, seed 1), then poisoned: the
 * culprit's returned value, a check summary and the scenario description carry a script tag.
 */
export function plantedRun(): { result: RunResult; scenario: Scenario; trace: string[]; report: RunReport } {
  const base = findScenario('kv-crash-restart');
  if (!base) throw new Error('scenario kv-crash-restart is missing');
  const sink = new MemoryTraceSink();
  const clean = runScenario(base, { seed: 1, variant: 'as-written', traceSink: sink });
  const violation = clean.checks.find((c) => c.verdict === 'violation');
  if (!violation) throw new Error('expected kv-crash-restart as-written seed 1 to violate linearizability');
  // Poison the last ok completion on the violating key inside the drawn window: the culprit's.
  const history: HistoryEvent[] = [...clean.history];
  const culpritIndex = findCulpritCompletion(history, violation.evidence);
  const ev = history[culpritIndex] as HistoryEvent;
  history[culpritIndex] = { ...ev, value: PLANTED };
  const result: RunResult = {
    ...clean,
    history,
    checks: clean.checks.map((c) => (c === violation ? { ...c, summary: `${c.summary} ${PLANTED}` } : c)),
  };
  const scenario: Scenario = { ...base, description: `${base.description} ${PLANTED}` };
  const report = buildRunReport({ result, scenario, trace: sink.lines, replay: `npx faultline run ${result.scenario} --seed 1 --variant as-written` });
  return { result, scenario, trace: sink.lines, report };
}

function findCulpritCompletion(history: readonly HistoryEvent[], evidence: unknown): number {
  const text = JSON.stringify(evidence);
  const m = /"culprit":\{"id":\d+,"process":(\d+),"f":"[^"]*","key":"[^"]*","input":[^,]*,"output":[^,]*,"status":"ok","invokeTime":\d+,"completeTime":(\d+)/.exec(text);
  if (!m) throw new Error('no culprit in the evidence');
  const process = Number(m[1]);
  const time = Number(m[2]);
  const i = history.findIndex((e) => e.process === process && e.time === time && e.type === 'ok');
  if (i < 0) throw new Error('culprit completion not found in history');
  return i;
}
