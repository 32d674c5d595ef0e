import { FNV_BASIS, foldHash } from '../../sim/hash.ts';
import { describe, expect, it } from 'vitest';
import { HashRing, loadSpread, ringHash } from './ring.ts';

const workers = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`);
const ids = Array.from({ length: 10_000 }, (_, i) => `do-${i}`);

describe('HashRing', () => {
  it('hashes with FNV-1a + fmix32 (known values, so a change of hash is deliberate)', () => {
    // FNV-1a("a") is 0xe40c292c (the published test vector); fmix32 of it is 444641715.
    expect(foldHash(FNV_BASIS, 'a') >>> 0).toBe(0xe40c292c);
    expect(ringHash('a')).toBe(444641715);
    expect(ringHash('do-1')).toBe(1749677335);
  });

  it('virtual nodes bring max/mean DOs per worker close to 1', () => {
    const one = loadSpread(new HashRing(workers(10), 1), ids);
    const many = loadSpread(new HashRing(workers(10), 128), ids);
    // Measured (10 workers, 10,000 DOs): the figures are printed for the report.
    console.log(`load spread max/mean: 1 vnode ${one.maxOverMean.toFixed(2)}, 128 vnodes ${many.maxOverMean.toFixed(2)}`);
    expect(one.maxOverMean).toBeGreaterThan(1.5);
    expect(many.maxOverMean).toBeLessThan(1.25);
    expect(Object.values(many.perMember).reduce((a, b) => a + b, 0)).toBe(ids.length);
  });

  it('adding a worker moves DOs only onto it, about 1/(n+1) of them', () => {
    const before = new HashRing(workers(5), 64);
    const after = new HashRing(workers(6), 64);
    let moved = 0;
    for (const id of ids) {
      const a = before.getNode(id);
      const b = after.getNode(id);
      if (a !== b) {
        moved++;
        expect(b).toBe('w5');
      }
    }
    expect(moved / ids.length).toBeGreaterThan(0.1);
    expect(moved / ids.length).toBeLessThan(0.25);
  });

  it('removing a worker moves only the DOs it owned', () => {
    const before = new HashRing(workers(5), 64);
    const after = new HashRing(['w0', 'w1', 'w3', 'w4'], 64);
    for (const id of ids) {
      const a = before.getNode(id);
      if (a !== 'w2') expect(after.getNode(id)).toBe(a);
      else expect(after.getNode(id)).not.toBe('w2');
    }
  });

  it('is independent of member order and empty rings route nowhere', () => {
    const a = new HashRing(['w2', 'w0', 'w1'], 16);
    const b = new HashRing(['w0', 'w1', 'w2'], 16);
    for (const id of ids.slice(0, 500)) expect(a.getNode(id)).toBe(b.getNode(id));
    expect(new HashRing([], 16).getNode('x')).toBeUndefined();
    expect(() => new HashRing(['w0'], 0)).toThrow();
  });
});
