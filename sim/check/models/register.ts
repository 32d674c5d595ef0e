import type { Operation } from '../../history.ts';
import { valueEquals, type Value } from '../../value.ts';
import type { LinModel } from './types.ts';
import { byKey, valueHash } from './util.ts';

/**
 * A read / write / compare-and-set register, one per key (ops without a key share one register).
 * Initial value null ("never written").
 *
 * - `read` -> r: legal iff r equals the state (an unknown output is always legal).
 * - `write(v)`: always legal; the state becomes v.
 * - `cas([from, to])`: output `false` means the cas happened and saw another value (legal iff
 *   state != from, no change): this is how the porcupine-etcd reader encodes `:fail :cas`.
 *   Any other known output (true, the echoed [from, to], null) means it succeeded: legal iff
 *   state == from, and the state becomes `to`. With an unknown output it takes effect iff
 *   state == from; otherwise it had no effect, which the search expresses by leaving it out.
 */
export function registerModel(): LinModel<Value> {
  return {
    name: 'register',
    doc: 'read / write / cas register per key, initially null',
    ops: ['read', 'get', 'write', 'put', 'cas'],
    init: () => null,
    step(state: Value, op: Operation): Value | undefined {
      switch (op.f) {
        case 'read':
        case 'get':
          if (op.status !== 'ok') return state;
          return valueEquals(op.output, state) ? state : undefined;
        case 'write':
        case 'put':
          return op.input;
        case 'cas': {
          const arg = op.input;
          if (!Array.isArray(arg) || arg.length !== 2) return undefined;
          const from = arg[0] as Value;
          const to = arg[1] as Value;
          const matches = valueEquals(state, from);
          if (op.status === 'ok' && op.output === false) return matches ? undefined : state;
          return matches ? to : undefined;
        }
        default:
          return undefined;
      }
    },
    hash: valueHash,
    partition: byKey,
    readOnly: (op) => op.f === 'read' || op.f === 'get',
    // A cas that saw another value changed nothing.
    keepsState: (op) => op.f === 'cas' && op.status === 'ok' && op.output === false,
  };
}
