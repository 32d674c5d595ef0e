import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Value } from '../../sim/value.ts';
import type { Flaws } from './flaws.ts';
import { compareStamps, HLC_ZERO, hlcReceive, hlcTick, type Stamp, stampOf } from './hlc.ts';
import { type LwwState, lwwMerge, lwwSet } from './lww.ts';
import { ORMAP_EMPTY, type OrMap, ormapMerge, ormapPut, ormapRemove, ormapValue } from './ormap.ts';
import { ORSET_EMPTY, type OrSet, orsetAdd, orsetElements, orsetMerge, orsetRemove } from './orset.ts';
import { checkAnyDeliveryConverges, checkJoinLaws, lawsFail, type Replicated } from './properties.test-helper.ts';
import { RGA_EMPTY, type Rga, rgaDelete, rgaInsert, rgaMerge, rgaValues } from './rga.ts';
import { compareClocks, increment, mergeClocks, type VClock } from './vclock.ts';

/** Dots and stamps need a per-replica counter; the harness passes a fresh `now` per step. */
const dot = (node: string, now: number) => `${node}:${now}`;

/**
 * LWW needs causally later writes to carry greater stamps (what the HLC gives): the harness's
 * `now` grows with every step, which models an HLC that has seen everything before it.
 */
const lww = (flaws: Flaws = {}): Replicated<LwwState, number> => ({
  lattice: { bottom: null, join: (a, b) => lwwMerge(a, b, flaws).state },
  op: fc.nat(9),
  apply: (s, v, node, now) => {
    const st = lwwSet(s, v, [now, 0, node]);
    return { state: st, delta: st };
  },
  view: (s) => s?.value ?? null,
});

const orset = (flaws: Flaws = {}): Replicated<OrSet, { add: boolean; e: string }> => ({
  lattice: { bottom: ORSET_EMPTY, join: orsetMerge },
  op: fc.record({ add: fc.boolean(), e: fc.constantFrom('a', 'b', 'c') }),
  apply: (s, o, node, now) => (o.add ? orsetAdd(s, o.e, dot(node, now)) : orsetRemove(s, o.e, flaws)),
  view: orsetElements,
});

const ormap: Replicated<OrMap, { put: boolean; k: string; v: number }> = {
  lattice: { bottom: ORMAP_EMPTY, join: ormapMerge },
  op: fc.record({ put: fc.boolean(), k: fc.constantFrom('x', 'y'), v: fc.nat(9) }),
  apply: (s, o, node, now) => (o.put ? ormapPut(s, o.k, o.v, dot(node, now), [now, 0, node]) : ormapRemove(s, o.k)),
  view: ormapValue,
};

const rga = (flaws: Flaws = {}): Replicated<Rga, { ins: boolean; at: number; v: number }> => ({
  lattice: { bottom: RGA_EMPTY, join: (a, b) => rgaMerge(a, b, flaws) },
  op: fc.record({ ins: fc.boolean(), at: fc.nat(6), v: fc.nat(99) }),
  apply: (s, o, node) => {
    if (o.ins) return rgaInsert(s, o.at, o.v, node);
    return rgaDelete(s, o.at) ?? { state: s, delta: RGA_EMPTY };
  },
  view: rgaValues,
});

/** A vector clock lattice: increments at a node, merged pointwise. */
const vclock: Replicated<VClock, null> = {
  lattice: { bottom: {}, join: mergeClocks },
  op: fc.constant(null),
  apply: (s, _o, node) => {
    const st = increment(s, node);
    return { state: st, delta: st };
  },
  view: (s) => s,
};

describe('reference CRDTs: join laws and delivery', () => {
  for (const [name, r] of [['lww register', lww()], ['or-set', orset()], ['or-map', ormap], ['rga', rga()], ['vector clock', vclock]] as const) {
    it(`${name}: merge is commutative, associative, idempotent`, () => checkJoinLaws(r as Replicated<unknown, unknown>));
    it(`${name}: any delivery order with duplicates converges`, () => checkAnyDeliveryConverges(r as Replicated<unknown, unknown>));
  }
});

describe('planted flaws break the laws the properties state', () => {
  it('a non-idempotent RGA merge is caught', () => expect(lawsFail(rga({ mergeNotIdempotent: true }))).toBe(true));
  it('a vector-clock compare that calls concurrent ordered is caught (LWW merge stops commuting)', () =>
    expect(lawsFail(lww({ concurrentAsOrdered: true }))).toBe(true));
  it('a forgotten tombstone: a remove is undone by merging a replica that still has the add', () => {
    const added = orsetAdd(ORSET_EMPTY, 'a', 'n0:1').state;
    const removed = orsetRemove(added, 'a', { forgetTombstone: true }).state;
    expect(orsetElements(removed)).toEqual([]);
    expect(orsetElements(orsetMerge(removed, added))).toEqual(['a']);
    expect(orsetElements(orsetMerge(orsetRemove(added, 'a').state, added))).toEqual([]);
  });
});

describe('semantics a user may not expect (add-wins, LWW)', () => {
  it('or-set: a concurrent add and remove keeps the add', () => {
    const base = orsetAdd(ORSET_EMPTY, 'a', 'n0:1').state;
    const r1 = orsetRemove(base, 'a').state;
    const r2 = orsetAdd(base, 'a', 'n1:2').state;
    expect(orsetElements(orsetMerge(r1, r2))).toEqual(['a']);
  });
  it('lww: of two concurrent writes one is dropped, and the merge says which', () => {
    const a = lwwSet(null, 'A', [5, 0, 'n0']);
    const b = lwwSet(null, 'B', [6, 0, 'n1']);
    const m = lwwMerge(a, b);
    expect(m.state?.value).toBe('B');
    expect(m.conflict).toEqual({ kept: 'B', dropped: 'A' });
  });
  it('rga: concurrent inserts at one index land in one order everywhere', () => {
    const x = rgaInsert(RGA_EMPTY, 0, 'x', 'n0');
    const y = rgaInsert(RGA_EMPTY, 0, 'y', 'n1');
    expect(rgaValues(rgaMerge(x.state, y.state))).toEqual(rgaValues(rgaMerge(y.state, x.state)));
  });
});

describe('vector clocks and the hybrid logical clock', () => {
  it('compare: before, after, equal, concurrent', () => {
    expect(compareClocks({ a: 1 }, { a: 2 })).toBe('before');
    expect(compareClocks({ a: 2, b: 1 }, { a: 2 })).toBe('after');
    expect(compareClocks({ a: 1 }, { a: 1, b: 0 })).toBe('equal');
    expect(compareClocks({ a: 1 }, { b: 1 })).toBe('concurrent');
    expect(compareClocks({ a: 1 }, { b: 1 }, { concurrentAsOrdered: true })).toBe('before');
  });
  it('compare agrees with the causal order of increments and merges', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { maxLength: 30 }), (steps) => {
        const cs: VClock[] = [{}, {}, {}];
        for (const [i, j] of steps) cs[i] = i === j ? increment(cs[i] as VClock, `n${i}`) : mergeClocks(cs[i] as VClock, cs[j] as VClock);
        for (const a of cs) for (const b of cs) {
          const o = compareClocks(a, b);
          const back = compareClocks(b, a);
          const mirror = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;
          expect(back).toBe(mirror[o]);
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });
  it('hlc: a stamp issued after receiving another is greater, even with a clock far behind', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1), fc.integer({ min: -5_000_000, max: 5_000_000 })), { maxLength: 30 }), (steps) => {
        const clocks = [HLC_ZERO, HLC_ZERO];
        let last: Stamp | undefined;
        let t = 1_000_000_0;
        for (const [who, skew] of steps) {
          t += 1000;
          const me = `n${who}`;
          let c = clocks[who] ?? HLC_ZERO;
          if (last) c = hlcReceive(c, last, t + skew);
          c = hlcTick(c, t + skew);
          const s = stampOf(c, me);
          if (last) expect(compareStamps(s, last)).toBe(1);
          clocks[who] = c;
          last = s;
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });
  it('values a reader sees are plain data', () => {
    const v: Value = ormapValue(ormapPut(ORMAP_EMPTY, 'k', [1, 'x'], 'n0:1', [1, 0, 'n0']).state);
    expect(v).toEqual({ k: [1, 'x'] });
  });
});
