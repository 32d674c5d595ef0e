import { clientIds, homeOf, type LibsqlParams, replicaIds } from '../models/libsql-replication/index.ts';
import { READ_F } from '../models/libsql-replication/kv-client.ts';
import { ackedWritesSurvive } from '../sim/check/acked-writes.ts';
import { convergence } from '../sim/check/convergence.ts';
import { invariants } from '../sim/check/invariants.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { onlyOps } from '../sim/check/only-ops.ts';
import { progressAfterHeal } from '../sim/check/progress-after-heal.ts';
import { sessionGuarantees } from '../sim/check/session.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { MS, type Value } from '../sim/value.ts';

export const REPLICAS = 3;

/** The defaults libsql scenarios vary from: 3 replicas, 9 clients (3 per read mode). */
export const libsqlParams = (over: Partial<LibsqlParams> = {}): LibsqlParams => ({
  replicas: REPLICAS,
  clients: 9,
  workload: { mix: { read: 3, write: 1, cas: 1 }, keys: 4, think: { min: 10 * MS, max: 60 * MS } },
  timeout: 60 * MS,
  retries: 10,
  heartbeat: 30 * MS,
  electionTimeout: { min: 150 * MS, max: 300 * MS },
  rywWait: 20 * MS,
  ...over,
});

/**
 * The edge profile: one database node per edge colo, colos of one region a few ms apart, each
 * client in the colo of its home replica. Inter-colo one-way latency is lognormal with median
 * 2.5 ms (min 1 ms), which puts a round trip to the leader at about 5 ms, the middle of the
 * document's "2-10ms" for a write; a client reaches its co-located replica in about 0.2 ms,
 * which is what "<1ms ... if co-located" assumes. Links are FIFO (HTTP/2 or WebSocket streams).
 */
export function edgeNetwork(clients: number, replicas: number = REPLICAS): NetworkSpec {
  const local = { latency: { kind: 'lognormal' as const, median: 200, sigma: 0.3, min: 80 }, fifo: true };
  const links = clientIds(clients).flatMap((c, i) => [
    { from: c, to: homeOf(i, replicas), ...local },
    { from: homeOf(i, replicas), to: c, ...local },
  ]);
  return { default: { latency: { kind: 'lognormal', median: 2_500, sigma: 0.3, min: 1_000 }, fifo: true }, links };
}

/** The kv table of a replica's final state (observedState is every user table's rows). */
export function kvOf(_node: string, state: Value): ReadonlyMap<string, Value> | undefined {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return undefined;
  const rows = (state as { readonly kv?: Value }).kv;
  if (!Array.isArray(rows)) return undefined;
  return new Map(rows.map((r) => [(r as { k: string }).k, (r as { v: Value }).v]));
}

export const replicas = replicaIds(REPLICAS);

/**
 * What every libsql scenario checks:
 *  - linearizable: strong reads, writes and cas per key (eventual and read-your-writes reads are
 *    left out: they promise less);
 *  - read-your-writes and monotonic-reads per client session, over strong and RYW reads;
 *  - acked-writes-survive: no acknowledged write missing from a replica's final table;
 *  - convergence: every replica's tables equal once healed and quiet;
 *  - frames-kept: no replica ever replaced a frame it had applied (probe).
 */
export function libsqlCheckers(): Checker[] {
  const sessionReads = [READ_F.strong, READ_F.ryw];
  return [
    onlyOps(linearizable({ model: 'register' }), ['write', 'cas', READ_F.strong]),
    sessionGuarantees({ guarantees: ['read-your-writes'], reads: sessionReads, name: 'read-your-writes' }),
    sessionGuarantees({ guarantees: ['monotonic-reads'], reads: sessionReads, name: 'monotonic-reads' }),
    ackedWritesSurvive({ project: kvOf, writes: ['write'] }),
    convergence(),
    invariants({ name: 'frames-kept', only: ['applied-frame-kept', 'frame-replays'] }),
    // Every check above holds on a system that acknowledges nothing (a mutant refusing every
    // frame survived them all): once the faults heal, each kind of operation must succeed again.
    progressAfterHeal({ kinds: ['write', READ_F.strong, READ_F.ryw, READ_F.eventual] }),
  ];
}
