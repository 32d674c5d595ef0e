import type { RaftKvParams } from '../models/raft-kv/index.ts';
import { consensus } from '../sim/check/consensus.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { progressAfterHeal } from '../sim/check/progress-after-heal.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { MS } from '../sim/value.ts';

/**
 * The raft-kv defaults the scenarios vary from: five servers, six clients on three keys, Raft
 * with a 150-300 ms election timeout and 50 ms heartbeats (the paper's suggested range, section
 * 9.3), a snapshot every 40 applied entries so compaction and InstallSnapshot happen in every run.
 */
export const raftKvParams = (over: Partial<RaftKvParams> = {}): RaftKvParams => ({
  servers: 5,
  clients: 6,
  workload: { mix: { read: 2, write: 1, cas: 1 }, keys: 3, think: { min: 10 * MS, max: 100 * MS } },
  timeout: 250 * MS,
  retries: 6,
  raft: { electionTimeout: { min: 150 * MS, max: 300 * MS }, heartbeat: 50 * MS, snapshotEvery: 40, maxBatch: 16 },
  ...over,
});

/** A LAN: about a millisecond per message, a little jitter. */
export const raftLan: NetworkSpec = { default: { latency: { kind: 'uniform', min: 500, max: 1500 } } };

/** Safety of the log from Raft's probes, and linearizability of what clients saw, per key. */
// progress-after-heal: a Raft that never commits passes consensus and linearizability (every op
// is info); a mutant emptying advanceCommit survived both.
export const raftKvCheckers = (): Checker[] => [consensus(), linearizable({ model: 'register' }), progressAfterHeal({ kinds: ['read', 'write'] })];

export const serverIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `s${i}`);
export const clientIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`);
