import type { KvAuthorityParams } from '../models/kv-authority/index.ts';
import type { NemesisSpec } from '../sim/faults.ts';
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

/** A long-tailed WAN: most messages in half a millisecond, a few up to 80 ms. */
export const longTail: NetworkSpec = { default: { latency: { kind: 'pareto', min: 500, alpha: 2.5, max: 80 * MS } } };

/** Every fault kind the nemesis has, at the rates kv-nemesis and kv-soak draw them. */
export const allFaultRates: NemesisSpec['rates'] = { partition: 0.3, crash: 0.3, pause: 0.2, skew: 0.1, drift: 0.1, clog: 0.2, degrade: 0.2 };
