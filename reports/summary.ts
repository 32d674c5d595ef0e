import type { CheckResult } from '../sim/check/types.ts';
import type { RunResult } from '../sim/run.ts';
import type { Value } from '../sim/value.ts';
import { computeMetrics, type RunMetrics } from './metrics.ts';

/**
 * The `run --json` object: one run, as plain data. Its field names are part of the CLI's
 * contract (CI and other tools parse them).
 */
export interface RunSummary {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly traceHash: string;
  readonly events: number;
  readonly simTimeMs: number;
  readonly ops: RunMetrics['ops'];
  readonly opsByF: RunMetrics['opsByF'];
  readonly latency: RunMetrics['latency'];
  readonly throughput: number;
  readonly availability: { readonly fractionOk: number; readonly longestGapMs: number };
  readonly messages: RunResult['net'];
  readonly faults: { readonly total: number; readonly byKind: RunMetrics['faultsByKind'] };
  readonly checks: readonly { readonly name: string; readonly verdict: CheckResult['verdict']; readonly summary: string; readonly evidence: Value }[];
  readonly expectation: RunResult['expectation'];
}

export function summarize(r: RunResult, metrics: RunMetrics = computeMetrics(r)): RunSummary {
  return {
    scenario: r.scenario,
    variant: r.variant,
    seed: r.seed,
    traceHash: r.traceHash,
    events: r.events,
    simTimeMs: r.simTime / 1000,
    ops: metrics.ops,
    opsByF: metrics.opsByF,
    latency: metrics.latency,
    throughput: Math.round(metrics.throughput * 100) / 100,
    availability: { fractionOk: Math.round(metrics.availability.fractionOk * 10000) / 10000, longestGapMs: metrics.availability.longestGapMs },
    messages: r.net,
    faults: { total: r.faults.length, byKind: metrics.faultsByKind },
    checks: r.checks.map((c) => ({ name: c.name, verdict: c.verdict, summary: c.summary, evidence: c.evidence ?? null })),
    expectation: r.expectation,
  };
}
