import { pairOperations, type Operation } from '../sim/history.ts';
import type { RunResult } from '../sim/run.ts';
import type { ModelMetrics } from '../sim/scenario.ts';
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
  /** Per operation kind, over operations that got an answer (ok or fail). */
  readonly latency: Readonly<Record<string, LatencyStats>>;
  /** Every operation kind together, over operations that got an answer (ok or fail). */
  readonly latencyAll: LatencyStats;
  /** ok operations per second of the workload phase. */
  readonly throughput: number;
  readonly availability: Availability;
  readonly faultsByKind: Readonly<Record<string, number>>;
  /** Availability, latency and throughput inside the injected fault windows vs outside. */
  readonly faultImpact: FaultImpact;
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
  const answered = (list: readonly Operation[]): number[] => list.filter((o) => o.status !== 'info').map((o) => o.completeTime - o.invokeTime);
  const opsByF: Record<string, OpCounts> = {};
  for (const [f, list] of [...byF.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    opsByF[f] = counts(list);
    latency[f] = latencyStats(answered(list));
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
    latencyAll: latencyStats(answered(ops)),
    throughput: r.duration > 0 ? okTimes.filter((t) => t <= r.duration).length / (r.duration / 1e6) : 0,
    availability: {
      fractionOk: all.total === 0 ? 1 : all.ok / all.total,
      longestGapMs: longest ? (longest.to - longest.from) / 1000 : 0,
      gaps,
    },
    faultsByKind,
    faultImpact: faultImpact(r, ops),
  };
}

/** Figures for the operations invoked inside one stretch of time. */
export interface WindowMetrics {
  /** Microseconds covered (for a union of windows, the total length). */
  readonly spanUs: Micros;
  readonly ops: OpCounts;
  /** ok / invoked; 1 when nothing was invoked (nothing was refused). */
  readonly fractionOk: number;
  /** All operation kinds together, over ops that got an answer (ok or fail). */
  readonly latency: LatencyStats;
  /** ok completions per second of the stretch. */
  readonly throughput: number;
}

export interface FaultWindowMetrics extends WindowMetrics {
  readonly kind: string;
  readonly description: string;
  readonly from: Micros;
  readonly to: Micros;
}

/**
 * How the injected faults hurt: each fault window on its own, and every operation invoked
 * inside any fault window against every operation invoked outside all of them. Point faults
 * (a clock skew, a heal) have no window and are left out.
 */
export interface FaultImpact {
  readonly windows: readonly FaultWindowMetrics[];
  readonly inside: WindowMetrics;
  readonly outside: WindowMetrics;
}

type Interval = readonly [Micros, Micros];

function mergeIntervals(xs: readonly Interval[]): Interval[] {
  const s = [...xs].sort((a, b) => a[0] - b[0]);
  const out: [Micros, Micros][] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const within = (t: Micros, xs: readonly Interval[]): boolean => xs.some(([a, b]) => t >= a && t < b);

function windowMetrics(ops: readonly Operation[], spanUs: Micros, inWindow: (t: Micros) => boolean): WindowMetrics {
  const mine = ops.filter((o) => inWindow(o.invokeTime));
  const c = counts(mine);
  const answered = mine.filter((o) => o.status !== 'info').map((o) => o.completeTime - o.invokeTime);
  // Throughput counts ok completions that land in the stretch, whenever they were invoked.
  const okDone = ops.filter((o) => o.status === 'ok' && inWindow(o.completeTime)).length;
  return {
    spanUs,
    ops: c,
    fractionOk: c.total === 0 ? 1 : c.ok / c.total,
    latency: latencyStats(answered),
    throughput: spanUs > 0 ? okDone / (spanUs / 1e6) : 0,
  };
}

export function faultImpact(r: Pick<RunResult, 'history' | 'duration' | 'faults'>, ops: readonly Operation[] = pairOperations(r.history)): FaultImpact {
  const windows = r.faults
    .map((f) => ({ f, from: Math.max(0, f.at), to: Math.min(f.until, r.duration) }))
    .filter((w) => w.to > w.from);
  const merged = mergeIntervals(windows.map((w) => [w.from, w.to] as const));
  const insideSpan = merged.reduce((s, [a, b]) => s + (b - a), 0);
  return {
    windows: windows.map(({ f, from, to }) => ({
      kind: f.kind,
      description: f.description,
      from,
      to,
      ...windowMetrics(ops, to - from, (t) => t >= from && t < to),
    })),
    inside: windowMetrics(ops, insideSpan, (t) => within(t, merged)),
    outside: windowMetrics(ops, Math.max(0, r.duration - insideSpan), (t) => t < r.duration && !within(t, merged)),
  };
}

/**
 * A design's own figures (ModelDef.metrics) over several runs: the mean of each, over the runs
 * that report it. Empty when the design has none.
 */
export function meanModelMetrics(hook: ModelMetrics | undefined, runs: readonly RunResult[]): Readonly<Record<string, number>> {
  if (!hook) return {};
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of runs) {
    for (const [k, v] of Object.entries(hook(r))) {
      if (!Number.isFinite(v)) continue;
      const a = sums.get(k) ?? { sum: 0, n: 0 };
      a.sum += v;
      a.n++;
      sums.set(k, a);
    }
  }
  return Object.fromEntries([...sums.entries()].map(([k, a]) => [k, a.sum / a.n]));
}
