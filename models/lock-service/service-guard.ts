import type { Micros, NodeId } from '../../sim/value.ts';
import type { Acquired, ConsistencyGuard, Lock } from './guard.ts';
import type { Rpc } from './rpc.ts';

/** The worker's side of Option A: the ConsistencyGuard as calls to the lock service node. */
export function serviceGuard(rpc: Rpc, service: NodeId, owner: NodeId, now: () => Micros, timeout: Micros): ConsistencyGuard {
  const lockFrom = (doId: string, ttlMs: number, at: Micros, reply: { ok: boolean; token: number | null } | undefined): Acquired => {
    if (reply === undefined) return 'unavailable';
    if (!reply.ok) return 'refused';
    return { doId, nodeId: owner, acquiredAt: at, expiresAt: at + ttlMs * 1000, token: reply.token };
  };
  return {
    acquire(doId, ttlMs, done) {
      const at = now();
      rpc.call(service, { op: 'acquire', doId, owner, ttlMs }, timeout, (r) => done(lockFrom(doId, ttlMs, at, r as never)));
    },
    release(lock: Lock) {
      rpc.cast(service, { op: 'release', doId: lock.doId, owner, token: lock.token });
    },
    refresh(lock, done) {
      const at = now();
      const ttlMs = (lock.expiresAt - lock.acquiredAt) / 1000;
      rpc.call(service, { op: 'refresh', doId: lock.doId, owner, ttlMs, token: lock.token }, timeout, (r) =>
        done(lockFrom(lock.doId, ttlMs, at, r as never)),
      );
    },
    isAvailable(doId, done) {
      rpc.call(service, { op: 'available', doId }, timeout, (r) => done(r === undefined ? 'unavailable' : Boolean((r as { available: boolean }).available)));
    },
  };
}
