import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { type ReplicationRules, replicationNode } from '../libsql-replication/node.ts';
import { SqlClient } from '../libsql-replication/sql-client.ts';
import { type DoFleetParams, fleetNodes, workerDefaults } from '../lock-service/index.ts';
import type { StoreOptions } from '../lock-service/store.ts';
import { doWorker } from '../lock-service/worker.ts';
import { hybridGuardCorrected } from './guard.ts';
import { leaderClient } from './leader-client.ts';
import { HashRing } from './ring.ts';
import * as SQL from './schema.ts';

/**
 * The corrected HybridConsistencyGuard on option B's replicated libSQL leader (the document's
 * "libSQL leader" for do_locks, made highly available): three replication nodes `r0..r2`
 * (models/libsql-replication, corrected rules: epochs, fencing, majority acknowledgement and
 * majority-confirmed strong reads), r0 leading first; each worker reaches the leader through
 * `SqlClient` from its co-located node. The DO side (workers, store, clients) is the same as
 * the single lock-db hybrid.
 */
export interface HybridOnLeaderParams extends DoFleetParams {
  readonly replicas: number;
  readonly heartbeat: Micros;
  readonly electionTimeout: { readonly min: Micros; readonly max: Micros };
  /** One attempt of a guard statement; then the next replica (a redirect finds the leader). */
  readonly sqlTimeout: Micros;
  readonly sqlRetries: number;
}

const CORRECTED_RULES: ReplicationRules = { epochs: true, fence: true, ackQuorum: 'majority', readQuorum: 'majority', rywChecksToken: true };

interface Variant {
  readonly rules: ReplicationRules;
  readonly store: StoreOptions;
}
const corrected: Variant = { rules: CORRECTED_RULES, store: { checkFence: true, checkBase: true } };
const VARIANTS: Readonly<Record<string, Variant>> = {
  corrected,
  'bug:no-fence-check': { ...corrected, store: { checkFence: false, checkBase: false } },
};

export const hybridOnLeaderModel: ModelDef<HybridOnLeaderParams> = {
  name: 'hybrid-guard-libsql',
  doc: "seed 001 hybrid: the corrected HybridConsistencyGuard's SQL on option B's replicated libSQL leader, with failover",
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`hybrid-guard-libsql has no variant '${variant}'`);
    const workers = Array.from({ length: p.workers }, (_, i) => `w${i}`);
    const replicas = Array.from({ length: p.replicas }, (_, i) => `r${i}`);
    const ring = new HashRing(workers);
    const dbNodes: NodeSpec[] = replicas.map((id) => ({
      id,
      role: 'lock-db',
      create: replicationNode({ rules: v.rules, peers: replicas, initialLeader: 'r0', schema: [SQL.SCHEMA_CORRECTED], heartbeat: p.heartbeat, electionTimeout: p.electionTimeout, rywWait: 20_000 }),
    }));
    return fleetNodes(
      p,
      ({ store }) =>
        doWorker({
          ...workerDefaults(p),
          fencing: true,
          leaseFraction: 0.8,
          store,
          refresh: false,
          makeGuard: (ctx) => {
            const home = replicas[workers.indexOf(ctx.id) % replicas.length] as string;
            const sql = new SqlClient(ctx, { replicas, home, leader: 'r0', timeout: p.sqlTimeout, retries: p.sqlRetries, redirectDelay: 20_000 });
            const libsql = leaderClient(sql, () => ctx.now());
            const guard = hybridGuardCorrected({ libsql, hashRing: ring, ttlMs: p.ttlMs, now: () => ctx.now(), self: ctx.id });
            return { ...guard, handleMessage: libsql.handleMessage, handleTimer: libsql.handleTimer };
          },
        }),
      dbNodes,
      v.store,
      (doId) => workers.indexOf(ring.getNode(doId)),
    );
  },
};
