import { pairOperations, type HistoryEvent, type Operation } from '../sim/history.ts';
import type { Micros } from '../sim/value.ts';

/** One time bucket of the workload: what completed in it. */
export interface Bucket {
  readonly from: Micros;
  readonly to: Micros;
  readonly ok: number;
  readonly fail: number;
  /** Timeouts (unknown outcome) that fired in the bucket. */
  readonly info: number;
  /** ok completions per second. */
  readonly throughput: number;
  /**
   * ok / (ok + fail + info) of the completions in the bucket; 0 when nothing completed while
   * operations were waiting (an outage), null when nothing was even in flight.
   */
  readonly availability: number | null;
}

/**
 * Completions per time bucket over [0, end). An info operation counts when its timeout fired
 * (the time of its info event), so a stretch of timeouts shows as a dip, not as nothing.
 */
export function timeSeries(history: readonly HistoryEvent[], end: Micros, buckets = 100, ops: readonly Operation[] = pairOperations(history)): Bucket[] {
  const n = Math.max(1, buckets);
  const width = Math.max(1, end / n);
  const ok = new Array<number>(n).fill(0);
  const fail = new Array<number>(n).fill(0);
  const info = new Array<number>(n).fill(0);
  const busy = new Array<boolean>(n).fill(false);
  for (const o of ops) {
    const last = o.status === 'info' ? (o.completeIndex >= 0 ? (history[o.completeIndex]?.time ?? end) : end) : o.completeTime;
    for (let i = Math.max(0, Math.floor(o.invokeTime / width)); i < n && i * width <= Math.min(last, end); i++) busy[i] = true;
    const t = o.status === 'info' ? (o.completeIndex >= 0 ? (history[o.completeIndex]?.time ?? -1) : -1) : o.completeTime;
    if (t < 0 || t >= end) continue;
    const i = Math.min(n - 1, Math.floor(t / width));
    const arr = o.status === 'ok' ? ok : o.status === 'fail' ? fail : info;
    arr[i] = (arr[i] ?? 0) + 1;
  }
  return ok.map((k, i) => {
    const f = fail[i] ?? 0;
    const u = info[i] ?? 0;
    const total = k + f + u;
    return { from: i * width, to: (i + 1) * width, ok: k, fail: f, info: u, throughput: k / (width / 1e6), availability: total === 0 ? (busy[i] ? 0 : null) : k / total };
  });
}

/** A latency CDF: sorted latencies in ms with their cumulative fraction. */
export interface CdfPoint {
  readonly ms: number;
  readonly fraction: number;
}

/** Per operation kind, the empirical CDF of answered (ok or fail) operations' latency. */
export function latencyCdfs(ops: readonly Operation[], maxPoints = 200): Record<string, CdfPoint[]> {
  const byF = new Map<string, number[]>();
  for (const o of ops) {
    if (o.status === 'info') continue;
    const l = byF.get(o.f) ?? [];
    l.push((o.completeTime - o.invokeTime) / 1000);
    byF.set(o.f, l);
  }
  const out: Record<string, CdfPoint[]> = {};
  for (const [f, l] of [...byF.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    l.sort((a, b) => a - b);
    // Thin long series to at most maxPoints steps; the last point (the max) is always kept.
    const step = Math.max(1, Math.ceil(l.length / maxPoints));
    const pts: CdfPoint[] = [];
    for (let i = step - 1; i < l.length; i += step) pts.push({ ms: l[i] as number, fraction: (i + 1) / l.length });
    if (pts[pts.length - 1]?.fraction !== 1 && l.length > 0) pts.push({ ms: l[l.length - 1] as number, fraction: 1 });
    out[f] = pts;
  }
  return out;
}
