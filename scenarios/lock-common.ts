import type { DoFleetParams } from '../models/lock-service/index.ts';
import { keyFiltered } from '../sim/check/key-filter.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { servedAfterCrash } from '../sim/check/served-after-crash.ts';
import { singleWriter } from '../sim/check/single-writer.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { unseenInfoInsertsDropped } from './lock-unseen-info.ts';
import { MS } from '../sim/value.ts';

/**
 * Defaults shared by the lock-service, hybrid-guard scenarios: 3 workers, 6 clients, 4 DOs,
 * a lock TTL of 300 ms (the document gives no figure: "short TTL + heartbeat"), 10 ms of work
 * per insert (the window a GC pause lands in).
 */
export const fleetParams = (over: Partial<DoFleetParams> = {}): DoFleetParams => ({
  workers: 3,
  clients: 6,
  workload: { mix: { insert: 1, read: 1 }, keys: 4, think: { min: 5 * MS, max: 40 * MS } },
  route: 'home',
  ttlMs: 300,
  computeTime: 10 * MS,
  idleRelease: 150 * MS,
  clientTimeout: 250 * MS,
  clientRetries: 3,
  rpcTimeout: 60 * MS,
  ...over,
});

/**
 * The edge profile: clients reach workers in about 1 ms; the lock backend is one region away.
 * Option A's lock service: 2.5-10 ms one way (the document's "Lock acquire 5-20ms, single
 * RTT"); the hybrid's libSQL leader: 1-5 ms one way ("Write (to leader) 2-10ms").
 */
const backend = (role: string, min: number, max: number): NetworkSpec => ({
  default: { latency: { kind: 'lognormal', median: 1 * MS, sigma: 0.4, min: 300 } },
  links: [
    { from: '@server', to: `@${role}`, latency: { kind: 'uniform', min, max } },
    { from: `@${role}`, to: '@server', latency: { kind: 'uniform', min, max } },
  ],
});
export const edge: NetworkSpec = backend('lock-service', 2500, 10 * MS);
export const edgeLibsql: NetworkSpec = backend('lock-db', 1000, 5 * MS);

const isLock = (k: string | undefined) => k?.startsWith('lock:') === true;

/**
 * single-writer (store), linearizable (each DO's list), lock (each DO's lock as workers saw it),
 * and optionally served-after-crash. A liveness scenario may leave linearizable out: a design
 * that never frees a lock leaves hundreds of open operations, which the search cannot afford.
 */
export function lockCheckers(opts: { liveness?: { ttlMs: number; bound: number }; linearizable?: boolean } = {}): Checker[] {
  const cs: Checker[] = [singleWriter({ probe: 'store-write', writesOnly: true })];
  if (opts.linearizable !== false) cs.push(keyFiltered('linearizable', (k) => !isLock(k), unseenInfoInsertsDropped(linearizable({ model: 'list' }))));
  cs.push(keyFiltered('lock', isLock, linearizable({ model: 'lock', name: 'lock' })));
  if (opts.liveness) cs.push(servedAfterCrash({ ttl: opts.liveness.ttlMs * 1000, bound: opts.liveness.bound, keep: (k) => !isLock(k) }));
  return cs;
}
