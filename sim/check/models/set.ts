import type { Operation } from '../../history.ts';
import { canonicalJson, type Value } from '../../value.ts';
import type { LinModel, PreparedStep } from './types.ts';
import { byKey } from './util.ts';

/**
 * A set, one per key, kept as a sorted array of canonical JSON strings so equal sets are equal
 * states. `add` v, `remove` v (always legal; idempotent), `contains` v -> boolean,
 * `read` -> all elements in any order.
 */
export type SetState = readonly string[];

function insertSorted(s: SetState, k: string): SetState {
  let i = 0;
  while (i < s.length && s[i]! < k) i++;
  return s[i] === k ? s : [...s.slice(0, i), k, ...s.slice(i)];
}

/**
 * The set step specialised to one op: the element's canonical JSON (and a read's sorted
 * elements) computed once per op instead of at every step the search takes with it. (A test
 * holds it equal to the step written plainly.)
 */
function prepareSet(op: Operation): PreparedStep<SetState> {
  switch (op.f) {
    case 'add': {
      const k = canonicalJson(op.input);
      return (s) => insertSorted(s, k);
    }
    case 'remove': {
      const k = canonicalJson(op.input);
      return (s) => (s.includes(k) ? s.filter((x) => x !== k) : s);
    }
    case 'contains': {
      if (op.status !== 'ok') return (s) => s;
      const k = canonicalJson(op.input);
      const want = op.output === true;
      return (s) => (s.includes(k) === want ? s : undefined);
    }
    case 'read': {
      if (op.status !== 'ok') return (s) => s;
      if (!Array.isArray(op.output)) return () => undefined;
      const seen = [...new Set((op.output as readonly Value[]).map((v) => canonicalJson(v)))].sort();
      return (s) => (seen.length === s.length && seen.every((x, i) => x === s[i]) ? s : undefined);
    }
    default:
      return () => undefined;
  }
}

export function setModel(): LinModel<SetState> {
  return {
    name: 'set',
    doc: 'set per key: add / remove / contains -> bool / read -> elements in any order',
    ops: ['add', 'remove', 'contains', 'read'],
    init: () => [],
    step: (state, op) => prepareSet(op)(state),
    prepare: prepareSet,
    hash: (s) => s.join('\u0000'),
    partition: byKey,
    readOnly: (op) => op.f === 'contains' || op.f === 'read',
  };
}
