import type { Operation } from '../../history.ts';
import { valueEquals, type Value } from '../../value.ts';
import type { LinModel } from './types.ts';
import { byKey, valueHash } from './util.ts';

/**
 * An ordered list, one per key, for queues that reorder (priorities, "move to front").
 * - `insert` {value, index?} (or a bare value): inserts at index (clamped; absent: at the end).
 * - `remove` value: output false means "was not there" (legal iff absent); any other known
 *   output means it removed the first equal element (legal iff present).
 * - `move` {value, index}: moves the first equal element to index (clamped); legal iff present
 *   (output false: legal iff absent, no change).
 * - `read` -> the whole list, compared element by element.
 */
function indexOf(state: readonly Value[], v: Value): number {
  for (let i = 0; i < state.length; i++) if (valueEquals(state[i], v)) return i;
  return -1;
}

function arg(input: Value): { value: Value; index: number | undefined } {
  if (input !== null && typeof input === 'object' && !Array.isArray(input) && 'value' in input) {
    const o = input as { readonly [k: string]: Value };
    return { value: o['value'] ?? null, index: typeof o['index'] === 'number' ? o['index'] : undefined };
  }
  return { value: input, index: undefined };
}

function insertAt(state: readonly Value[], v: Value, index: number | undefined): Value[] {
  const at = index === undefined ? state.length : Math.max(0, Math.min(state.length, index));
  return [...state.slice(0, at), v, ...state.slice(at)];
}

export function listModel(): LinModel<readonly Value[]> {
  return {
    name: 'list',
    doc: 'ordered list per key: insert {value,index} / remove / move {value,index} / read',
    ops: ['insert', 'remove', 'move', 'read'],
    init: () => [],
    step(state, op: Operation) {
      const failed = op.status === 'ok' && op.output === false;
      switch (op.f) {
        case 'insert': {
          const { value, index } = arg(op.input);
          return insertAt(state, value, index);
        }
        case 'remove': {
          const i = indexOf(state, arg(op.input).value);
          if (failed) return i < 0 ? state : undefined;
          return i < 0 ? undefined : [...state.slice(0, i), ...state.slice(i + 1)];
        }
        case 'move': {
          const { value, index } = arg(op.input);
          const i = indexOf(state, value);
          if (failed) return i < 0 ? state : undefined;
          if (i < 0) return undefined;
          const without = [...state.slice(0, i), ...state.slice(i + 1)];
          return insertAt(without, state[i]!, index ?? without.length);
        }
        case 'read':
          if (op.status !== 'ok') return state;
          return valueEquals(state, op.output) ? state : undefined;
        default:
          return undefined;
      }
    },
    hash: (s) => valueHash(s),
    partition: byKey,
    readOnly: (op) => op.f === 'read',
    // A remove or move that found nothing (output false) changed nothing.
    keepsState: (op) => (op.f === 'remove' || op.f === 'move') && op.status === 'ok' && op.output === false,
  };
}
