import type { KvAuthorityParams } from '../models/kv-authority/index.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { MS } from '../sim/value.ts';

/** The kv-authority defaults the scenarios vary from: a LAN with sub-millisecond jitter. */
export const kvParams = (over: Partial<KvAuthorityParams> = {}): KvAuthorityParams => ({
  servers: 1,
  clients: 5,
  workload: { mix: { read: 2, write: 1, cas: 1 }, keys: 3, think: { min: 5 * MS, max: 50 * MS } },
  timeout: 100 * MS,
  retries: 2,
  ...over,
});

export const lan: NetworkSpec = { default: { latency: { kind: 'lognormal', median: 1 * MS, sigma: 0.5, min: 200 } } };
