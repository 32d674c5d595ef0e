import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { validateWorkload, type WorkloadSpec } from '../../sim/workload.ts';
import { KV_SCHEMA, kvClient } from './kv-client.ts';
import { libsqlMetrics } from './metrics.ts';
import { type ReplicationRules, replicationNode } from './node.ts';
import { READ_MODES, type ReadMode } from './protocol.ts';

export interface LibsqlParams {
  /** Database nodes "r0".."r{n-1}"; r0 leads first. */
  readonly replicas: number;
  readonly clients: number;
  /**
   * Read modes (default strong, ryw, eventual). Client i has home replica i mod replicas and
   * mode modes[floor(i / replicas) mod modes.length], so every colo has a client of each mode.
   */
  readonly modes?: readonly ReadMode[];
  readonly workload: WorkloadSpec;
  readonly timeout: Micros;
  readonly retries: number;
  readonly heartbeat: Micros;
  readonly electionTimeout: { readonly min: Micros; readonly max: Micros };
  readonly rywWait: Micros;
}

interface Variant {
  readonly rules: ReplicationRules;
  readonly tokenFromReads: boolean;
}

const CORRECTED: Variant = {
  rules: { epochs: true, fence: true, ackQuorum: 'majority', readQuorum: 'majority', rywChecksToken: true },
  tokenFromReads: true,
};

/**
 * as-written: asynchronous replication, the leader acknowledges once it applied (and synced)
 * the frame locally, strong reads are whatever the node that believes it leads has, elections
 * are a quorum vote for the most up-to-date reachable replica with no epochs, and the
 * read-your-writes token is the client's last write. corrected: every one of those made safe
 * (README, "Variants"). Each bug is one rule of corrected undone.
 */
const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': { rules: { epochs: false, fence: false, ackQuorum: 'local', readQuorum: 'local', rywChecksToken: true }, tokenFromReads: false },
  corrected: CORRECTED,
  'bug:ack-before-quorum': { ...CORRECTED, rules: { ...CORRECTED.rules, ackQuorum: 'local' } },
  'bug:ryw-ignores-frameno': { ...CORRECTED, rules: { ...CORRECTED.rules, rywChecksToken: false } },
};

export const replicaIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `r${i}`);
export const clientIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`);
/** Client i is co-located with replica i mod n: its eventual and read-your-writes reads go there. */
export const homeOf = (client: number, replicas: number): string => `r${client % replicas}`;

export const libsqlReplication: ModelDef<LibsqlParams> = {
  name: 'libsql-replication',
  doc: 'seed 001 option B: libSQL leader/follower frame replication, three read modes, failover',
  variants: Object.keys(VARIANTS),
  metrics: libsqlMetrics,
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`libsql-replication has no variant '${variant}'`);
    validateWorkload(p.workload);
    const peers = replicaIds(p.replicas);
    const nodes: NodeSpec[] = peers.map((id) => ({
      id,
      role: 'server',
      create: replicationNode({ rules: v.rules, peers, initialLeader: 'r0', schema: KV_SCHEMA, heartbeat: p.heartbeat, electionTimeout: p.electionTimeout, rywWait: p.rywWait }),
    }));
    const modes = p.modes ?? READ_MODES;
    for (let i = 0; i < p.clients; i++) {
      nodes.push({
        id: `c${i}`,
        role: 'client',
        create: kvClient({
          index: i,
          mode: modes[Math.floor(i / p.replicas) % modes.length] as ReadMode,
          replicas: peers,
          home: homeOf(i, p.replicas),
          leader: 'r0',
          workload: p.workload,
          timeout: p.timeout,
          retries: p.retries,
          tokenFromReads: v.tokenFromReads,
        }),
      });
    }
    return nodes;
  },
};
