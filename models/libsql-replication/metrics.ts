import type { Probe } from '../../sim/check/types.ts';
import type { HistoryEvent } from '../../sim/history.ts';
import type { RunResult } from '../../sim/run.ts';
import type { Micros, NodeId } from '../../sim/value.ts';
import { READ_MODES, type ReadMode } from './protocol.ts';

/**
 * The figures `faultline compare` shows for libsql-replication (ModelDef.metrics), read from
 * the probes the nodes record in true (kernel) time:
 *  - `frame-written` {frameNo}: a leader appended a frame;
 *  - `read-served` {mode, frameNo}: a node answered a read from the state after frame frameNo;
 *  - `leader`: a node became leader; `write-acked`: a leader sent a write's ok answer.
 *
 * Staleness of a read served at time t from frame a, against the leader's log at t:
 *  - frames behind = head(t) - a, where head(t) is the frameNo of the most recent frame any
 *    leader wrote at or before t (the log clients are writing to now), at least 0;
 *  - ms behind = t - (when frame a+1 was written, its latest writing at or before t): how long
 *    the oldest write this read does not see has existed on the leader; 0 when not behind.
 * While two nodes both lead (as-written under a partition) head(t) follows whichever wrote
 * last, so figures in that stretch are against one of the two logs.
 *
 * Failover window of a leader crash at time c (the fault record; the crashed node was the last
 * to become leader before c): from c to the first write a client saw acknowledged at or after
 * the first `write-acked` probe at or after c. Waiting for that probe first keeps out answers
 * the crashed leader sent just before it died and that were still on the wire.
 */
export interface Staleness {
  readonly frames: number;
  readonly ms: number;
}

/** Staleness of every read, by mode; `served` picks which reads count (default: all). */
export function stalenessByMode(probes: readonly Probe[], served: (p: Probe) => boolean = () => true): Record<ReadMode, Staleness[]> {
  const out: Record<ReadMode, Staleness[]> = { strong: [], ryw: [], eventual: [] };
  let head = 0;
  const writtenAt = new Map<number, Micros>();
  for (const p of probes) {
    if (p.name === 'frame-written') {
      const n = (p.detail as { frameNo: number }).frameNo;
      head = n;
      writtenAt.set(n, p.time);
    } else if (p.name === 'read-served' && served(p)) {
      const d = p.detail as { mode: ReadMode; frameNo: number };
      const behind = Math.max(0, head - d.frameNo);
      const since = writtenAt.get(d.frameNo + 1);
      out[d.mode]?.push({ frames: behind, ms: behind > 0 && since !== undefined ? (p.time - since) / 1000 : 0 });
    }
  }
  return out;
}

/** One leader crash and how long writes were unavailable after it (null: none acknowledged before the run ended). */
export interface FailoverWindow {
  readonly node: NodeId;
  readonly crashAt: Micros;
  readonly ms: number | null;
}

export function failoverWindows(r: Pick<RunResult, 'probes' | 'faults' | 'history'>): FailoverWindow[] {
  const leaders = r.probes.filter((p) => p.name === 'leader');
  const acks = r.probes.filter((p) => p.name === 'write-acked').map((p) => p.time);
  const okWrites = okWriteTimes(r.history);
  const out: FailoverWindow[] = [];
  for (const f of r.faults) {
    if (f.kind !== 'crash' || f.node === undefined || leaderAt(leaders, f.at) !== f.node) continue;
    const firstAck = acks.find((t) => t >= f.at);
    const seen = firstAck === undefined ? undefined : okWrites.find((t) => t >= firstAck);
    out.push({ node: f.node, crashAt: f.at, ms: seen === undefined ? null : (seen - f.at) / 1000 });
  }
  return out;
}

function leaderAt(leaders: readonly Probe[], t: Micros): NodeId | undefined {
  let who: NodeId | undefined;
  for (const p of leaders) {
    if (p.time > t) break;
    who = p.node;
  }
  return who;
}

/** Completion times of acknowledged writes and cas, in order. */
function okWriteTimes(history: readonly HistoryEvent[]): Micros[] {
  return history.filter((e) => e.type === 'ok' && (e.f === 'write' || e.f === 'cas')).map((e) => e.time);
}

/** Nearest-rank percentile of unsorted values (0 for none). */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/** Per run: staleness p50/p99 per read mode, and the longest failover window (compare shows the mean over seeds). */
export function libsqlMetrics(r: RunResult): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  const st = stalenessByMode(r.probes);
  for (const m of READ_MODES) {
    const xs = st[m];
    if (xs.length === 0) continue;
    const frames = xs.map((x) => x.frames);
    const ms = xs.map((x) => x.ms);
    out[`stale ${m} frames p50`] = percentile(frames, 50);
    out[`stale ${m} frames p99`] = percentile(frames, 99);
    out[`stale ${m} ms p50`] = percentile(ms, 50);
    out[`stale ${m} ms p99`] = percentile(ms, 99);
  }
  const w = failoverWindows(r).map((x) => x.ms).filter((x): x is number => x !== null);
  if (w.length > 0) out['failover ms (max)'] = Math.max(...w);
  return out;
}

