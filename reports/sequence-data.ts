import type { TraceSink } from '../sim/trace.ts';
import type { Micros, Value } from '../sim/value.ts';
import type { TimelineBar } from './timeline-data.ts';

/**
 * Keeps a run's trace lines in memory for the report. Lines are kept as strings and parsed only
 * around the counterexample, which keeps the cost of long runs to memory for the strings.
 */
export class MemoryTraceSink implements TraceSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}

/** Passes every line to several sinks (a trace file and the report's memory copy). */
export function teeSink(...sinks: readonly TraceSink[]): TraceSink {
  return { write: (line) => sinks.forEach((s) => s.write(line)) };
}

export interface SeqMessage {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  /** Inferred: see inferSendTimes. */
  readonly sendT: Micros;
  /** When it arrived or was dropped at the receiver; null when lost in the network. */
  readonly recvT: Micros | null;
  readonly fate: 'delivered' | 'lost' | 'drop-down' | 'drop-cut';
  readonly label: string;
}

export interface SeqEvent {
  readonly t: Micros;
  readonly node: string;
  readonly kind: string;
  readonly label: string;
}

export interface SequenceData {
  readonly from: Micros;
  readonly to: Micros;
  readonly nodes: readonly string[];
  readonly messages: readonly SeqMessage[];
  readonly events: readonly SeqEvent[];
  readonly omitted: number;
}

interface Parsed {
  readonly pos: number;
  readonly t: Micros;
  readonly k: string;
  readonly node: string;
  readonly other: string;
  readonly id: number;
  readonly raw: { readonly [k: string]: Value };
}

const HANDLERS = new Set(['deliver', 'timer', 'start', 'restart']);
const NODE_EVENTS = new Set(['crash', 'restart', 'pause', 'skew', 'drift']);
const MAX_MESSAGES = 40;

function parseRange(lines: readonly string[], from: Micros, to: Micros): Parsed[] {
  const out: Parsed[] = [];
  lines.forEach((line, pos) => {
    const m = /^\{"t":(\d+)/.exec(line);
    const t = m ? Number(m[1]) : NaN;
    if (!(t >= from && t <= to)) return;
    let raw: { [k: string]: Value };
    try {
      raw = JSON.parse(line) as { [k: string]: Value };
    } catch {
      return;
    }
    const s = (v: Value | undefined) => (typeof v === 'string' ? v : '');
    out.push({ pos, t, k: s(raw['k']), node: s(raw['node']), other: s(raw['other']), id: typeof raw['id'] === 'number' ? raw['id'] : -1, raw });
  });
  return out;
}

/**
 * The trace records deliveries, not sends. Send times are inferred from two facts the kernel
 * guarantees: message ids are handed out in send order, and a node only sends while handling
 * an event (a delivery, a timer, a start). Walking ids from the highest down, each message is
 * given the latest handler event on its sender that comes before both its own arrival and the
 * send of the next message. Exact for lost messages (traced when sent); otherwise it can only
 * err towards a later handler on the same node.
 */
function inferSends(evs: readonly Parsed[]): Map<number, { src: string; dst: string; sendT: Micros; recvT: Micros | null; fate: SeqMessage['fate']; detail: Value }> {
  const handlers = new Map<string, Parsed[]>();
  const arrivals = new Map<number, Parsed>();
  const lost = new Map<number, Parsed>();
  for (const e of evs) {
    if (HANDLERS.has(e.k)) {
      const l = handlers.get(e.node) ?? [];
      l.push(e);
      handlers.set(e.node, l);
    }
    if ((e.k === 'deliver' || e.k === 'drop-down' || e.k === 'drop-cut') && !arrivals.has(e.id)) arrivals.set(e.id, e);
    if (e.k === 'lost') lost.set(e.id, e);
  }
  const ids = [...new Set([...arrivals.keys(), ...lost.keys()])].sort((a, b) => b - a);
  const out = new Map<number, { src: string; dst: string; sendT: Micros; recvT: Micros | null; fate: SeqMessage['fate']; detail: Value }>();
  let bound = Infinity;
  for (const id of ids) {
    const l = lost.get(id);
    if (l) {
      bound = Math.min(bound, l.pos);
      out.set(id, { src: l.other, dst: l.node, sendT: l.t, recvT: null, fate: 'lost', detail: null });
      continue;
    }
    const a = arrivals.get(id) as Parsed;
    const limit = Math.min(bound, a.pos - 1);
    const hs = handlers.get(a.other) ?? [];
    let h: Parsed | undefined;
    for (let i = hs.length - 1; i >= 0; i--) {
      if ((hs[i] as Parsed).pos <= limit) {
        h = hs[i];
        break;
      }
    }
    if (!h) continue; // sent before the parsed range
    bound = h.pos;
    out.set(id, { src: a.other, dst: a.node, sendT: h.t, recvT: a.t, fate: a.k === 'deliver' ? 'delivered' : (a.k as SeqMessage['fate']), detail: a.raw['detail'] ?? null });
  }
  return out;
}

/** A payload in a few words: its type field if it has one, then the rest, compactly. */
export function payloadLabel(detail: Value): string {
  if (detail === null) return '';
  if (typeof detail === 'object' && !Array.isArray(detail)) {
    const o = detail as { readonly [k: string]: Value };
    const tag = ['type', 't', 'kind', 'op'].find((k) => typeof o[k] === 'string');
    const type = tag ? (o[tag] as string) : '';
    const rest = Object.entries(o)
      .filter(([k]) => k !== tag)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    return `${type}${type && rest ? ' ' : ''}${rest}`;
  }
  return JSON.stringify(detail) ?? '';
}

/**
 * The messages of the counterexample: those a client sent or received while one of the
 * drawn operations on the violating key was in flight, messages between non-client nodes
 * (replication, leases, routing) sent while such an operation was in flight, and the faults
 * that hit nodes, inside [from, to].
 */
export function sequenceData(lines: readonly string[], bars: readonly TimelineBar[], from: Micros, to: Micros): SequenceData {
  // Parse a little past `to` so messages sent in the window can still be matched to their arrival.
  const evs = parseRange(lines, from, to + 500_000);
  const sends = inferSends(evs);
  const focus = bars.filter((b) => b.role !== 'other');
  const picked = focus.length > 0 ? focus : bars;
  const clientLanes = new Set(bars.map((b) => b.lane));
  const inOp = (node: string, t: Micros) => picked.some((b) => b.lane === node && t >= b.start && t <= (b.end ?? to));
  const all: SeqMessage[] = [];
  for (const [id, m] of [...sends.entries()].sort(([a], [b]) => a - b)) {
    if (m.sendT < from || m.sendT > to) continue;
    const clientSide = clientLanes.has(m.src) || clientLanes.has(m.dst);
    // Between servers: only while some drawn operation was in flight (replication it waits on).
    const keep = clientSide ? inOp(m.src, m.sendT) || (m.recvT !== null && inOp(m.dst, m.recvT)) : picked.some((b) => m.sendT >= b.start && m.sendT <= (b.end ?? to));
    if (!keep) continue;
    all.push({ id, from: m.src, to: m.dst, sendT: m.sendT, recvT: m.recvT, fate: m.fate, label: payloadLabel(m.detail) });
  }
  // Keep the messages nearest the end of the window: that is where the violation shows.
  const messages = all.slice(-MAX_MESSAGES);
  const events: SeqEvent[] = evs
    .filter((e) => NODE_EVENTS.has(e.k) && e.t >= from && e.t <= to)
    .map((e) => ({ t: e.t, node: e.node, kind: e.k, label: e.k }));
  for (const e of evs) {
    if ((e.k === 'partition' || e.k === 'heal' || e.k === 'clog' || e.k === 'degrade') && e.t >= from && e.t <= to) {
      events.push({ t: e.t, node: '', kind: e.k, label: e.k === 'partition' ? `partition ${JSON.stringify(e.raw['cuts'] ?? '')}` : e.k });
    }
  }
  const used = new Set<string>();
  for (const m of messages) used.add(m.from).add(m.to);
  for (const e of events) if (e.node) used.add(e.node);
  const servers = [...used].filter((n) => !clientLanes.has(n)).sort();
  const clients = [...used].filter((n) => clientLanes.has(n)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return {
    from,
    to,
    nodes: [...clients, ...servers],
    messages,
    events: events.filter((e) => e.node === '' || used.has(e.node)),
    omitted: all.length - messages.length,
  };
}
