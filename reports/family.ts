import { type Operation, pairOperations } from '../sim/history.ts';
import type { RunResult } from '../sim/run.ts';
import type { Micros } from '../sim/value.ts';
import { type Claim, claimsFor, describeMetric, judgeClaim } from './claims.ts';
import { latencyStats, type LatencyStats } from './metrics.ts';
import { latencyCdfs, type CdfPoint } from './series.ts';

/**
 * A scenario family: one workload that several designs run, one scenario per design, over the
 * same seeds, each under its own failure in the same window. Seed 001's performance table is
 * one (bin/commands/compare-families.ts). Each approach names its operations in its own words,
 * so a row says which history `f`s are its writes and which its reads; operations outside both
 * (a worker's lock acquires, for instance) are neither timed nor counted for availability.
 */
export interface FamilyRowSpec {
  /** The table's row label ("Distributed Lock"). */
  readonly approach: string;
  readonly scenario: string;
  readonly variant: string;
  readonly writes: readonly string[];
  readonly reads: readonly string[];
  /** The failure it runs under, as its own failure-mode table names it. */
  readonly failure: string;
}

export interface FamilySpec {
  readonly name: string;
  readonly title: string;
  /** Only claims from this source are shown (the table the family reproduces). */
  readonly claimSource: string;
  /** Where the rows' failures happen (virtual time): availability is also given inside it. */
  readonly window: { readonly from: Micros; readonly to: Micros };
  readonly rows: readonly FamilyRowSpec[];
}

export type Column = 'write' | 'read' | 'availability';

export interface FamilyClaim {
  readonly column: Column;
  readonly metric: string;
  readonly claim: string;
  readonly measured: number | null;
  readonly judgement: 'holds' | 'contradicted' | 'untested';
}

export interface FamilyRow {
  readonly approach: string;
  readonly scenario: string;
  readonly design: string;
  readonly variant: string;
  readonly failure: string;
  readonly seeds: readonly number[];
  readonly write: LatencyStats | null;
  readonly read: LatencyStats | null;
  /** Share of the row's writes and reads that were ok, over the whole run and inside the window. */
  readonly okShare: number;
  readonly okShareInWindow: number | null;
  /** Check name -> seeds on which it reported a violation; seeds with no verdict for lack of budget. */
  readonly violations: Readonly<Record<string, readonly number[]>>;
  readonly unknown: readonly number[];
  readonly claims: readonly FamilyClaim[];
  readonly cdfs: Readonly<Record<string, readonly CdfPoint[]>>;
}

export interface FamilyComparison {
  readonly family: string;
  readonly title: string;
  readonly claimSource: string;
  readonly window: { readonly from: Micros; readonly to: Micros };
  readonly rows: readonly FamilyRow[];
}

const okLatencies = (ops: readonly Operation[]) => ops.filter((o) => o.status !== 'info').map((o) => o.completeTime - o.invokeTime);
const share = (ops: readonly Operation[]) => (ops.length === 0 ? null : ops.filter((o) => o.status === 'ok').length / ops.length);

function columnOf(c: Claim, row: FamilyRowSpec): Column | undefined {
  if (c.metric.kind === 'availability') return 'availability';
  if (c.metric.kind !== 'latency') return undefined;
  if (row.writes.includes(c.metric.f)) return 'write';
  if (row.reads.includes(c.metric.f)) return 'read';
  return undefined;
}

/** One row from the runs of its scenario (one per seed). */
export function familyRow(spec: FamilyRowSpec, design: string, runs: readonly RunResult[], window: FamilySpec['window'], claimSource: string, claimTable?: readonly Claim[]): FamilyRow {
  const ops = runs.flatMap((r) => pairOperations(r.history));
  const writes = ops.filter((o) => spec.writes.includes(o.f));
  const reads = ops.filter((o) => spec.reads.includes(o.f));
  const mine = [...writes, ...reads];
  const inWindow = mine.filter((o) => o.invokeTime >= window.from && o.invokeTime < window.to);
  const okShare = share(mine) ?? 1;
  const violations: Record<string, number[]> = {};
  for (const r of runs) for (const c of r.checks) {
    violations[c.name] ??= [];
    if (c.verdict === 'violation') violations[c.name]!.push(r.seed);
  }
  const lat = (f: string): LatencyStats | null => {
    const l = okLatencies(ops.filter((o) => o.f === f));
    return l.length === 0 ? null : latencyStats(l);
  };

  const claims = claimsFor(design, spec.variant, claimTable)
    .filter((c) => c.source === claimSource)
    .flatMap((c): FamilyClaim[] => {
      const column = columnOf(c, spec);
      // A family row has no model figures: a claim judged on one (seed 004's) is not a row's.
      if (!column || c.metric.kind === 'host-timing' || c.metric.kind === 'model') return [];
      const measured = c.metric.kind === 'availability' ? okShare : (lat(c.metric.f)?.[c.metric.stat] ?? null);
      const j = judgeClaim(c, measured);
      return [{ column, metric: describeMetric(c.metric), claim: c.text, measured, judgement: j === 'refuted' ? 'contradicted' : j }];
    });
  const stats = (xs: readonly Operation[]): LatencyStats | null => {
    const l = okLatencies(xs);
    return l.length === 0 ? null : latencyStats(l);
  };
  const renamed = mine.map((o) => ({ ...o, f: `${spec.approach} ${spec.writes.includes(o.f) ? 'write' : 'read'}` }));
  return {
    approach: spec.approach,
    scenario: spec.scenario,
    design,
    variant: spec.variant,
    failure: spec.failure,
    seeds: runs.map((r) => r.seed),
    write: stats(writes),
    read: stats(reads),
    okShare,
    okShareInWindow: share(inWindow),
    violations,
    unknown: runs.filter((r) => r.checks.some((c) => c.verdict === 'unknown')).map((r) => r.seed),
    claims,
    cdfs: latencyCdfs(renamed),
  };
}
