import { describe, expect, it } from 'vitest';
import type { Probe } from '../../sim/check/types.ts';
import type { HistoryEvent } from '../../sim/history.ts';
import type { Value } from '../../sim/value.ts';
import { failoverWindows, percentile, stalenessByMode } from './metrics.ts';

const probe = (time: number, node: string, name: string, detail: Value = null): Probe => ({ name, time, node, ok: true, detail });
const ok = (time: number, f: string): HistoryEvent => ({ process: 0, type: 'ok', f, key: 'k', value: null, time });

describe('libsql metrics', () => {
  it('staleness: frames and ms behind the most recent frame written, per read mode', () => {
    const probes = [
      probe(1000, 'r0', 'frame-written', { frameNo: 1 }),
      probe(2000, 'r0', 'frame-written', { frameNo: 2 }),
      probe(5000, 'r0', 'frame-written', { frameNo: 3 }),
      probe(6000, 'r2', 'read-served', { mode: 'eventual', frameNo: 1 }), // misses 2 (written at 2 ms) and 3
      probe(6000, 'r0', 'read-served', { mode: 'strong', frameNo: 3 }),
      probe(7000, 'r1', 'read-served', { mode: 'ryw', frameNo: 5 }), // ahead of the head: 0, never negative
    ];
    const s = stalenessByMode(probes);
    expect(s.eventual).toEqual([{ frames: 2, ms: 4 }]);
    expect(s.strong).toEqual([{ frames: 0, ms: 0 }]);
    expect(s.ryw).toEqual([{ frames: 0, ms: 0 }]);
    expect(stalenessByMode(probes, (p) => p.node === 'r0').eventual).toEqual([]);
  });
  it('failover window: from a crash of the leader to the first write acknowledged after a new ack', () => {
    const r = {
      probes: [probe(0, 'r0', 'leader'), probe(2_990_000, 'r0', 'write-acked'), probe(3_200_000, 'r1', 'leader'), probe(3_210_000, 'r1', 'write-acked')],
      faults: [
        { kind: 'crash' as const, at: 3_000_000, until: 4_000_000, description: 'crash r0', node: 'r0' },
        { kind: 'crash' as const, at: 5_000_000, until: 6_000_000, description: 'crash r2', node: 'r2' }, // not the leader
      ],
      // 3.002 s: r0's answer sent before it died, still on the wire; not the end of the window.
      history: [ok(3_002_000, 'write'), ok(3_212_500, 'cas'), ok(3_300_000, 'write')],
    };
    expect(failoverWindows(r)).toEqual([{ node: 'r0', crashAt: 3_000_000, ms: 212.5 }]);
  });
  it('percentile is nearest-rank', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
  });
});
