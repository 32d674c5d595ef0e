import { pairOperations, type Operation } from '../sim/history.ts';
import type { RunResult } from '../sim/run.ts';
import type { Micros } from '../sim/value.ts';

/**
 * Every figure faultline reports about a run, computed here once. Renderers (terminal,
 * markdown, JSON, HTML) only draw these numbers.
 */
export interface LatencyStats {
  readonly count: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface OpCounts {
  readonly total: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
}

export interface Gap {
  readonly from: Micros;
  readonly to: Micros;
}

export interface Availability {
  /** Fraction of invoked operations that completed ok. */
  readonly fractionOk: number;
  /** Longest stretch of the workload phase with no operation completing ok (ms). */
  readonly longestGapMs: number;
  /** Stretches of at least `gapThreshold` with no ok completion. */
  readonly gaps: readonly Gap[];
}

export interface RunMetrics {
  readonly ops: OpCounts;
  readonly opsByF: Readonly<Record<string, OpCounts>>;
  /** Per operation kind, over operations that completed ok (fail included when it is an answer). */
  readonly latency: Readonly<Record<string, LatencyStats>>;
  /** ok operations per second of the workload phase. */
  readonly throughput: number;
  readonly availability: Availability;
  readonly faultsByKind: Readonly<Record<string, number>>;
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function latencyStats(latenciesUs: readonly number[]): LatencyStats {
  const s = [...latenciesUs].sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x) / 1000;
  return {
    count: s.length,
    p50: ms(percentile(s, 50)),
    p90: ms(percentile(s, 90)),
    p95: ms(percentile(s, 95)),
    p99: ms(percentile(s, 99)),
    max: ms(s[s.length - 1] ?? 0),
  };
}

function counts(ops: readonly Operation[]): OpCounts {
  let ok = 0;
  let fail = 0;
  let info = 0;
  for (const o of ops) {
    if (o.status === 'ok') ok++;
    else if (o.status === 'fail') fail++;
    else info++;
  }
  return { total: ops.length, ok, fail, info };
}

/** Stretches within [start, end] with no ok completion, longest first. */
export function gapsWithoutOk(okTimes: readonly Micros[], start: Micros, end: Micros, threshold: Micros): Gap[] {
  const t = okTimes.filter((x) => x >= start && x <= end).sort((a, b) => a - b);
  const gaps: Gap[] = [];
  let prev = start;
  for (const x of [...t, end]) {
    if (x - prev >= threshold) gaps.push({ from: prev, to: x });
    prev = Math.max(prev, x);
  }
  return gaps.sort((a, b) => b.to - b.from - (a.to - a.from));
}

export function computeMetrics(r: Pick<RunResult, 'history' | 'duration' | 'faults'>, gapThreshold: Micros = 100_000): RunMetrics {
  const ops = pairOperations(r.history);
  const byF = new Map<string, Operation[]>();
  for (const o of ops) {
    const list = byF.get(o.f) ?? [];
    list.push(o);
    byF.set(o.f, list);
  }
  const latency: Record<string, LatencyStats> = {};
  const opsByF: Record<string, OpCounts> = {};
  for (const [f, list] of [...byF.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    opsByF[f] = counts(list);
    const done = list.filter((o) => o.status !== 'info').map((o) => o.completeTime - o.invokeTime);
    latency[f] = latencyStats(done);
  }
  const okTimes = ops.filter((o) => o.status === 'ok').map((o) => o.completeTime);
  const all = counts(ops);
  const gaps = gapsWithoutOk(okTimes, 0, r.duration, gapThreshold);
  const longest = gaps[0];
  const faultsByKind: Record<string, number> = {};
  for (const f of r.faults) faultsByKind[f.kind] = (faultsByKind[f.kind] ?? 0) + 1;
  return {
    ops: all,
    opsByF,
    latency,
    throughput: r.duration > 0 ? okTimes.filter((t) => t <= r.duration).length / (r.duration / 1e6) : 0,
    availability: {
      fractionOk: all.total === 0 ? 1 : all.ok / all.total,
      longestGapMs: longest ? (longest.to - longest.from) / 1000 : 0,
      gaps,
    },
    faultsByKind,
  };
}
