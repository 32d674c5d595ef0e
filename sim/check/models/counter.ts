import type { Operation } from '../../history.ts';
import type { LinModel } from './types.ts';
import { byKey } from './util.ts';

/**
 * A counter, one per key, initially 0. `add` n / `incr` (n or 1) / `decr` (n or 1); `read` -> n.
 */
export function counterModel(): LinModel<number> {
  const amount = (op: Operation): number | undefined => (op.input === null ? 1 : typeof op.input === 'number' ? op.input : undefined);
  return {
    name: 'counter',
    doc: 'counter per key, initially 0: add n / incr / decr / read',
    ops: ['add', 'incr', 'decr', 'read'],
    init: () => 0,
    step(state, op: Operation) {
      switch (op.f) {
        case 'add':
        case 'incr': {
          const n = amount(op);
          return n === undefined ? undefined : state + n;
        }
        case 'decr': {
          const n = amount(op);
          return n === undefined ? undefined : state - n;
        }
        case 'read':
          if (op.status !== 'ok') return state;
          return op.output === state ? state : undefined;
        default:
          return undefined;
      }
    },
    hash: (s) => s,
    partition: byKey,
    readOnly: (op) => op.f === 'read',
  };
}
