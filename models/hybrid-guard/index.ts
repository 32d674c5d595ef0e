import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import { type DoFleetParams, fleetNodes, workerDefaults } from '../lock-service/index.ts';
import type { StoreOptions } from '../lock-service/store.ts';
import { doWorker, type WorkerOptions } from '../lock-service/worker.ts';
import { type CorrectedOptions, hybridGuardAsPrinted, hybridGuardCorrected } from './guard.ts';
import { lockDbClient } from './libsql-client.ts';
import { lockDb } from './lock-db.ts';
import { HashRing } from './ring.ts';
import * as SQL from './schema.ts';

export interface HybridParams extends DoFleetParams {
  /** Test hook (host-time independence): CURRENT_TIMESTAMP in the printed SQL replaced by this literal. */
  readonly currentTimestampAs?: string;
}

interface Variant {
  readonly printed: boolean;
  readonly corrected?: CorrectedOptions;
  readonly worker: Pick<WorkerOptions, 'fencing' | 'leaseFraction'>;
  readonly store: StoreOptions;
  readonly syncBeforeReply: boolean;
}

const corrected: Variant = { printed: false, worker: { fencing: true, leaseFraction: 0.8 }, store: { checkFence: true, checkBase: true }, syncBeforeReply: true };

/**
 * as-written: the guard as printed; a worker serves while the Lock it was given has not expired
 * (`expiresAt`), without a token at the store (the document's hybrid has none). corrected: see
 * guard.ts; the store checks the version as a fencing token; a worker trusts its lock for 0.8 TTL
 * from when it asked.
 */
const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': { printed: true, worker: { fencing: false, leaseFraction: 1 }, store: { checkFence: false, checkBase: false }, syncBeforeReply: true },
  corrected,
  'bug:current-timestamp': { ...corrected, corrected: { expireSql: SQL.EXPIRE_CURRENT_TIMESTAMP } },
  'bug:ignore-returning': { ...corrected, corrected: { ignoreReturning: true } },
  'bug:no-fence-check': { ...corrected, store: { checkFence: false, checkBase: false } },
};

export const hybridGuardModel: ModelDef<HybridParams> = {
  name: 'hybrid-guard',
  doc: "seed 001 hybrid: the document's HybridConsistencyGuard SQL on a real libSQL database, hash-ring affinity",
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`hybrid-guard has no variant '${variant}'`);
    const workers = Array.from({ length: p.workers }, (_, i) => `w${i}`);
    const ring = new HashRing(workers);
    const db: NodeSpec = {
      id: 'lock-db',
      role: 'lock-db',
      create: lockDb({ schema: v.printed ? SQL.SCHEMA_AS_PRINTED : SQL.SCHEMA_CORRECTED, syncBeforeReply: v.syncBeforeReply }),
    };
    return fleetNodes(
      { ...p },
      ({ store }) =>
        doWorker({
          ...workerDefaults(p),
          ...v.worker,
          store,
          refresh: false,
          makeGuard: (ctx, rpc) => {
            const o = {
              libsql: lockDbClient(rpc, 'lock-db', p.rpcTimeout),
              hashRing: ring,
              ttlMs: p.ttlMs,
              now: () => ctx.now(),
              self: ctx.id,
              ...(p.currentTimestampAs !== undefined ? { currentTimestampAs: p.currentTimestampAs } : {}),
            };
            return v.printed ? hybridGuardAsPrinted(o) : hybridGuardCorrected(o, v.corrected);
          },
        }),
      [db],
      v.store,
      (doId) => workers.indexOf(ring.getNode(doId)),
    );
  },
};
