import type { Operation } from '../../history.ts';
import { valueEquals, type Value } from '../../value.ts';
import type { LinModel } from './types.ts';
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

/** Key-value store (get / put / append), checked per key: each key is its own partition. */
export function kvModel(): LinModel<Value> {
  const concat = memoConcat();
  return {
    name: 'kv',
    doc: 'get / put / append per key (partitioned by key), absent keys read as null or ""',
    init: () => null,
    step: (state, op) => stepKey(state, op, concat),
    hash: valueHash,
    partition: byKey,
    readOnly: isRead,
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

function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
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
      h = strHash(s);
      hashes.set(s, h);
    }
    return h;
  };
  const entryHash = (k: number, v: Value): number => Math.imul(valueHash32(v) ^ Math.imul(k + 1, 0x9e3779b1), 0x85ebca6b) >>> 0;
  return {
    name: 'kv-map',
    doc: 'get / put / append with the whole map as one state (no partitioning; slower)',
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
      return { values, h: (state.h - (old === null ? 0 : entryHash(k, old)) + (next === null ? 0 : entryHash(k, next))) >>> 0 };
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
  };
}
