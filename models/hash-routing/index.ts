import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { validateWorkload, type WorkloadSpec } from '../../sim/workload.ts';
import { hashBalancer } from './balancer.ts';
import { hashClient } from './client.ts';
import { hashStore, type StoreOptions } from './store.ts';
import { hashWorker } from './worker.ts';

export interface HashRoutingParams {
  /** Workers "w0".."w{n-1}", including those that join later. */
  readonly workers: number;
  /** Balancers "lb0".."lb{n-1}"; client i enters through lb(i mod n). */
  readonly balancers: number;
  readonly clients: number;
  /** Mix of `incr` and `read` over DOs "k0".."k{keys-1}". */
  readonly workload: WorkloadSpec;
  readonly vnodes: number;
  readonly heartbeatEvery: Micros;
  /** 'all': every worker heartbeats to every balancer; 'home': only to lb(i mod balancers). */
  readonly heartbeatTo: 'all' | 'home';
  readonly gossipEvery: Micros;
  readonly failAfter: Micros;
  readonly clientTimeout: Micros;
  readonly clientRetries: number;
  readonly storeTimeout: Micros;
  /** Membership schedule: worker -> local time it joins (absent: a founding member). */
  readonly joins?: Readonly<Record<string, Micros>>;
  /** worker -> local time it leaves gracefully. */
  readonly leaves?: Readonly<Record<string, Micros>>;
  readonly drain: Micros;
}

interface Variant extends StoreOptions {
  readonly readCheck: boolean;
}

/**
 * as-written: the document's option C taken literally: route by the local view, serve whatever
 * arrives, the store is plain shared state. corrected: ownership epochs from the store, a fence
 * on every put and every read. Each bug is one departure from corrected.
 */
const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': { fenceCheck: false, bumpEpoch: false, readCheck: false },
  corrected: { fenceCheck: true, bumpEpoch: true, readCheck: true },
  'bug:no-fence-check': { fenceCheck: false, bumpEpoch: true, readCheck: true },
  'bug:epoch-not-bumped': { fenceCheck: true, bumpEpoch: false, readCheck: true },
  'bug:unfenced-read': { fenceCheck: true, bumpEpoch: true, readCheck: false },
};

export const STORE = 'store';

export const hashRouting: ModelDef<HashRoutingParams> = {
  name: 'hash-routing',
  doc: 'seed 001 option C: consistent-hash routing of DOs over gossiped per-balancer membership views',
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`hash-routing has no variant '${variant}'`);
    validateWorkload(p.workload);
    const workers = Array.from({ length: p.workers }, (_, i) => `w${i}`);
    const balancers = Array.from({ length: p.balancers }, (_, i) => `lb${i}`);
    const seeds = workers.filter((w) => p.joins?.[w] === undefined);
    const nodes: NodeSpec[] = [{ id: STORE, role: 'store', create: hashStore(v) }];
    for (const id of balancers) {
      nodes.push({ id, role: 'balancer', create: hashBalancer({ seeds, vnodes: p.vnodes, failAfter: p.failAfter, gossipEvery: p.gossipEvery }) });
    }
    workers.forEach((id, i) => {
      const leaveAt = p.leaves?.[id];
      nodes.push({
        id,
        role: 'worker',
        create: hashWorker({
          store: STORE,
          heartbeatTo: p.heartbeatTo === 'all' ? balancers : [balancers[i % balancers.length] as string],
          heartbeatEvery: p.heartbeatEvery,
          storeTimeout: p.storeTimeout,
          readCheck: v.readCheck,
          joinAt: p.joins?.[id] ?? 0,
          ...(leaveAt !== undefined ? { leaveAt } : {}),
          drain: p.drain,
        }),
      });
    });
    for (let i = 0; i < p.clients; i++) {
      nodes.push({ id: `c${i}`, role: 'client', create: hashClient({ balancer: balancers[i % balancers.length] as string, workload: p.workload, timeout: p.clientTimeout, retries: p.clientRetries }) });
    }
    return nodes;
  },
};
