import type { Micros, NodeId, Value } from '../../sim/value.ts';
import type { ConsistencyGuard, Lock } from '../lock-service/guard.ts';
import type { LibSQLClient } from './libsql-client.ts';
import type { HashRing } from './ring.ts';
import * as SQL from './schema.ts';

/**
 * The document's HybridConsistencyGuard, line by line, in continuation-passing style. The
 * document's host-clock call (`Date` dot `now`) is the worker's virtual clock in milliseconds, read where the code
 * reads it (so acquiredAt is read again after the await, as printed). Its `Lock` is
 * `{ doId, nodeId, acquiredAt, expiresAt, version }` in ms; the worker's Lock carries the same
 * in microseconds with `version` as its token.
 */
export interface HybridOptions {
  readonly libsql: LibSQLClient;
  readonly hashRing: HashRing;
  readonly ttlMs: number;
  /** The worker's own clock (microseconds). */
  readonly now: () => Micros;
  /** The calling worker (the corrected guard names it as holder; the printed one names the affinity node). */
  readonly self: NodeId;
  /** Test hook: the printed SQL with CURRENT_TIMESTAMP replaced by this literal. */
  readonly currentTimestampAs?: string;
}

const toWorkerLock = (l: { doId: string; nodeId: string; acquiredAt: number; expiresAt: number; version: number | null }): Lock => ({
  doId: l.doId,
  nodeId: l.nodeId,
  acquiredAt: l.acquiredAt * 1000,
  expiresAt: l.expiresAt * 1000,
  token: l.version,
});

/** HybridConsistencyGuard as printed. It has no refresh; acquire has no TTL argument (TTL is a constant). */
export function hybridGuardAsPrinted(o: HybridOptions): ConsistencyGuard {
  const TTL = o.ttlMs;
  const dateNow = () => Math.floor(o.now() / 1000);
  const acquireSql = o.currentTimestampAs === undefined ? SQL.ACQUIRE_AS_PRINTED : SQL.ACQUIRE_AS_PRINTED.replace('CURRENT_TIMESTAMP', o.currentTimestampAs);
  return {
    acquire(doId, _ttlMs, done) {
      // 1. Calculate affinity node (for optimization)
      const affinityNode = o.hashRing.getNode(doId);
      // 2. Acquire logical lock in libSQL leader
      o.libsql.execute({ sql: acquireSql, args: [doId, affinityNode, dateNow(), dateNow() + TTL] }, (lock) => {
        if (lock === undefined) return done('unavailable');
        done(toWorkerLock({ doId, nodeId: affinityNode, acquiredAt: dateNow(), expiresAt: dateNow() + TTL, version: lock.lastInsertRowid }));
      });
    },
    release(lock) {
      o.libsql.send({ sql: SQL.RELEASE_AS_PRINTED, args: [lock.doId, lock.token] });
    },
    refresh(_lock, done) {
      done('refused'); // the hybrid guard has no refresh: the worker re-acquires
    },
    isAvailable(doId, done) {
      o.libsql.execute({ sql: SQL.IS_AVAILABLE_AS_PRINTED, args: [doId, dateNow()] }, (r) => done(r === undefined ? 'unavailable' : r.rows.length === 0));
    },
  };
}

export interface CorrectedOptions {
  /** bug:current-timestamp: expire against CURRENT_TIMESTAMP instead of the database's clock. */
  readonly expireSql?: string;
  /** bug:ignore-returning: take any answer as a grant, as the printed code does. */
  readonly ignoreReturning?: boolean;
}

const DB_NOW: Value = { dbNow: 'ms' };

/**
 * The corrected guard: expiry judged on the lock database's clock (a parameter it fills in), the
 * INSERT claims only a free row and RETURNs its version, the caller checks that it won, the
 * holder is the calling worker, and the version (AUTOINCREMENT) is the fencing token.
 */
export function hybridGuardCorrected(o: HybridOptions, c: CorrectedOptions = {}): ConsistencyGuard {
  const TTL = o.ttlMs;
  const dateNow = () => Math.floor(o.now() / 1000);
  return {
    acquire(doId, _ttlMs, done) {
      const acquiredAt = dateNow();
      o.libsql.batch(
        [
          { sql: c.expireSql ?? SQL.EXPIRE_CORRECTED, args: c.expireSql === undefined ? [doId, DB_NOW] : [doId] },
          { sql: SQL.ACQUIRE_CORRECTED, args: [doId, o.self, DB_NOW, DB_NOW, TTL] },
        ],
        (r) => {
          if (r === undefined) return done('unavailable');
          const row = r.rows[0];
          if (row === undefined && !c.ignoreReturning) return done('refused');
          const version = row === undefined ? r.lastInsertRowid : (row['version'] as number);
          done(toWorkerLock({ doId, nodeId: o.self, acquiredAt, expiresAt: acquiredAt + TTL, version }));
        },
      );
    },
    release(lock) {
      o.libsql.send({ sql: SQL.RELEASE_AS_PRINTED, args: [lock.doId, lock.token] });
    },
    refresh(_lock, done) {
      done('refused');
    },
    isAvailable(doId, done) {
      o.libsql.execute({ sql: SQL.IS_AVAILABLE_AS_PRINTED, args: [doId, DB_NOW] }, (r) => done(r === undefined ? 'unavailable' : r.rows.length === 0));
    },
  };
}
