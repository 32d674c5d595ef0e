import { pairOperations } from '../sim/history.ts';
import type { RunResult } from '../sim/run.ts';
import { type Claim, claimsFor, describeMetric, judgeClaim } from './claims.ts';
import type { ModelMetrics } from '../sim/scenario.ts';
import { computeMetrics, latencyStats, type LatencyStats, meanModelMetrics, type OpCounts } from './metrics.ts';
import { latencyCdfs, type CdfPoint } from './series.ts';

/**
 * Designs side by side: every variant of a scenario over the same seeds. Same seed, same fault
 * schedule, so the variants met the same faults. Latency percentiles pool every operation of
 * every seed; availability is the pooled fraction ok; violations count seeds.
 */
export interface ClaimRow {
  readonly metric: string;
  readonly claim: string;
  readonly source: string;
  readonly measured: number | null;
  readonly judgement: 'holds' | 'refuted' | 'untested';
}

export interface VariantComparison {
  readonly variant: string;
  readonly seeds: readonly number[];
  readonly ops: OpCounts;
  readonly latency: Readonly<Record<string, LatencyStats>>;
  readonly fractionOk: number;
  /** ok fraction of ops invoked inside fault windows, and outside, pooled over seeds; null: no such op. */
  readonly fractionOkInFaults: number | null;
  readonly fractionOkOutsideFaults: number | null;
  readonly worstGapMs: number;
  readonly throughput: number;
  /** Check name → seeds on which it reported a violation. */
  readonly violations: Readonly<Record<string, readonly number[]>>;
  readonly unknown: readonly number[];
  readonly expectationMet: number;
  readonly expected: string;
  readonly faults: number;
  readonly claims: readonly ClaimRow[];
  /** The design's own figures (ModelDef.metrics), mean over seeds; empty if it has none. */
  readonly model: Readonly<Record<string, number>>;
  readonly cdfs: Readonly<Record<string, readonly CdfPoint[]>>;
}

export interface ScenarioComparison {
  readonly scenario: string;
  readonly design: string;
  readonly seeds: readonly number[];
  readonly variants: readonly VariantComparison[];
}

function measuredFor(c: Claim, v: Omit<VariantComparison, 'claims'>): number | null {
  if (c.metric.kind === 'availability') return v.fractionOk;
  if (c.metric.kind === 'host-timing') return c.metric.measure();
  if (c.metric.kind === 'model') return v.model[c.metric.name] ?? null;
  const l = v.latency[c.metric.f];
  return l ? l[c.metric.stat] : null;
}

const sumCounts = (xs: readonly OpCounts[]): OpCounts =>
  xs.reduce((a, b) => ({ total: a.total + b.total, ok: a.ok + b.ok, fail: a.fail + b.fail, info: a.info + b.info }), { total: 0, ok: 0, fail: 0, info: 0 });

/** Aggregates one variant's runs (same scenario, one per seed). */
export function compareVariant(design: string, runs: readonly RunResult[], claimTable?: readonly Claim[], modelMetrics?: ModelMetrics): VariantComparison {
  const first = runs[0];
  if (!first) throw new Error('compareVariant needs at least one run');
  const lat = new Map<string, number[]>();
  const allOps = runs.flatMap((r) => pairOperations(r.history));
  for (const o of allOps) {
    if (o.status === 'info') continue;
    const l = lat.get(o.f) ?? [];
    l.push(o.completeTime - o.invokeTime);
    lat.set(o.f, l);
  }
  const metrics = runs.map((r) => computeMetrics(r));
  const inside = sumCounts(metrics.map((m) => m.faultImpact.inside.ops));
  const outside = sumCounts(metrics.map((m) => m.faultImpact.outside.ops));
  const ops = sumCounts(metrics.map((m) => m.ops));
  const violations: Record<string, number[]> = {};
  for (const r of runs) for (const c of r.checks) {
    violations[c.name] ??= [];
    if (c.verdict === 'violation') violations[c.name]!.push(r.seed);
  }
  const base = {
    variant: first.variant,
    seeds: runs.map((r) => r.seed),
    ops,
    latency: Object.fromEntries([...lat.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([f, l]) => [f, latencyStats(l)])),
    fractionOk: ops.total === 0 ? 1 : ops.ok / ops.total,
    fractionOkInFaults: inside.total === 0 ? null : inside.ok / inside.total,
    fractionOkOutsideFaults: outside.total === 0 ? null : outside.ok / outside.total,
    worstGapMs: Math.max(0, ...metrics.map((m) => m.availability.longestGapMs)),
    throughput: metrics.reduce((s, m) => s + m.throughput, 0) / metrics.length,
    violations,
    unknown: runs.filter((r) => r.checks.some((c) => c.verdict === 'unknown')).map((r) => r.seed),
    expectationMet: runs.filter((r) => r.expectation.met).length,
    expected: first.expectation.expected,
    faults: runs.reduce((s, r) => s + r.faults.length, 0),
    model: meanModelMetrics(modelMetrics, runs),
    cdfs: latencyCdfs(allOps),
  };
  const claims = claimsFor(design, first.variant, claimTable).map((c) => {
    const measured = measuredFor(c, base);
    return { metric: describeMetric(c.metric), claim: c.text, source: c.source, measured, judgement: judgeClaim(c, measured) };
  });
  return { ...base, claims };
}
