import type { Value } from '../value.ts';
import type { Checker, CheckInput, CheckResult, Probe } from './types.ts';

/**
 * Single writer per key, as the shared store saw it. The store probes (ok = true) every access
 * it accepted, with detail `{ key, writer, op }`: op `begin` when a writer took a copy of the
 * key's state to serve from (activation, or an ownership grant), `write` when it accepted a
 * write. A writer's tenure on a key runs from its begin to its last accepted write before its
 * next begin (a write with no begin before it opens a tenure itself). Two tenures of different
 * writers on one key that overlap in the store's order mean two instances served the key at
 * once; the evidence is the overlapping pair with virtual times.
 */
export interface StoreAccess {
  readonly key: string;
  readonly writer: string;
  readonly op: 'begin' | 'write';
  readonly time: number;
  /** Position in the store's order (probe index), which breaks ties at one instant. */
  readonly seq: number;
}

export interface Tenure {
  readonly key: string;
  readonly writer: string;
  readonly begin: number;
  readonly end: number;
  readonly beginSeq: number;
  readonly endSeq: number;
  readonly writes: number;
}

export interface SingleWriterOptions {
  readonly name?: string;
  /** The probe name the store records accesses under (default `store-access`). */
  readonly probe?: string;
  /**
   * For a store that probes only the writes it accepted, as `{ key, writer }` with no `op` (the
   * lock designs' store): each such probe is a `write`. A writer's tenure then spans its first to
   * its last accepted write, so a writer that writes again after its successor has written
   * overlaps it: a stale lock holder that acted after the next one took over.
   */
  readonly writesOnly?: boolean;
}

export function storeAccesses(probes: readonly Probe[], probeName = 'store-access', writesOnly = false): StoreAccess[] {
  const out: StoreAccess[] = [];
  probes.forEach((p, seq) => {
    if (p.name !== probeName || typeof p.detail !== 'object' || p.detail === null || Array.isArray(p.detail)) return;
    const d = p.detail as { readonly [k: string]: Value };
    const op = writesOnly && d.op === undefined ? 'write' : d.op;
    if (typeof d.key !== 'string' || typeof d.writer !== 'string' || (op !== 'begin' && op !== 'write')) return;
    out.push({ key: d.key, writer: d.writer, op, time: p.time, seq });
  });
  return out;
}

/** Tenures per key, in the store's order. */
export function tenures(accesses: readonly StoreAccess[]): Tenure[] {
  const open = new Map<string, { key: string; writer: string; begin: number; beginSeq: number; end: number; endSeq: number; writes: number }>();
  const out: Tenure[] = [];
  const close = (k: string) => {
    const t = open.get(k);
    if (t) out.push({ ...t });
    open.delete(k);
  };
  for (const a of [...accesses].sort((x, y) => x.seq - y.seq)) {
    const k = `${a.key}\u0000${a.writer}`;
    if (a.op === 'begin') {
      close(k);
      open.set(k, { key: a.key, writer: a.writer, begin: a.time, beginSeq: a.seq, end: a.time, endSeq: a.seq, writes: 0 });
      continue;
    }
    const t = open.get(k);
    if (t) {
      t.end = a.time;
      t.endSeq = a.seq;
      t.writes++;
    } else open.set(k, { key: a.key, writer: a.writer, begin: a.time, beginSeq: a.seq, end: a.time, endSeq: a.seq, writes: 1 });
  }
  for (const k of [...open.keys()]) close(k);
  return out.sort((x, y) => x.beginSeq - y.beginSeq);
}

export interface Overlap {
  readonly key: string;
  readonly first: Tenure;
  readonly second: Tenure;
}

/**
 * Overlapping tenure pairs of different writers, per key: a sweep over tenures sorted by begin,
 * keeping for each key the tenure that reaches furthest. Returns at most one pair per tenure.
 */
export function overlaps(ts: readonly Tenure[]): Overlap[] {
  const furthest = new Map<string, Tenure[]>();
  const out: Overlap[] = [];
  for (const t of ts) {
    const live = (furthest.get(t.key) ?? []).filter((o) => o.endSeq > t.beginSeq);
    const other = live.find((o) => o.writer !== t.writer);
    if (other) out.push({ key: t.key, first: other, second: t });
    live.push(t);
    furthest.set(t.key, live);
  }
  return out;
}

export function singleWriter(options: SingleWriterOptions = {}): Checker {
  const name = options.name ?? 'single-writer';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const acc = storeAccesses(input.probes, options.probe, options.writesOnly);
      const ts = tenures(acc);
      const found = overlaps(ts);
      const keys = new Set(acc.map((a) => a.key));
      const doubled = new Set(found.map((o) => o.key));
      const counts: Value = { keys: keys.size, keysServedTwice: doubled.size, tenures: ts.length, accesses: acc.length };
      if (found.length === 0) {
        return { name, verdict: 'ok', summary: `${keys.size} keys, ${ts.length} tenures, never two writers at once`, evidence: counts };
      }
      const f = found[0] as Overlap;
      const ms = (t: number) => (t / 1000).toFixed(3);
      const show = (t: Tenure): Value => ({ writer: t.writer, begin: t.begin, end: t.end, writes: t.writes });
      return {
        name,
        verdict: 'violation',
        summary:
          `${doubled.size} of ${keys.size} keys had two writers at once; first: ${f.key} served by ${f.first.writer} ` +
          `(${ms(f.first.begin)}-${ms(f.first.end)} ms) and ${f.second.writer} (from ${ms(f.second.begin)} ms)`,
        evidence: { ...counts, overlaps: found.slice(0, 20).map((o) => ({ key: o.key, first: show(o.first), second: show(o.second) })) },
      };
    },
  };
}
