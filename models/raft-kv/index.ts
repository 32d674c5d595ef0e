import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { validateWorkload, type WorkloadSpec } from '../../sim/workload.ts';
import type { RaftBug, RaftConfig } from '../raft/api.ts';
import { RAFT_BUGS } from '../raft/index.ts';
import { raftKvClient } from './client.ts';
import { raftKvServer } from './server.ts';

export interface RaftKvParams {
  /** Raft servers "s0".."s{n-1}". */
  readonly servers: number;
  readonly clients: number;
  readonly workload: WorkloadSpec;
  readonly timeout: Micros;
  readonly retries: number;
  /** Raft's parameters (the peers are the servers). */
  readonly raft: Omit<RaftConfig, 'peers' | 'bugs'>;
}

/**
 * Variants: `corrected` is Raft as the paper states it; each `bug:<name>` plants one of Raft's
 * one-line departures (models/raft/api.ts RaftBug). There is no `as-written`: no seed document
 * describes this design, it exists to test the Raft part.
 */
const VARIANTS: Readonly<Record<string, readonly RaftBug[]>> = Object.fromEntries([
  ['corrected', []],
  ...RAFT_BUGS.map((b) => [`bug:${b}`, [b]] as const),
]);

export const raftKv: ModelDef<RaftKvParams> = {
  name: 'raft-kv',
  doc: 'a key-value store replicated by models/raft (reads through the log, client dedup in the state machine)',
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const bugs = VARIANTS[variant];
    if (!bugs) throw new Error(`raft-kv has no variant '${variant}'`);
    validateWorkload(p.workload);
    const servers = Array.from({ length: p.servers }, (_, i) => `s${i}`);
    const config: RaftConfig = { ...p.raft, peers: servers, bugs };
    const nodes: NodeSpec[] = servers.map((id) => ({ id, role: 'server', create: raftKvServer(config) }));
    for (let i = 0; i < p.clients; i++) {
      nodes.push({
        id: `c${i}`,
        role: 'client',
        create: raftKvClient({ index: i, servers, workload: p.workload, timeout: p.timeout, retries: p.retries }),
      });
    }
    return nodes;
  },
};
