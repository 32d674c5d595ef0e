import type { Value } from '../../sim/value.ts';

/**
 * What every variant of the four reactive objects offers the context process: local mutations
 * (applied at once), a way in for peers' messages, what to broadcast, and durable state. The
 * context never looks inside; the engines are the fire-and-forget baseline, the reference
 * CRDTs, Yjs and Automerge.
 */

/** What a user reads: the four objects in canonical form (set elements sorted). */
export interface CitizenView {
  readonly [k: string]: Value;
  readonly value: Value;
  readonly table: { readonly [key: string]: Value };
  readonly seq: readonly Value[];
  readonly set: readonly string[];
}

export const EMPTY_VIEW: CitizenView = { value: null, table: {}, seq: [], set: [] };

/** One change callback, as a subscriber receives it. Indices are positions at that moment. */
export type Change =
  | { readonly [k: string]: Value; readonly o: 'value'; readonly v: Value }
  | { readonly [k: string]: Value; readonly o: 'table'; readonly k: string; readonly v: Value }
  | { readonly [k: string]: Value; readonly o: 'table-del'; readonly k: string }
  | { readonly [k: string]: Value; readonly o: 'seq-ins'; readonly i: number; readonly v: Value }
  | { readonly [k: string]: Value; readonly o: 'seq-del'; readonly i: number }
  | { readonly [k: string]: Value; readonly o: 'set-add'; readonly e: string }
  | { readonly [k: string]: Value; readonly o: 'set-del'; readonly e: string };

/** A message to every peer (broadcast) or to one. */
export interface Outgoing {
  readonly to?: string;
  readonly msg: Value;
}

export interface Engine {
  view(): CitizenView;
  /** Subscribers: called for every change, local or merged. */
  subscribe(cb: (c: Change) => void): void;
  setValue(v: Value): void;
  put(k: string, v: Value): void;
  removeKey(k: string): void;
  insert(index: number, v: Value): void;
  deleteAt(index: number): void;
  add(e: string, tag: string): void;
  /** Removes `e`; returns the add tags it observed (what the remove is meant to cancel). */
  discard(e: string): string[];
  /** A message from a peer. Returns replies to send (e.g. the answer to a digest). */
  receive(from: string, msg: Value): Outgoing[];
  /** Messages to send now (buffered deltas or updates); called after every local change. */
  flush(): Outgoing[];
  /** Periodic anti-entropy messages (full state, or a digest a peer answers). */
  antiEntropy(peers: readonly string[]): Outgoing[];
  /**
   * Tokens live now: the ZenValue's value, ZenSeq's elements, and the tags of ZenSet's live
   * adds. Each is unique to one write; once it has gone (overwritten, deleted, removed) a
   * correct replica never shows it again.
   */
  liveTokens(): string[];
  /** Everything needed to rebuild after a crash. */
  save(): Value;
  /** Bytes of encoded state for the final contents, for the overhead measurement. */
  encodedSize(): number;
}

/** The change callbacks that turn `before` into `after` (used where the engine has no finer events). */
export function diffViews(before: CitizenView, after: CitizenView): Change[] {
  const out: Change[] = [];
  if (JSON.stringify(before.value) !== JSON.stringify(after.value)) out.push({ o: 'value', v: after.value });
  for (const k of new Set([...Object.keys(before.table), ...Object.keys(after.table)])) {
    if (!(k in after.table)) out.push({ o: 'table-del', k });
    else if (!(k in before.table) || JSON.stringify(before.table[k]) !== JSON.stringify(after.table[k])) out.push({ o: 'table', k, v: after.table[k] ?? null });
  }
  const had = new Set(before.set);
  const has = new Set(after.set);
  for (const e of before.set) if (!has.has(e)) out.push({ o: 'set-del', e });
  for (const e of after.set) if (!had.has(e)) out.push({ o: 'set-add', e });
  out.push(...diffSeq(before.seq, after.seq));
  return out;
}

/** Deletes then inserts; if survivors changed order, rebuilds the whole sequence. */
function diffSeq(before: readonly Value[], after: readonly Value[]): Change[] {
  const key = (v: Value) => JSON.stringify(v);
  const keep = new Set(after.map(key));
  const out: Change[] = [];
  const cur = [...before];
  for (let i = cur.length - 1; i >= 0; i--) {
    if (!keep.has(key(cur[i] as Value))) {
      out.push({ o: 'seq-del', i });
      cur.splice(i, 1);
    }
  }
  const afterKeys = after.map(key);
  const survivors = cur.map(key);
  const inOrder = afterKeys.filter((k) => survivors.includes(k));
  if (inOrder.join('\u0000') !== survivors.join('\u0000')) {
    for (let i = cur.length - 1; i >= 0; i--) out.push({ o: 'seq-del', i });
    after.forEach((v, i) => out.push({ o: 'seq-ins', i, v }));
    return out;
  }
  const present = new Set(survivors);
  after.forEach((v, i) => {
    if (!present.has(afterKeys[i] as string)) out.push({ o: 'seq-ins', i, v });
  });
  return out;
}

/** A subscriber's view, built from change callbacks alone. */
export class CallbackView {
  value: Value = null;
  table: { [key: string]: Value } = {};
  seq: Value[] = [];
  set = new Set<string>();

  constructor(from: CitizenView = EMPTY_VIEW) {
    this.value = from.value;
    this.table = { ...from.table };
    this.seq = [...from.seq];
    this.set = new Set(from.set);
  }

  apply(c: Change): void {
    switch (c.o) {
      case 'value': this.value = c.v; break;
      case 'table': this.table[c.k] = c.v; break;
      case 'table-del': delete this.table[c.k]; break;
      case 'seq-ins': this.seq.splice(c.i, 0, c.v); break;
      case 'seq-del': this.seq.splice(c.i, 1); break;
      case 'set-add': this.set.add(c.e); break;
      case 'set-del': this.set.delete(c.e); break;
    }
  }

  view(): CitizenView {
    const table: { [key: string]: Value } = {};
    for (const k of Object.keys(this.table).sort()) table[k] = this.table[k] ?? null;
    return { value: this.value, table, seq: [...this.seq], set: [...this.set].sort() };
  }
}

/** Byte length of a Value as the wire would carry it (JSON, UTF-8). */
export function jsonBytes(v: Value): number {
  return Buffer.byteLength(JSON.stringify(v), 'utf8');
}
