import { describe, expect, it } from 'vitest';
import { RandomChoices } from '../../sim/choices.ts';
import { Kernel } from '../../sim/kernel.ts';
import type { NodeSpec } from '../../sim/process.ts';
import { MS, SECOND } from '../../sim/value.ts';
import { hashBalancer } from './balancer.ts';
import { hashWorker } from './worker.ts';

/**
 * Gossip through the simulated network: three workers heartbeat only to their home balancer
 * (w0, w2 -> lb0; w1 -> lb1) over lossy links, so each balancer knows the other's workers only
 * by gossip. Both must see a crash and the recovery; the balancers' "membership" logs say when.
 */
function run(seed: number) {
  const balancers = ['lb0', 'lb1'];
  const workers = ['w0', 'w1', 'w2'];
  const opts = { seeds: workers, vnodes: 8, failAfter: 300 * MS, gossipEvery: 100 * MS };
  const nodes: NodeSpec[] = [
    { id: 'store', role: 'store', create: () => ({ onMessage() {} }) },
    // Balancers log a membership change when they route: a client asks each every 20 ms.
    {
      id: 'c0',
      role: 'client',
      create: (ctx) => {
        let n = 0;
        const tick = () => {
          for (const b of balancers) ctx.send(b, { type: 'req', req: ++n, f: 'read', key: `k${n % 7}` });
          ctx.setTimer(20 * MS, 'tick');
        };
        return { onStart: tick, onTimer: tick, onMessage() {} };
      },
    },
    ...balancers.map((id) => ({ id, role: 'balancer', create: hashBalancer(opts) })),
    ...workers.map((id, i) => ({
      id,
      role: 'worker',
      create: hashWorker({ store: 'store', heartbeatTo: [balancers[i % 2] as string], heartbeatEvery: 50 * MS, storeTimeout: 100 * MS, readCheck: true, joinAt: 0, drain: 0 }),
    })),
  ];
  const views: { t: number; node: string; up: string[] }[] = [];
  const traceSink = {
    write(line: string) {
      const e = JSON.parse(line) as { t: number; k?: string; node?: string; message?: string; detail?: { up?: string[] } };
      if (e.k === 'log' && e.message === 'membership' && e.node && e.detail?.up) views.push({ t: e.t, node: e.node, up: e.detail.up });
    },
  };
  const k = new Kernel({ nodes, network: { default: { latency: { kind: 'lognormal', median: 1 * MS, sigma: 0.6, min: 200 }, loss: 0.2 } }, choices: new RandomChoices(seed), traceSink });
  k.start();
  k.at(1 * SECOND, () => k.crash('w0'));
  k.at(2 * SECOND, () => k.restart('w0'));
  k.runUntil(3 * SECOND);
  return views;
}

const viewAt = (views: ReturnType<typeof run>, node: string, t: number) => views.filter((v) => v.node === node && v.t <= t).pop()?.up;

describe('balancer membership through gossip', () => {
  for (const seed of [1, 2, 3]) {
    it(`both balancers see w0 fail and recover, though only lb0 hears it directly (seed ${seed})`, () => {
      const views = run(seed);
      for (const b of ['lb0', 'lb1']) {
        expect(viewAt(views, b, 900 * MS)).toEqual(['w0', 'w1', 'w2']);
        expect(viewAt(views, b, 1900 * MS)).toEqual(['w1', 'w2']);
        expect(viewAt(views, b, 3 * SECOND)).toEqual(['w0', 'w1', 'w2']);
      }
      // lb1 learns of the crash no earlier than lb0, whose heartbeats stopped: it hears by gossip.
      const down = (b: string) => views.find((v) => v.node === b && v.t > 1 * SECOND && !v.up.includes('w0'))?.t ?? Infinity;
      expect(down('lb1')).toBeGreaterThanOrEqual(down('lb0') - 50 * MS);
    });
  }
});
