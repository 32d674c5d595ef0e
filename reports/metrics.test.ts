import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../sim/history.ts';
import type { FaultRecord } from '../sim/faults.ts';
import { computeMetrics, faultImpact } from './metrics.ts';
import { timeSeries } from './series.ts';

/** Process p: invoke at a, complete (type) at b. Times in ms. */
function op(p: number, a: number, b: number, type: 'ok' | 'fail' | 'info' = 'ok', f = 'read'): HistoryEvent[] {
  return [
    { process: p, type: 'invoke', f, value: null, time: a * 1000 },
    { process: p, type, f, value: 1, time: b * 1000 },
  ];
}

const history: HistoryEvent[] = [...op(0, 10, 12), ...op(1, 20, 21), ...op(0, 110, 210, 'info'), ...op(2, 120, 150, 'fail'), ...op(3, 300, 305)].sort((a, b) => a.time - b.time);
const crash: FaultRecord = { kind: 'crash', at: 100_000, until: 200_000, description: 'crash s0' };

describe('faultImpact', () => {
  const fi = faultImpact({ history, duration: 400_000, faults: [crash, { kind: 'skew', at: 50_000, until: 50_000, description: 'skew' }] });

  it('measures each fault window and leaves point faults out', () => {
    expect(fi.windows).toHaveLength(1);
    const w = fi.windows[0]!;
    expect(w.ops).toEqual({ total: 2, ok: 0, fail: 1, info: 1 });
    expect(w.fractionOk).toBe(0);
    expect(w.latency.count).toBe(1);
    expect(w.latency.p50).toBe(30);
  });

  it('compares inside against outside', () => {
    expect(fi.inside.spanUs).toBe(100_000);
    expect(fi.outside.spanUs).toBe(300_000);
    expect(fi.outside.ops.total).toBe(3);
    expect(fi.outside.fractionOk).toBe(1);
    expect(fi.outside.throughput).toBeCloseTo(10, 5);
    expect(fi.inside.throughput).toBe(0);
  });

  it('gives latency per kind and over every kind together, answered ops only', () => {
    const m = computeMetrics({ history: [...history, ...op(4, 320, 360, 'ok', 'write')].sort((a, b) => a.time - b.time), duration: 400_000, faults: [] });
    // reads answered: 2, 1, 30 (fail), 5 ms; the info read is left out. write: 40 ms.
    expect(m.latency['read']).toMatchObject({ count: 4, p50: 2, max: 30 });
    expect(m.latency['write']).toMatchObject({ count: 1, p50: 40 });
    expect(m.latencyAll).toMatchObject({ count: 5, p50: 5, max: 40 });
  });

  it('is part of computeMetrics', () => {
    expect(computeMetrics({ history, duration: 400_000, faults: [crash] }).faultImpact.windows).toHaveLength(1);
  });
});

describe('timeSeries', () => {
  it('shows an outage as availability 0, not as a hole', () => {
    const s = timeSeries(history, 400_000, 8);
    expect(s.map((b) => b.ok)).toEqual([2, 0, 0, 0, 0, 0, 1, 0]);
    expect(s[2]!.availability).toBe(0); // 100-150 ms: ops in flight, none completed ok
    expect(s[7]!.availability).toBeNull(); // nothing in flight at all
  });
});
