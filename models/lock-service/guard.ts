import type { NodeId, Value } from '../../sim/value.ts';

/**
 * The document's `Lock` and `ConsistencyGuard` (Option A, "Implementation"), in
 * continuation-passing style: `acquire(doId, ttlMs): Promise<Lock>` becomes
 * `acquire(doId, ttlMs, done)`. A rejected promise is `'unavailable'` (the guard's backend did
 * not answer) and a lock held by someone else is `'refused'`.
 */
export interface Lock {
  readonly [k: string]: Value;
  readonly doId: string;
  /** Who the lock names as holder. */
  readonly nodeId: string;
  /** On the clock of whoever made the Lock (the worker's, as the document's host-clock reading). */
  readonly acquiredAt: number;
  readonly expiresAt: number;
  /** Fencing token; null where the design has none (Option A as printed). */
  readonly token: number | null;
}

export type Acquired = Lock | 'refused' | 'unavailable';

export interface ConsistencyGuard {
  acquire(doId: string, ttlMs: number, done: (r: Acquired) => void): void;
  /** Fire-and-forget, as the document's latency table allows. */
  release(lock: Lock): void;
  /** 'refused': the lock is no longer ours. */
  refresh(lock: Lock, done: (r: Acquired) => void): void;
  isAvailable(doId: string, done: (r: boolean | 'unavailable') => void): void;
  /**
   * A guard whose backend speaks its own protocol (the hybrid on option B's replicated leader)
   * gets every message and timer of its worker first; true: it was the guard's.
   */
  handleMessage?(from: NodeId, msg: Value): boolean;
  handleTimer?(tag: Value): boolean;
}
