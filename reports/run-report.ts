import { pairOperations } from '../sim/history.ts';
import type { FaultRecord } from '../sim/faults.ts';
import type { RunResult } from '../sim/run.ts';
import type { Scenario } from '../sim/scenario.ts';
import { describeExpectation } from '../sim/scenario.ts';
import { computeMetrics, type RunMetrics } from './metrics.ts';
import { latencyCdfs, timeSeries, type Bucket, type CdfPoint } from './series.ts';
import { sequenceData, type SequenceData } from './sequence-data.ts';
import { summarize, type RunSummary } from './summary.ts';
import { timelineData, timelineWindow, type TimelineData } from './timeline-data.ts';
import { verdict, type Verdict } from './verdict.ts';
import { firstViolation } from './violation.ts';

/**
 * Everything the report page shows about one run, as plain data. Built once here; the HTML and
 * markdown renderers only draw it.
 */
export interface RunReport {
  readonly title: string;
  readonly scenario: {
    readonly name: string;
    readonly doc: string;
    readonly description: string;
    readonly design: string;
    readonly designDoc: string;
    readonly variant: string;
    readonly seed: number;
    readonly expectation: string;
  };
  readonly verdict: Verdict;
  readonly replay: string;
  readonly faults: readonly FaultRecord[];
  /** End of the workload-and-faults phase (µs): the span the time charts cover. */
  readonly duration: number;
  readonly summary: RunSummary;
  readonly metrics: RunMetrics;
  readonly series: readonly Bucket[];
  readonly cdfs: Readonly<Record<string, readonly CdfPoint[]>>;
  readonly timeline: TimelineData;
  /** Null when no trace was kept for the run. */
  readonly sequence: SequenceData | null;
  /** A warning to show at the top (for example: the rerun's trace hash differs from the results file). */
  readonly notes: readonly string[];
}

export interface RunReportInput {
  readonly result: RunResult;
  readonly scenario: Scenario;
  /** The run's trace lines (from a MemoryTraceSink), for the message sequence diagram. */
  readonly trace?: readonly string[];
  readonly replay: string;
  readonly notes?: readonly string[];
}

export function buildRunReport({ result: r, scenario, trace, replay, notes = [] }: RunReportInput): RunReport {
  const ops = pairOperations(r.history);
  const metrics = computeMetrics(r);
  const failedProbe = r.probes.find((p) => !p.ok);
  const v = firstViolation(r.checks, failedProbe?.time ?? r.duration);
  const win = timelineWindow(ops, v, metrics.availability.gaps[0], r.duration);
  const timeline = timelineData(r.history, ops, r.faults, v, win);
  return {
    title: `${r.scenario} · ${scenario.model.name} · ${r.variant} · seed ${r.seed}`,
    scenario: {
      name: r.scenario,
      doc: scenario.doc,
      description: scenario.description,
      design: scenario.model.name,
      designDoc: scenario.model.doc,
      variant: r.variant,
      seed: r.seed,
      expectation: scenario.expect[r.variant] ? describeExpectation(scenario.expect[r.variant]!) : r.expectation.expected,
    },
    verdict: verdict(r, scenario.model.name, metrics, v),
    replay,
    faults: r.faults,
    duration: r.duration,
    summary: summarize(r, metrics),
    metrics,
    series: timeSeries(r.history, r.duration, 100, ops),
    cdfs: latencyCdfs(ops),
    timeline,
    sequence: trace ? sequenceData(trace, timeline.bars, timeline.from, timeline.to) : null,
    notes,
  };
}
