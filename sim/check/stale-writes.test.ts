import { describe, expect, it } from 'vitest';
import { staleWrites } from './stale-writes.ts';
import type { Probe } from './types.ts';

const w = (time: number, key: string, writer: string): Probe => ({ name: 'store-write', time, node: 'store', ok: true, detail: { key, writer } });
const check = (probes: Probe[]) => staleWrites().check({ history: [], finalStates: new Map(), probes, budget: { steps: 1 } });

describe('single-writer', () => {
  it('accepts one tenure after another, per key', () => {
    expect(check([w(1, 'a', 'x#1'), w(2, 'a', 'y#1'), w(3, 'b', 'x#1'), w(4, 'a', 'x#2')]).verdict).toBe('ok');
  });
  it('reports a writer that wrote again after its successor, with the pair', () => {
    const r = check([w(1, 'a', 'x#1'), w(2, 'a', 'y#1'), w(3, 'a', 'x#1')]);
    expect(r.verdict).toBe('violation');
    expect(r.evidence).toMatchObject({ overlaps: [{ key: 'a', stale: 'x#1', superseded: 'y#1', staleWriteAt: 3 }] });
  });
});
