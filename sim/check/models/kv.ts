import { FNV_BASIS, foldHash } from '../../hash.ts';
import type { Operation } from '../../history.ts';
import { valueEquals, type Value } from '../../value.ts';
import type { LinModel, PreparedStep } from './types.ts';
import { byKey, valueHash } from './util.ts';

/**
 * Applies one get / put / append to one key's value. A key that was never written holds null,
 * and reads as either null or the empty string '' (stores that model "absent" as empty, like
 * Porcupine's kv tests, and stores that return null, both pass).
 * `append(v)`: strings concatenate (null counts as ''); any other value is appended as a list
 * element (null counts as []), which covers Jepsen's list-append workloads.
 */
function stepKey(state: Value, op: Operation, concat: (a: string, b: string) => string = plainConcat): Value | undefined {
  switch (op.f) {
    case 'get':
    case 'read': {
      if (op.status !== 'ok') return state;
      const out = op.output;
      if (state === null) return out === null || out === '' ? state : undefined;
      if (typeof state === 'string') return out === state ? state : undefined;
      return valueEquals(out, state) ? state : undefined;
    }
    case 'put':
    case 'write':
      return op.input;
    case 'cas':
      return stepCas(state, op);
    case 'append': {
      const v = op.input;
      if (typeof v === 'string' && (state === null || typeof state === 'string')) return concat(state ?? '', v);
      if (state === null) return [v];
      if (Array.isArray(state)) return [...(state as readonly Value[]), v];
      return undefined;
    }
    default:
      return undefined;
  }
}

const plainConcat = (a: string, b: string): string => a + b;

/**
 * `cas([from, to])`, with the register model's reading: output `false` means it ran and saw
 * another value (legal iff the key does not hold `from`; no change); any other known output
 * means it succeeded (legal iff the key holds `from`; the key becomes `to`); an unknown output
 * takes effect iff the key holds `from`. A never-written key holds null, as a read sees it.
 */
function stepCas(state: Value, op: Operation): Value | undefined {
  const arg = op.input;
  if (!Array.isArray(arg) || arg.length !== 2) return undefined;
  const matches = valueEquals(state, arg[0] as Value);
  if (op.status === 'ok' && op.output === false) return matches ? undefined : state;
  return matches ? (arg[1] as Value) : undefined;
}

const isCasThatSawAnother = (op: Operation): boolean => op.f === 'cas' && op.status === 'ok' && op.output === false;

/** The operations both kv models know. */
const KV_OPS: readonly string[] = ['get', 'read', 'put', 'write', 'append', 'cas'];

/**
 * Memoised string append. The search replays the same appends on the same states many times;
 * returning the very same string object each time means the state interner finds it by its
 * cached hash and pointer equality instead of hashing and comparing a fresh, ever longer string.
 * Bounded: the memo is dropped when it grows past `limit` entries.
 */
function memoConcat(limit = 1 << 20): (a: string, b: string) => string {
  let memo = new Map<string, Map<string, string>>();
  let size = 0;
  return (a, b) => {
    let row = memo.get(a);
    if (!row) {
      if (size > limit) {
        memo = new Map();
        size = 0;
      }
      memo.set(a, (row = new Map()));
    }
    let r = row.get(b);
    if (r === undefined) {
      r = a + b;
      row.set(b, r);
      size++;
    }
    return r;
  };
}

const isRead = (op: Operation): boolean => op.f === 'get' || op.f === 'read';

/**
 * A string value of the per-key kv model, kept as the chain of appends that built it. The
 * search meets many strings that differ only in the order of concurrent appends (Porcupine's
 * c50 history: 150k of them, a few hundred characters each); as plain strings each new one
 * costs a full pass to hash and intern it. Here an append costs a hash step over the appended
 * piece only (FNV-1a is a left fold, so it extends), appending the same piece to the same node
 * returns the same node, and the full string is built only when a read's output has the same
 * length and hash, which is nearly always when it is equal.
 */
export class KvString {
  private str: string | undefined;
  /** Appends already made to this node: the first inline, the others in `kids`. */
  private kid: KvString | undefined;
  private kids: KvString[] | undefined;

  constructor(
    private readonly parent: KvString | undefined,
    readonly piece: string,
    readonly length: number,
    readonly hash: number,
  ) {
    if (!parent) this.str = piece;
  }

  static of(s: string): KvString {
    return new KvString(undefined, s, s.length, foldHash(FNV_BASIS, s));
  }

  append(piece: string): KvString {
    const first = this.kid;
    if (first !== undefined) {
      if (first.piece === piece) return first;
      const kids = this.kids;
      if (kids !== undefined) for (let j = 0; j < kids.length; j++) if (kids[j]!.piece === piece) return kids[j]!;
    }
    const k = new KvString(this, piece, this.length + piece.length, foldHash(this.hash, piece));
    if (first === undefined) this.kid = k;
    else (this.kids ??= []).push(k);
    return k;
  }

  /** The string itself, built on first use (iteratively: chains can be long). */
  value(): string {
    if (this.str !== undefined) return this.str;
    const chain: KvString[] = [];
    let n: KvString | undefined = this;
    while (n.str === undefined) {
      chain.push(n);
      n = n.parent!;
    }
    let s = n.str;
    for (let j = chain.length - 1; j >= 0; j--) {
      s += chain[j]!.piece;
      chain[j]!.str = s;
    }
    return s;
  }
}

/** A kv state: null (never written), a string as a KvString, or any other Value. */
type KvState = Value | KvString;

/** Key-value store (get / put / append), checked per key: each key is its own partition. */
export function kvModel(): LinModel<KvState> {
  // put(s) of the same string gives the same node, so the search finds it by identity.
  const roots = new Map<string, KvString>();
  const root = (s: string): KvString => {
    let r = roots.get(s);
    if (r === undefined) {
      if (roots.size > 1 << 16) roots.clear();
      roots.set(s, (r = KvString.of(s)));
    }
    return r;
  };
  // Same semantics as stepKey (the kv-map model's), with strings as KvStrings, decided once
  // per op: the search steps each op from many states.
  const prepare = (op: Operation): PreparedStep<KvState> => {
    switch (op.f) {
      case 'get':
      case 'read': {
        if (op.status !== 'ok') return (s) => s;
        const out = op.output;
        if (typeof out === 'string') {
          const length = out.length;
          const hash = foldHash(FNV_BASIS, out);
          const empty = out === '';
          return (s) => {
            if (s === null) return empty ? s : undefined;
            if (s instanceof KvString) return s.length === length && s.hash === hash && s.value() === out ? s : undefined;
            return valueEquals(out, s) ? s : undefined;
          };
        }
        return (s) => {
          if (s === null) return out === null ? s : undefined;
          if (s instanceof KvString) return undefined;
          return valueEquals(out, s) ? s : undefined;
        };
      }
      case 'put':
      case 'write': {
        const v = typeof op.input === 'string' ? root(op.input) : op.input;
        return () => v;
      }
      case 'append': {
        const v = op.input;
        if (typeof v === 'string') {
          const r = root(v);
          return (s) => (s === null ? r : s instanceof KvString ? s.append(v) : Array.isArray(s) ? [...(s as readonly Value[]), v] : undefined);
        }
        return (s) => (s === null ? [v] : Array.isArray(s) ? [...(s as readonly Value[]), v] : undefined);
      }
      case 'cas': {
        // Compare against the plain value; a string result is interned as a KvString again.
        return (s) => {
          const plain = s instanceof KvString ? s.value() : s;
          const next = stepCas(plain, op);
          if (next === undefined) return undefined;
          if (next === plain) return s;
          return typeof next === 'string' ? root(next) : next;
        };
      }
      default:
        return () => undefined;
    }
  };
  return {
    name: 'kv',
    doc: 'get / put / append / cas per key (partitioned by key), absent keys read as null or ""',
    ops: KV_OPS,
    init: () => null,
    step: (state, op) => prepare(op)(state),
    prepare,
    hash: (s) => (s instanceof KvString ? s.hash : valueHash(s)),
    equal(a, b) {
      if (a === b) return true;
      if (a instanceof KvString) return b instanceof KvString && a.length === b.length && a.hash === b.hash && a.value() === b.value();
      return !(b instanceof KvString) && valueEquals(a, b);
    },
    partition: byKey,
    readOnly: isRead,
    keepsState: isCasThatSawAnother,
  };
}

/**
 * The same store as one partition whose state is the whole map. Exists to measure what
 * P-compositionality buys (Porcupine's unpartitioned kv test), and for designs whose
 * operations span keys. The state is an array of values indexed by key number (keys are
 * numbered as first seen, per model instance) plus an incrementally maintained 32-bit hash,
 * so a write costs one short array copy and two cached hash lookups, never a rehash of every
 * value.
 */
export interface KvMapState {
  readonly values: readonly Value[];
  readonly h: number;
}

export function kvMapModel(): LinModel<KvMapState> {
  const concat = memoConcat();
  const keyIndex = new Map<string, number>();
  const hashes = new Map<string, number>();
  const valueHash32 = (v: Value): number => {
    if (v === null) return 0; // absent and null are the same state
    const s = typeof v === 'string' ? v : '\u0000' + JSON.stringify(v);
    let h = hashes.get(s);
    if (h === undefined) {
      if (hashes.size > 1 << 20) hashes.clear();
      h = foldHash(FNV_BASIS, s) >>> 0;
      hashes.set(s, h);
    }
    return h;
  };
  const entryHash = (k: number, v: Value): number => Math.imul(valueHash32(v) ^ Math.imul(k + 1, 0x9e3779b1), 0x85ebca6b) >>> 0;
  return {
    name: 'kv-map',
    doc: 'get / put / append / cas with the whole map as one state (no partitioning; slower)',
    ops: KV_OPS,
    init: () => ({ values: [], h: 0 }),
    step(state: KvMapState, op: Operation): KvMapState | undefined {
      const key = op.key ?? '';
      let k = keyIndex.get(key);
      if (k === undefined) keyIndex.set(key, (k = keyIndex.size));
      const old = k < state.values.length ? state.values[k]! : null;
      const next = stepKey(old, op, concat);
      if (next === undefined) return undefined;
      if (next === old) return state;
      const values = state.values.slice();
      while (values.length < k) values.push(null);
      values[k] = next;
      return { values, h: (state.h - (old === null ? 0 : entryHash(k, old)) + (next === null ? 0 : entryHash(k, next))) | 0 };
    },
    hash: (s) => s.h,
    equal(a: KvMapState, b: KvMapState): boolean {
      if (a === b) return true;
      const n = Math.max(a.values.length, b.values.length);
      for (let i = 0; i < n; i++) {
        const x = a.values[i] ?? null;
        const y = b.values[i] ?? null;
        if (x !== y && !valueEquals(x, y)) return false;
      }
      return true;
    },
    readOnly: isRead,
    keepsState: isCasThatSawAnother,
  };
}
