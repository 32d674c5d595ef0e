import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Probe } from './types.ts';
import { checkerByName } from './registry.ts';
import { overlaps, singleWriter, type StoreAccess, storeAccesses, tenures } from './single-writer.ts';

const probe = (time: number, key: string, writer: string, op: 'begin' | 'write'): Probe => ({
  name: 'store-access',
  time,
  node: 'store',
  ok: true,
  detail: { key, writer, op },
});
const run = (probes: Probe[]) => singleWriter().check({ history: [], finalStates: new Map(), probes, budget: { steps: 1 } });

/**
 * The oracle, written from the other side: a write by X at position p is a violation when some
 * other writer Y touched (began or wrote) that key strictly between X's tenure start (X's latest begin before p,
 * or X's first write if it never began) and p.
 */
function bruteForce(acc: readonly StoreAccess[]): Set<string> {
  const bad = new Set<string>();
  for (const w of acc) {
    if (w.op !== 'write') continue;
    const mine = acc.filter((a) => a.key === w.key && a.writer === w.writer && a.seq < w.seq);
    const begins = mine.filter((a) => a.op === 'begin');
    const start = begins.length > 0 ? (begins[begins.length - 1] as StoreAccess).seq : Math.min(w.seq, ...mine.map((a) => a.seq));
    for (const o of acc) {
      // Any access by another writer strictly inside X's tenure so far: a begin or a write, both mean two instances.
      if (o.key === w.key && o.writer !== w.writer && o.seq > start && o.seq < w.seq) bad.add(w.key);
    }
  }
  return bad;
}

describe('single-writer', () => {
  it('passes ownership handed over in turn, and catches the hidden problem with both tenures as evidence', () => {
    const handover = [probe(1, 'd', 'A', 'begin'), probe(2, 'd', 'A', 'write'), probe(3, 'd', 'B', 'begin'), probe(4, 'd', 'B', 'write'), probe(5, 'd', 'A', 'begin'), probe(6, 'd', 'A', 'write')];
    expect(run(handover).verdict).toBe('ok');
    const split = [probe(1, 'd', 'A', 'begin'), probe(3, 'd', 'B', 'begin'), probe(4, 'd', 'B', 'write'), probe(5, 'd', 'A', 'write'), probe(6, 'e', 'C', 'write')];
    const r = run(split);
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('1 of 2 keys');
    expect(r.evidence).toMatchObject({ overlaps: [{ key: 'd', first: { writer: 'A', begin: 1, end: 5 }, second: { writer: 'B', begin: 3, end: 4 } }] });
  });

  it('is registered by name', () => {
    expect(checkerByName('single-writer').name).toBe('single-writer');
  });

  it('ignores other probes and malformed details', () => {
    const ps: Probe[] = [{ name: 'other', time: 1, node: 's', ok: true, detail: { key: 'd', writer: 'A', op: 'begin' } }, { ...probe(2, 'd', 'B', 'write'), detail: 'x' }];
    expect(storeAccesses(ps)).toEqual([]);
    expect(run(ps).verdict).toBe('ok');
  });

  it('agrees with a brute-force oracle on small random store orders', () => {
    const accessArb = fc.record({ key: fc.constantFrom('a', 'b'), writer: fc.constantFrom('A', 'B', 'C'), op: fc.constantFrom<'begin' | 'write'>('begin', 'write', 'write') });
    fc.assert(
      fc.property(fc.array(accessArb, { maxLength: 9 }), (xs) => {
        const acc: StoreAccess[] = xs.map((x, i) => ({ ...x, time: i * 10, seq: i }));
        const got = new Set(overlaps(tenures(acc)).map((o) => o.key));
        expect([...got].sort()).toEqual([...bruteForce(acc)].sort());
      }),
      { numRuns: 3000, seed: 13 },
    );
  });
});

describe('single-writer over a store that probes only accepted writes (the lock designs)', () => {
  const w = (time: number, key: string, writer: string): Probe => ({ name: 'store-write', time, node: 'store', ok: true, detail: { key, writer } });
  const check = (probes: Probe[]) => singleWriter({ probe: 'store-write', writesOnly: true }).check({ history: [], finalStates: new Map(), probes, budget: { steps: 1 } });

  it('accepts one tenure after another, per key', () => {
    expect(check([w(1, 'a', 'x#1'), w(2, 'a', 'y#1'), w(3, 'b', 'x#1'), w(4, 'a', 'x#2')]).verdict).toBe('ok');
  });

  it('reports a writer that wrote again after its successor, with the pair', () => {
    const r = check([w(1, 'a', 'x#1'), w(2, 'a', 'y#1'), w(3, 'a', 'x#1')]);
    expect(r.verdict).toBe('violation');
    expect(r.evidence).toMatchObject({ overlaps: [{ key: 'a', first: { writer: 'x#1', begin: 1, end: 3 }, second: { writer: 'y#1', begin: 2 } }] });
  });

  it('agrees with the brute-force oracle on random write-only orders', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.constantFrom('a', 'b'), writer: fc.constantFrom('x', 'y', 'z') }), { maxLength: 12 }), (ws) => {
        const probes = ws.map((x, i) => w(i, x.key, x.writer));
        const acc = storeAccesses(probes, 'store-write', true);
        const found = new Set(overlaps(tenures(acc)).map((o) => o.key));
        expect(found).toEqual(bruteForce(acc));
        // Without writesOnly these probes carry no op and are not accesses at all.
        expect(storeAccesses(probes, 'store-write')).toEqual([]);
      }),
      { numRuns: 2000, seed: 29 },
    );
  });
});
