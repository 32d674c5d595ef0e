import type { Operation } from '../../history.ts';
import { valueEquals, type Value } from '../../value.ts';
import type { LinModel } from './types.ts';
import { byKey, valueHash } from './util.ts';

/**
 * FIFO queue, one per key. `enqueue(v)` appends v; `dequeue` -> v is legal iff v is the head
 * (and removes it), `dequeue` -> null iff the queue is empty. An unknown dequeue removes the head
 * if there is one. `read` / `peek` -> the head (null when empty), no change.
 */
export function queueModel(): LinModel<readonly Value[]> {
  return {
    name: 'queue',
    doc: 'FIFO queue per key: enqueue / dequeue (null when empty) / peek',
    ops: ['enqueue', 'dequeue', 'peek', 'read'],
    init: () => [],
    step(state, op: Operation) {
      switch (op.f) {
        case 'enqueue':
          return [...state, op.input];
        case 'dequeue':
          if (op.status !== 'ok') return state.length ? state.slice(1) : undefined;
          if (state.length === 0) return op.output === null ? state : undefined;
          return valueEquals(state[0], op.output) ? state.slice(1) : undefined;
        case 'peek':
        case 'read':
          if (op.status !== 'ok') return state;
          return valueEquals(state.length ? state[0] : null, op.output) ? state : undefined;
        default:
          return undefined;
      }
    },
    hash: (s) => valueHash(s),
    partition: byKey,
    readOnly: (op) => op.f === 'peek' || op.f === 'read',
    // A dequeue answered null is legal only on an empty queue, which it leaves empty.
    keepsState: (op) => op.f === 'dequeue' && op.status === 'ok' && op.output === null,
  };
}
