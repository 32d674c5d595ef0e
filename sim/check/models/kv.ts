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
 * operations span keys. The state is a frozen object plus an incrementally maintained
 * 32-bit hash, so a step costs O(keys) rather than re-hashing every value.
 */
export interface KvMapState {
  readonly values: ReadonlyMap<string, Value>;
  readonly h: number;
}

function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function entryHash(key: string, v: Value): number {
  if (v === null) return 0; // absent and null are the same state
  return strHash(key + '\u0000' + (typeof v === 'string' ? v : JSON.stringify(v)));
}

export function kvMapModel(): LinModel<KvMapState> {
  const concat = memoConcat();
  return {
    name: 'kv-map',
    doc: 'get / put / append with the whole map as one state (no partitioning; slower)',
    init: () => ({ values: new Map(), h: 0 }),
    step(state: KvMapState, op: Operation): KvMapState | undefined {
      const key = op.key ?? '';
      const old = state.values.get(key) ?? null;
      const next = stepKey(old, op, concat);
      if (next === undefined) return undefined;
      if (next === old) return state;
      const values = new Map(state.values);
      values.set(key, next);
      return { values, h: (state.h - entryHash(key, old) + entryHash(key, next)) >>> 0 };
    },
    hash: (s) => s.h,
    equal(a: KvMapState, b: KvMapState): boolean {
      if (a === b) return true;
      for (const [k, v] of a.values) if (!valueEquals(v, b.values.get(k) ?? null)) return false;
      for (const [k, v] of b.values) if (!valueEquals(v, a.values.get(k) ?? null)) return false;
      return true;
    },
    readOnly: isRead,
  };
}
