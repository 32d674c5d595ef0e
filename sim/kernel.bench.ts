// Kernel benchmarks, as ratios to baselines run in the same process:
//   npx vitest bench --run sim/kernel.bench.ts
// 1. events/s of the kernel with no-op processes vs a plain binary-heap loop (goal >= 0.5), in
//    four configurations (see CONFIGS);
// 2. simulated seconds per wall second of a 5-server, 50-client scenario with faults (goal >= 2000x),
//    on kv-soak (clients at human pace: about 90 events per simulated second) and on kv-nemesis
//    (clients every 20-200 ms: about 1,000 events per simulated second). Simulated speed is
//    events/s divided by event density, so the two bracket what a design's own load will see.
import { afterAll, bench, describe } from 'vitest';
import kvNemesis from '../scenarios/kv-nemesis.ts';
import kvSoak from '../scenarios/kv-soak.ts';
import { RandomChoices } from './choices.ts';
import { Kernel } from './kernel.ts';
import type { NodeSpec } from './process.ts';
import { runScenario } from './run.ts';

const EVENTS = 1_000_000;
const PENDING = 1_000;

/**
 * The event-loop configurations measured. Each keeps PENDING timers pending; they differ in
 * how many processes hold them (a cache miss per process touched) and in the delay unit:
 * delays of 1-1000 us put about two events on every instant, so half the pops are
 * same-instant ties that cost a 'sched.tie' choice; 1-1000 ms delays make ties rare, as
 * real latencies and timeouts do. The baseline of each draws the same delays.
 */
const CONFIGS = [
  { name: '1000 processes, delays 1-1000 us (dense ties)', procs: 1000, unit: 1 },
  { name: '1000 processes, delays 1-1000 ms', procs: 1000, unit: 1000 },
  { name: '50 processes x 20 timers, delays 1-1000 us (dense ties)', procs: 50, unit: 1 },
  { name: '50 processes x 20 timers, delays 1-1000 ms', procs: 50, unit: 1000 },
] as const;

/** The baseline TOOLCHAIN.md measured: pop one, push one, objects in an array, plus a seeded draw. */
function plainHeapLoop(unit: number): number {
  interface E {
    t: number;
    s: number;
  }
  const h: E[] = [];
  let seq = 0;
  const rnd = new RandomChoices(1);
  const less = (a: E, b: E) => a.t < b.t || (a.t === b.t && a.s < b.s);
  const push = (e: E) => {
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, h[p] as E)) break;
      h[i] = h[p] as E;
      i = p;
    }
    h[i] = e;
  };
  const pop = (): E => {
    const top = h[0] as E;
    const last = h.pop() as E;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && less(h[c + 1] as E, h[c] as E)) c++;
        if (!less(h[c] as E, last)) break;
        h[i] = h[c] as E;
        i = c;
      }
      h[i] = last;
    }
    return top;
  };
  for (let i = 0; i < PENDING; i++) push({ t: i, s: seq++ });
  let x = 0;
  for (let i = 0; i < EVENTS; i++) {
    const e = pop();
    x += e.t;
    push({ t: e.t + (1 + rnd.int(1000, 'net.x')) * unit, s: seq++ });
  }
  return x;
}

/** The kernel with PENDING timers spread over `procs` no-op processes, each re-armed with a drawn delay. */
function kernelNoOp(procs: number, unit: number): number {
  const each = PENDING / procs;
  const nodes: NodeSpec[] = Array.from({ length: procs }, (_, i) => ({
    id: `p${i}`,
    role: 'server',
    create: (ctx) => {
      const arm = () => void ctx.setTimer((1 + ctx.choices.int(1000, 'w.d')) * unit, 0);
      return {
        onStart: () => {
          for (let j = 0; j < each; j++) arm();
        },
        onTimer: arm,
        onMessage() {},
      };
    },
  }));
  const k = new Kernel({ nodes, network: { default: { latency: { kind: 'fixed', us: 1 } } }, choices: new RandomChoices(1) });
  k.start();
  k.runUntil(Infinity, EVENTS);
  return k.steps;
}

const wall: Record<string, number[]> = {};
const timed = (name: string, f: () => unknown) => () => {
  const t0 = performance.now();
  f();
  (wall[name] ??= []).push(performance.now() - t0);
};

for (const c of CONFIGS) {
  describe(`event loop, ${EVENTS} events, ${PENDING} pending: ${c.name}`, () => {
    bench('plain binary heap loop (baseline)', timed(`heap ${c.name}`, () => plainHeapLoop(c.unit)), { iterations: 5, warmupIterations: 1 });
    bench('kernel, no-op processes re-arming timers', timed(`kernel ${c.name}`, () => kernelNoOp(c.procs, c.unit)), {
      iterations: 5,
      warmupIterations: 1,
    });
  });
}

describe('kv-nemesis: 5 servers, 50 clients, 32 s simulated with faults', () => {
  bench('run + check', timed('nemesis', () => runScenario(kvNemesis, { seed: 1 })), { iterations: 5, warmupIterations: 1 });
  bench('run only (no checks)', timed('nemesisRun', () => runScenario(kvNemesis, { seed: 1, onlyChecks: [] })), {
    iterations: 5,
    warmupIterations: 1,
  });
});

describe('kv-soak: 5 servers, 50 clients at human pace, 605 s simulated with faults', () => {
  bench('run + check', timed('soak', () => runScenario(kvSoak, { seed: 1 })), { iterations: 5, warmupIterations: 1 });
  bench('run only (no checks)', timed('soakRun', () => runScenario(kvSoak, { seed: 1, onlyChecks: [] })), {
    iterations: 5,
    warmupIterations: 1,
  });
});

afterAll(() => {
  const median = (xs: number[] = []) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const sim = (kvNemesis.duration + kvNemesis.settle) / 1e6;
  const soakSim = (kvSoak.duration + kvSoak.settle) / 1e6;
  console.log(
    [
      ...CONFIGS.map((c) => {
        const heap = median(wall[`heap ${c.name}`]);
        const kern = median(wall[`kernel ${c.name}`]);
        const rate = (ms: number) => ((EVENTS / ms) * 1000) / 1e6;
        return `kernel no-op, ${c.name}: ${rate(kern).toFixed(2)} M events/s vs plain heap loop ${rate(heap).toFixed(2)}, ratio ${(heap / kern).toFixed(2)} (goal >= 0.5)`;
      }),
      `kv-nemesis:      ${(sim / (median(wall['nemesis']) / 1000)).toFixed(0)}x real time with checking, ` +
        `${(sim / (median(wall['nemesisRun']) / 1000)).toFixed(0)}x run only (goal >= 2000x)`,
      `kv-soak:         ${(soakSim / (median(wall['soak']) / 1000)).toFixed(0)}x real time with checking, ` +
        `${(soakSim / (median(wall['soakRun']) / 1000)).toFixed(0)}x run only (goal >= 2000x)`,
    ].join('\n'),
  );
});
