import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { validateWorkload, type WorkloadSpec } from '../../sim/workload.ts';
import { doClient } from './client.ts';
import { lockService, type ServiceOptions } from './service.ts';
import { serviceGuard } from './service-guard.ts';
import { doStore, type StoreOptions } from './store.ts';
import { doWorker, type WorkerOptions } from './worker.ts';

export interface DoFleetParams {
  readonly workers: number;
  readonly clients: number;
  /** DOs are the workload's keys, named do0..do{keys-1}. */
  readonly workload: WorkloadSpec;
  readonly route: 'random' | 'home';
  readonly ttlMs: number;
  readonly computeTime: Micros;
  readonly idleRelease: Micros;
  readonly clientTimeout: Micros;
  readonly clientRetries: number;
  readonly rpcTimeout: Micros;
}

type WorkerSide = Pick<WorkerOptions, 'fencing' | 'leaseFraction'>;
interface Variant {
  readonly service: ServiceOptions;
  readonly worker: WorkerSide;
  readonly store: StoreOptions;
}

const asWritten: Variant = {
  service: { tokens: false, persist: false, syncBeforeReply: false, expire: true, releaseByToken: false },
  worker: { fencing: false, leaseFraction: null },
  store: { checkFence: false, checkBase: false },
};
const corrected: Variant = {
  service: { tokens: true, persist: true, syncBeforeReply: true, expire: true, releaseByToken: true },
  worker: { fencing: true, leaseFraction: 0.8 },
  store: { checkFence: true, checkBase: true },
};

/**
 * as-written: the interface as printed (no token; a holder trusts its lock until a refresh is
 * refused; the lock table in the service's memory). corrected: fencing tokens checked by the
 * store on every load and write, a holder trusts its lock for 0.8 TTL of its own clock from
 * when it asked, the service syncs its table and token counter before answering.
 */
const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': asWritten,
  corrected,
  'bug:no-fence-check': { ...corrected, store: { checkFence: false, checkBase: false } },
  'bug:release-by-owner': { ...corrected, service: { ...corrected.service, releaseByToken: false } },
  'bug:no-sync': { ...corrected, service: { ...corrected.service, syncBeforeReply: false } },
  'bug:no-expiry': { ...corrected, service: { ...corrected.service, expire: false } },
};

/** The worker index a DO's requests go to first under `route: 'home'` (do<n> -> n mod workers). */
export const homeOf = (workers: number) => (doId: string) => Number(doId.slice(2)) % workers;

export function fleetNodes(
  p: DoFleetParams,
  worker: (ids: { store: string }) => NodeSpec['create'],
  extra: readonly NodeSpec[],
  store: StoreOptions,
  home: (doId: string) => number = homeOf(p.workers),
): NodeSpec[] {
  validateWorkload(p.workload);
  const workers = Array.from({ length: p.workers }, (_, i) => `w${i}`);
  const nodes: NodeSpec[] = [...extra, { id: 'store', role: 'store', create: doStore(store) }];
  for (const id of workers) nodes.push({ id, role: 'server', create: worker({ store: 'store' }) });
  for (let i = 0; i < p.clients; i++) {
    nodes.push({
      id: `c${i}`,
      role: 'client',
      create: doClient({ index: i, workers, workload: p.workload, timeout: p.clientTimeout, retries: p.clientRetries, route: p.route, home }),
    });
  }
  return nodes;
}

export const workerDefaults = (p: DoFleetParams) => ({
  ttlMs: p.ttlMs,
  computeTime: p.computeTime,
  idleRelease: p.idleRelease,
  rpcTimeout: p.rpcTimeout,
  breaker: { threshold: 3, cooldown: 200_000 },
  acquireRetry: { delay: 20_000, tries: 5 },
});

export const lockServiceModel: ModelDef<DoFleetParams> = {
  name: 'lock-service',
  doc: 'seed 001 option A: distributed lock service (acquire/release/refresh/isAvailable, TTL, heartbeat) guarding stateless DOs',
  variants: Object.keys(VARIANTS),
  build(variant, p) {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`lock-service has no variant '${variant}'`);
    const service: NodeSpec = { id: 'locks', role: 'lock-service', create: lockService(v.service) };
    return fleetNodes(
      p,
      ({ store }) =>
        doWorker({
          ...workerDefaults(p),
          ...v.worker,
          store,
          refresh: true,
          makeGuard: (ctx, rpc) => serviceGuard(rpc, 'locks', ctx.id, () => ctx.now(), p.rpcTimeout),
        }),
      [service],
      v.store,
    );
  },
};
