// Route lookup vs a plain Map lookup, in the same process:
//   npx vitest bench --run models/hash-routing/ring.bench.ts
// The document claims "Route lookup <1ms" and "Hash calculation <0.1ms" (option C). A Map from
// DO id to worker is the fastest possible router (it needs the whole table, which a ring
// avoids); the ratio says what the ring's hash + binary search costs on top.
import { bench, describe } from 'vitest';
import { HashRing, ringHash } from './ring.ts';

const IDS = Array.from({ length: 20_000 }, (_, i) => `do-${i}`);
const ring = new HashRing(['w0', 'w1', 'w2', 'w3', 'w4'], 64);
const table = new Map(IDS.map((id) => [id, ring.getNode(id) as string]));
let sink = 0;

describe('route 20,000 DO ids (5 workers x 64 vnodes)', () => {
  bench('HashRing.getNode', () => {
    for (const id of IDS) sink += (ring.getNode(id) as string).length;
  });
  bench('Map.get (baseline)', () => {
    for (const id of IDS) sink += (table.get(id) as string).length;
  });
  bench('ringHash only', () => {
    for (const id of IDS) sink ^= ringHash(id);
  });
});
