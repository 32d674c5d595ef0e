import type { Operation } from '../../history.ts';
import type { Value } from '../../value.ts';
import type { LinModel } from './types.ts';
import { byKey } from './util.ts';

/**
 * A lock or lease, one per key. State: free (null) or held by `owner` until `until` (virtual
 * time; null means no expiry).
 *
 * - `acquire` input `{owner, until?}` (or a bare owner). Output false: refused; any other
 *   known output: granted. Granted is legal iff the lock is free, already held by the same
 *   owner (a renewal), or its lease has expired by the end of this op (`until <= completeTime`):
 *   the linearization point lies somewhere in [invokeTime, completeTime], so the latest
 *   instant is the most permissive one. Refused is legal iff another owner holds a lease still
 *   valid at some instant of the op (`until > invokeTime`).
 * - `release` input owner. Output false: refused, legal iff the caller is not the holder;
 *   otherwise legal iff the caller is the holder, and the lock becomes free.
 * Judging expiry against the op's own interval is as precise as a history without the
 * server's clock allows; designs that need more record invariant probes instead.
 */
export interface LockState {
  readonly owner: Value;
  readonly until: number | null;
}

function acquireArg(input: Value): { owner: Value; until: number | null } {
  if (input !== null && typeof input === 'object' && !Array.isArray(input) && 'owner' in input) {
    const o = input as { readonly [k: string]: Value };
    return { owner: o['owner'] ?? null, until: typeof o['until'] === 'number' ? o['until'] : null };
  }
  return { owner: input, until: null };
}

const same = (a: Value, b: Value): boolean => JSON.stringify(a) === JSON.stringify(b);

export function lockModel(): LinModel<LockState | null> {
  return {
    name: 'lock',
    doc: 'lock / lease per key: acquire {owner, until?} / release owner; false means refused',
    ops: ['acquire', 'release'],
    init: () => null,
    step(state, op: Operation) {
      const refused = op.status === 'ok' && op.output === false;
      switch (op.f) {
        case 'acquire': {
          const { owner, until } = acquireArg(op.input);
          const free = state === null || same(state.owner, owner) || (state.until !== null && state.until <= op.completeTime);
          if (refused) return state !== null && !same(state.owner, owner) && (state.until === null || state.until > op.invokeTime) ? state : undefined;
          return free ? { owner, until } : undefined;
        }
        case 'release': {
          const holder = state !== null && same(state.owner, acquireArg(op.input).owner);
          if (refused) return holder ? undefined : state;
          return holder ? null : undefined;
        }
        default:
          return undefined;
      }
    },
    hash: (s) => (s === null ? 'free' : JSON.stringify([s.owner, s.until])),
    partition: byKey,
    // A refused acquire or release changed nothing.
    keepsState: (op) => op.status === 'ok' && op.output === false,
  };
}
