import type { HashRoutingParams } from '../models/hash-routing/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { singleWriter } from '../sim/check/single-writer.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { MS } from '../sim/value.ts';

/**
 * Defaults the routing scenarios vary from: 4 workers, 2 balancers, 12 clients over 24 DOs.
 * Heartbeats every 50 ms and suspicion after 300 ms of silence, gossip every 100 ms.
 */
export const routingParams = (over: Partial<HashRoutingParams> = {}): HashRoutingParams => ({
  workers: 4,
  balancers: 2,
  clients: 12,
  workload: { mix: { incr: 1, read: 1 }, keys: 24, think: { min: 10 * MS, max: 60 * MS } },
  vnodes: 64,
  heartbeatEvery: 50 * MS,
  heartbeatTo: 'all',
  gossipEvery: 100 * MS,
  failAfter: 300 * MS,
  clientTimeout: 200 * MS,
  clientRetries: 2,
  storeTimeout: 100 * MS,
  drain: 500 * MS,
  ...over,
});

/**
 * An edge network: client -> balancer and balancer -> worker in a PoP (lognormal, median 1 ms),
 * workers to the store a little further (median 2 ms, the "Write to leader 2-10 ms" range of the
 * document's option B, the store it stands on).
 */
export const edge: NetworkSpec = { default: { latency: { kind: 'lognormal', median: 1 * MS, sigma: 0.6, min: 200 } } };

export const workersOf = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`);

/** single-writer (store's order) and per-DO linearizability of the counter. */
export const routingCheckers = () => [singleWriter(), linearizable({ model: 'counter' })];
