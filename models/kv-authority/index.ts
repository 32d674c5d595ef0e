import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { WorkloadSpec } from '../../sim/workload.ts';
import { validateWorkload } from '../../sim/workload.ts';
import { kvClient } from './client.ts';
import { kvServer, type ServerOptions } from './server.ts';

export interface KvAuthorityParams {
  /** Number of shard servers ("s0".."s{n-1}"); each key has exactly one authority. */
  readonly servers: number;
  readonly clients: number;
  readonly workload: WorkloadSpec;
  readonly timeout: number;
  readonly retries: number;
  /** Background flush period of the variants that do not sync before acknowledging. */
  readonly flushEvery?: number;
}

/**
 * Variants. `corrected` syncs before it acknowledges and answers retries from a per-client
 * reply table; `as-written` is the naive server that does neither; each `bug:` variant is one
 * departure from `corrected`.
 */
const VARIANTS: Readonly<Record<string, Omit<ServerOptions, 'flushEvery'>>> = {
  corrected: { syncBeforeAck: true, dedup: true },
  'as-written': { syncBeforeAck: false, dedup: false },
  'bug:ack-before-sync': { syncBeforeAck: false, dedup: true },
  'bug:no-dedup': { syncBeforeAck: true, dedup: false },
};

export const kvAuthority: ModelDef<KvAuthorityParams> = {
  name: 'kv-authority',
  doc: 'sharded single-authority key-value store; clients time out and retry (kernel demo design)',
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`kv-authority has no variant '${variant}'`);
    validateWorkload(p.workload);
    const servers = Array.from({ length: p.servers }, (_, i) => `s${i}`);
    const nodes: NodeSpec[] = servers.map((id) => ({
      id,
      role: 'server',
      create: kvServer({ ...v, flushEvery: p.flushEvery ?? 50_000 }),
    }));
    for (let i = 0; i < p.clients; i++) {
      nodes.push({
        id: `c${i}`,
        role: 'client',
        create: kvClient({ index: i, servers, workload: p.workload, timeout: p.timeout, retries: p.retries }),
      });
    }
    return nodes;
  },
};
