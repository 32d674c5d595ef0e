import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Micros } from '../../sim/value.ts';
import { MembershipView } from './membership.ts';
import { type ClientRes, type Forward, isClientReq, isGossip, isHeartbeat } from './protocol.ts';
import { HashRing } from './ring.ts';

export interface BalancerOptions {
  /** Founding workers every balancer knows at start. */
  readonly seeds: readonly string[];
  readonly vnodes: number;
  readonly failAfter: Micros;
  readonly gossipEvery: Micros;
}

/**
 * A load balancer: the document's `ConsistentHashRouter`. It routes each request by its own
 * membership view alone (`route(doId) = ring.getNode(doId)` over the workers it believes up),
 * learns liveness from worker heartbeats and pushes its view to the other balancers every
 * `gossipEvery`. Gossip and heartbeats travel the simulated network: delayed, lossy, cut by
 * partitions. A restart starts again from the seed list.
 */
export function hashBalancer(opts: BalancerOptions) {
  return (ctx: ProcessContext): Process => {
    const view = new MembershipView(opts.failAfter, opts.seeds, ctx.now());
    let ringKey = '';
    let ring = new HashRing([], opts.vnodes);
    const peers = () => ctx.nodes('balancer').filter((b) => b !== ctx.id);

    const currentRing = (): HashRing => {
      const up = view.up(ctx.now());
      const k = up.join(',');
      if (k !== ringKey) {
        ctx.log('membership', { up });
        ringKey = k;
        ring = new HashRing(up, opts.vnodes);
      }
      return ring;
    };

    return {
      onStart() {
        ctx.setTimer(opts.gossipEvery, 'gossip');
      },
      onTimer(tag) {
        if (tag !== 'gossip') return;
        const rows = view.digest();
        for (const p of peers()) ctx.send(p, { type: 'gossip', rows });
        ctx.setTimer(opts.gossipEvery, 'gossip');
      },
      onMessage(from, msg) {
        if (isHeartbeat(msg)) {
          view.hear(msg.worker, msg.version, msg.left, ctx.now());
          return;
        }
        if (isGossip(msg)) {
          for (const [w, v, left] of msg.rows) view.hear(w, v, left, ctx.now());
          return;
        }
        if (!isClientReq(msg)) return;
        const target = currentRing().getNode(msg.key);
        if (target === undefined) {
          const res: ClientRes = { type: 'res', req: msg.req, ok: false, value: null, reason: 'no-route' };
          return ctx.send(from, res);
        }
        const fwd: Forward = { type: 'fwd', client: from, req: msg.req, f: msg.f, key: msg.key };
        ctx.send(target, fwd);
      },
      fingerprint: () => JSON.stringify(view.digest()),
    };
  };
}
