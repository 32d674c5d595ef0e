import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSeedRange, parseShard, shardSeeds } from './seeds.ts';

describe('seed ranges and shards', () => {
  it('shards together cover the range exactly once', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(300), fc.integer({ min: 1, max: 17 }), (a, len, n) => {
        const seeds = parseSeedRange(`${a}..${a + len}`);
        const parts = Array.from({ length: n }, (_, i) => shardSeeds(seeds, { index: i + 1, count: n }));
        const union = parts.flat().sort((x, y) => x - y);
        expect(union).toEqual(seeds);
        // Balanced: shard sizes differ by at most one.
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rejects malformed ranges and shards with usage errors (exit 64)', () => {
    for (const bad of ['', 'a..b', '5..2', '-1..3', '1...3']) expect(() => parseSeedRange(bad)).toThrow(expect.objectContaining({ code: 64 }));
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1-4']) expect(() => parseShard(bad)).toThrow(expect.objectContaining({ code: 64 }));
    expect(parseSeedRange('7')).toEqual([7]);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });
});
