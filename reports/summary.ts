import type { CheckResult } from '../sim/check/types.ts';
import type { RunResult } from '../sim/run.ts';
import type { Value } from '../sim/value.ts';
import { computeMetrics, type RunMetrics, type WindowMetrics } from './metrics.ts';

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
  /** Every operation kind together (added after the per-kind figures; older tools ignore it). */
  readonly latencyAll: RunMetrics['latencyAll'];
  readonly throughput: number;
  readonly availability: { readonly fractionOk: number; readonly longestGapMs: number };
  readonly messages: RunResult['net'];
  readonly faults: { readonly total: number; readonly byKind: RunMetrics['faultsByKind'] };
  /** Operations invoked inside any fault window vs outside all of them (added with reports). */
  readonly faultImpact: { readonly inside: WindowFigures; readonly outside: WindowFigures };
  readonly checks: readonly { readonly name: string; readonly verdict: CheckResult['verdict']; readonly summary: string; readonly evidence: Value }[];
  readonly expectation: RunResult['expectation'];
}

/** A fault-impact stretch as `run --json` prints it: rounded, latency in ms. */
export interface WindowFigures {
  readonly spanMs: number;
  readonly ops: number;
  readonly fractionOk: number;
  readonly p50: number;
  readonly p99: number;
  readonly throughput: number;
}

export function windowFigures(w: WindowMetrics): WindowFigures {
  return {
    spanMs: w.spanUs / 1000,
    ops: w.ops.total,
    fractionOk: Math.round(w.fractionOk * 10000) / 10000,
    p50: w.latency.p50,
    p99: w.latency.p99,
    throughput: Math.round(w.throughput * 100) / 100,
  };
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
    latencyAll: metrics.latencyAll,
    throughput: Math.round(metrics.throughput * 100) / 100,
    availability: { fractionOk: Math.round(metrics.availability.fractionOk * 10000) / 10000, longestGapMs: metrics.availability.longestGapMs },
    messages: r.net,
    faults: { total: r.faults.length, byKind: metrics.faultsByKind },
    faultImpact: { inside: windowFigures(metrics.faultImpact.inside), outside: windowFigures(metrics.faultImpact.outside) },
    checks: r.checks.map((c) => ({ name: c.name, verdict: c.verdict, summary: c.summary, evidence: c.evidence ?? null })),
    expectation: r.expectation,
  };
}
