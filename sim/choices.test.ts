import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomChoices, ReplayChoices } from './choices.ts';
import { EventQueue } from './event-queue.ts';
import { sampleLatency } from './latency.ts';
import { cutsOf } from './partition.ts';

describe('choices', () => {
  it('the same seed gives the same draws; streams are independent of each other', () => {
    const a = new RandomChoices(7);
    const b = new RandomChoices(7);
    const xs = Array.from({ length: 50 }, () => a.int(1000, 'net.delay'));
    b.int(5, 'workload.key'); // a draw on another stream does not shift net.*
    const ys = Array.from({ length: 50 }, () => b.int(1000, 'net.delay'));
    expect(ys).toEqual(xs);
  });

  it('nearby seeds do not collide', () => {
    const firsts = new Set<string>();
    for (let s = 0; s < 2000; s++) {
      const c = new RandomChoices(s);
      firsts.add(Array.from({ length: 4 }, () => c.int(1 << 30, 'x.y')).join(','));
    }
    expect(firsts.size).toBe(2000);
  });

  it('replay reduces large values modulo n and reads zeros past the end', () => {
    const r = new ReplayChoices([7, 12, 3]);
    expect(r.int(5, 'a')).toBe(2);
    expect(r.bool(0.5, 'b')).toBe(false); // 12 % 2
    expect(r.pick(['x', 'y', 'z', 'w'], 'c')).toBe('w');
    expect(r.int(9, 'd')).toBe(0);
    expect(r.bool(0.9, 'e')).toBe(false);
  });

  it('certain and impossible events draw nothing', () => {
    const r = new RandomChoices(1, { record: true });
    expect(r.bool(0, 'x')).toBe(false);
    expect(r.bool(1, 'x')).toBe(true);
    expect(r.int(1, 'x')).toBe(0);
    expect(r.recorded).toEqual([]);
  });

  it('recorded draws replay to the same values', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 50 }), (seed, ns) => {
        const a = new RandomChoices(seed, { record: true });
        const xs = ns.map((n) => a.int(n, 's.x'));
        const b = new ReplayChoices(a.recorded ?? []);
        expect(ns.map((n) => b.int(n, 's.x'))).toEqual(xs);
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('value 0 is the simplest: the shortest delay', () => {
    const zero = new ReplayChoices([]);
    expect(sampleLatency({ kind: 'uniform', min: 100, max: 900 }, zero, 'net.delay')).toBe(100);
    expect(sampleLatency({ kind: 'pareto', min: 500, alpha: 2, max: 90_000 }, zero, 'net.delay')).toBe(500);
    const lo = sampleLatency({ kind: 'lognormal', median: 1000, sigma: 1, min: 10 }, zero, 'net.delay');
    const hi = sampleLatency({ kind: 'lognormal', median: 1000, sigma: 1, min: 10 }, new ReplayChoices([65535]), 'net.delay');
    expect(lo).toBeLessThan(100);
    expect(hi).toBeGreaterThan(10_000);
  });
});

describe('event queue', () => {
  /** Pops everything, releasing each slot, and returns the names given at scheduling. */
  const drain = (q: EventQueue, names: Map<number, number>): number[] => {
    const out: number[] = [];
    for (let s = q.pop(); s >= 0; s = q.pop()) {
      out.push(names.get(s) as number);
      q.release(s);
    }
    return out;
  };

  it('pops in time order; with all-zero choices same-instant events are FIFO', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue(new ReplayChoices([]), 4);
        const names = new Map<number, number>();
        times.forEach((t, i) => names.set(q.schedule(t), i));
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
        expect(drain(q, names)).toEqual(expected.map((x) => x.i));
      }),
      { numRuns: 300, seed: 2 },
    );
  });

  it('recycles slots: interleaved pushes and pops match a sorted reference, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 50 })), { maxLength: 400 }), (script) => {
        const q = new EventQueue(new ReplayChoices([]), 2);
        const names = new Map<number, number>();
        const ref: { t: number; i: number }[] = [];
        let now = 0;
        script.forEach(([push, dt], i) => {
          if (push || ref.length === 0) {
            names.set(q.schedule(now + dt), i);
            ref.push({ t: now + dt, i });
            ref.sort((a, b) => a.t - b.t || a.i - b.i);
          } else {
            const s = q.pop();
            const want = ref.shift() as { t: number; i: number };
            expect(names.get(s)).toBe(want.i);
            expect(q.timeOf(s)).toBe(want.t);
            now = want.t;
            q.release(s);
          }
        });
        expect(drain(q, names)).toEqual(ref.map((x) => x.i));
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('same-instant order is a choice, and cancelled events never surface', () => {
    const q = new EventQueue(new ReplayChoices([2, 0, 0]));
    const names = new Map<number, number>();
    const slots = [5, 5, 5, 9].map((t, i) => {
      const s = q.schedule(t);
      names.set(s, i);
      return s;
    });
    q.cancel(slots[1] as number);
    // tie among {0, 2}: choice 2 % 2 = 0 picks event 0 ... then 2, then 3
    expect(drain(q, names)).toEqual([0, 2, 3]);
    const q2 = new EventQueue(new ReplayChoices([1]));
    const names2 = new Map<number, number>();
    [5, 5, 5].forEach((t, i) => names2.set(q2.schedule(t), i));
    expect(names2.get(q2.pop())).toBe(1);
  });
});

describe('partition shapes', () => {
  const all = ['a', 'b', 'c', 'd', 'e', 'client'];
  const servers = ['a', 'b', 'c', 'd', 'e'];
  const cut = (pairs: readonly (readonly [string, string])[]) => new Set(pairs.map(([x, y]) => `${x}>${y}`));

  it('isolate cuts one node off from everyone, both ways', () => {
    const c = cut(cutsOf({ shape: 'isolate', node: 'c' }, all, servers, new ReplayChoices([])));
    expect(c.size).toBe(10);
    expect(c.has('c>client') && c.has('client>c') && !c.has('a>b')).toBe(true);
  });

  it('halves split the servers and leave clients connected', () => {
    const c = cut(cutsOf({ shape: 'halves' }, all, servers, new ReplayChoices([])));
    expect(c.size).toBe(2 * 2 * 3);
    expect([...c].some((p) => p.includes('client'))).toBe(false);
  });

  it('a bridge node sees both sides; the sides do not see each other', () => {
    const c = cut(cutsOf({ shape: 'bridge' }, all, servers, new ReplayChoices([])));
    // a,b | c (bridge) | d,e
    expect(c.has('a>d') && c.has('e>b')).toBe(true);
    expect(c.has('c>a') || c.has('c>e') || c.has('a>c') || c.has('e>c')).toBe(false);
  });

  it('in a majority ring every node sees a majority, and no two see the same one', () => {
    const c = cut(cutsOf({ shape: 'majority-ring' }, all, servers, new ReplayChoices([])));
    const sees = servers.map((x) => servers.filter((y) => !c.has(`${x}>${y}`)).sort().join(''));
    for (const s of sees) expect(s.length).toBe(3);
    expect(new Set(sees).size).toBe(5);
  });
});
