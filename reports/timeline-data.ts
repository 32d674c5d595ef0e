import type { HistoryEvent, Operation } from '../sim/history.ts';
import type { FaultRecord } from '../sim/faults.ts';
import type { Micros, Value } from '../sim/value.ts';
import type { Violation } from './violation.ts';

/** One operation bar on the history timeline. */
export interface TimelineBar {
  readonly id: number;
  readonly lane: string;
  readonly process: number;
  readonly f: string;
  readonly key: string | null;
  readonly input: Value;
  readonly output: Value;
  readonly status: 'ok' | 'fail' | 'info';
  readonly start: Micros;
  /** Completion (or timeout) time; null when it never completed before the end of the run. */
  readonly end: Micros | null;
  /** culprit: the op that cannot be placed; unplaced: other ops the search could not order; focus: same key as the violation. */
  readonly role: 'culprit' | 'unplaced' | 'focus' | 'other';
}

export interface TimelineData {
  readonly from: Micros;
  readonly to: Micros;
  /** One lane per client node (or process, when the history names no node). */
  readonly lanes: readonly string[];
  readonly bars: readonly TimelineBar[];
  readonly faults: readonly FaultRecord[];
  /** Where the violation became visible, if there is one. */
  readonly mark: Micros | null;
  readonly focusKey: string | null;
  /** Why this stretch was chosen, in words for the caption. */
  readonly caption: string;
}

/** At most this many lanes: past it, only clients that touched the violating key are kept. */
const MAX_LANES = 24;

/**
 * The stretch of history to draw: around the first violation (the last ops of the failing
 * prefix up to the culprit), else around the longest stretch with no ok operation.
 */
export function timelineWindow(ops: readonly Operation[], v: Violation | null, gap: { from: Micros; to: Micros } | undefined, duration: Micros): { from: Micros; to: Micros; caption: string } {
  if (v) {
    const prefix = [...v.failingPrefix].sort((a, b) => a.invokeTime - b.invokeTime).slice(-16);
    const from = prefix.length > 0 ? Math.min(...prefix.map((o) => o.invokeTime)) : v.at - 200_000;
    const span = Math.max(v.at - from, 10_000);
    return {
      from: Math.max(0, from - span * 0.05),
      to: v.at + span * 0.08,
      caption: `The last operations of the shortest failing prefix, up to the one that cannot be placed (${v.check}).`,
    };
  }
  if (gap && gap.to > gap.from) {
    const span = gap.to - gap.from;
    return { from: Math.max(0, gap.from - span * 0.5), to: Math.min(duration, gap.to + span * 0.5), caption: 'No violation: the longest stretch with no successful operation.' };
  }
  const end = Math.min(duration, ops[0] ? ops[0].invokeTime + 500_000 : duration);
  return { from: 0, to: end, caption: 'No violation and no outage: the start of the run.' };
}

export function timelineData(history: readonly HistoryEvent[], ops: readonly Operation[], faults: readonly FaultRecord[], v: Violation | null, win: { from: Micros; to: Micros; caption: string }): TimelineData {
  const unplaced = new Set(v?.unplacedIds ?? []);
  const endOf = (o: Operation): Micros | null =>
    Number.isFinite(o.completeTime) ? o.completeTime : o.completeIndex >= 0 ? (history[o.completeIndex]?.time ?? null) : null;
  let bars: TimelineBar[] = ops
    .filter((o) => o.invokeTime <= win.to && (endOf(o) ?? Infinity) >= win.from)
    .map((o) => ({
      id: o.id,
      lane: o.node ?? `process ${o.process}`,
      process: o.process,
      f: o.f,
      key: o.key ?? null,
      input: o.input,
      output: o.output,
      status: o.status,
      start: o.invokeTime,
      end: endOf(o),
      role: v?.culprit?.id === o.id ? 'culprit' : unplaced.has(o.id) ? 'unplaced' : v && v.key !== null && (o.key ?? '') === v.key ? 'focus' : 'other',
    }));
  let lanes = [...new Set(bars.map((b) => b.lane))].sort(laneOrder);
  if (lanes.length > MAX_LANES) {
    const keep = new Set(bars.filter((b) => b.role !== 'other').map((b) => b.lane));
    lanes = lanes.filter((l) => keep.has(l)).slice(0, MAX_LANES);
    const shown = new Set(lanes);
    bars = bars.filter((b) => shown.has(b.lane));
  }
  return {
    from: win.from,
    to: win.to,
    lanes,
    bars,
    faults: faults.filter((f) => f.at <= win.to && f.until >= win.from),
    mark: v ? v.at : null,
    focusKey: v?.key ?? null,
    caption: win.caption,
  };
}

/** c2 before c10: numeric parts compare as numbers. */
export function laneOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** A short label for an operation: "w 5", "r → 5", "cas 1→2 ✓". */
export function opLabel(o: { f: string; input: Value; output: Value; status: string }): string {
  const j = (v: Value) => JSON.stringify(v) ?? 'null';
  const out = o.status === 'ok' ? (o.f === 'read' || o.f === 'get' ? ` → ${j(o.output)}` : o.output === null ? '' : ` → ${j(o.output)}`) : o.status === 'fail' ? ' ✗' : ' ?';
  const arg = o.input === null ? '' : ` ${Array.isArray(o.input) ? (o.input as readonly Value[]).map(j).join('→') : j(o.input)}`;
  return `${o.f}${arg}${out}`;
}
