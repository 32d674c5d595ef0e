import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { XorwowStreams } from './choices.ts';
import { TimerIndex } from './timer-index.ts';

describe('TimerIndex', () => {
  it('behaves as a Map under any mix of set, get and delete, across growth', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('set' as const), id: fc.nat(200), slot: fc.nat(1000) }),
      fc.record({ k: fc.constant('del' as const), id: fc.nat(200) }),
      fc.record({ k: fc.constant('get' as const), id: fc.nat(200) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 500 }), (ops) => {
        const t = new TimerIndex(2);
        const m = new Map<number, number>();
        for (const o of ops) {
          if (o.k === 'set') {
            t.set(o.id, o.slot);
            m.set(o.id, o.slot);
          } else if (o.k === 'del') {
            t.delete(o.id);
            m.delete(o.id);
          } else expect(t.get(o.id)).toBe(m.get(o.id) ?? -1);
          expect(t.size).toBe(m.size);
        }
        expect(new Map(t.entries())).toEqual(m);
        for (const [id, slot] of m) expect(t.get(id)).toBe(slot);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('keeps sequential ids with long-lived ones among them (the kernel pattern)', () => {
    const t = new TimerIndex(4);
    const live = new Map<number, number>();
    for (let id = 0; id < 20_000; id++) {
      t.set(id, id % 977);
      live.set(id, id % 977);
      // Most timers fire soon; every 97th lives on.
      if (id >= 3 && (id - 3) % 97 !== 0) {
        t.delete(id - 3);
        live.delete(id - 3);
      }
    }
    expect(t.size).toBe(live.size);
    for (const [id, slot] of live) expect(t.get(id)).toBe(slot);
  });
});

describe('XorwowStreams', () => {
  it('draws exactly what seedrandom.xorwow draws, stream by stream', () => {
    // Forty-odd streams, so the state array grows past its first size.
    const seeds = ['1', '42', '4294967295', 'node-a', '', ...Array.from({ length: 40 }, (_, i) => String(i * 7919))];
    const s = new XorwowStreams();
    const ks = seeds.map((x) => s.add(x));
    const refs = seeds.map((x) => seedrandom.xorwow(x));
    for (let i = 0; i < 5000; i++) {
      const j = i % seeds.length;
      expect(s.next(ks[j] as number)).toBe((refs[j] as () => number)());
    }
  });
});
