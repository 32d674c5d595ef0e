import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenarios/index.ts';
import { runScenario } from '../../sim/run.ts';
import { failoverWindows, percentile, stalenessByMode } from './metrics.ts';

const crash = findScenario('libsql-leader-crash')!;
const lag = findScenario('libsql-lagging-replica')!;

describe('libsql replication', () => {
  it('a run is deterministic: the same seed gives the same trace hash twice', () => {
    const a = runScenario(lag, { seed: 5, variant: 'corrected' });
    const b = runScenario(lag, { seed: 5, variant: 'corrected' });
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.finalStates).toEqual(b.finalStates);
  });
  it('failover: after the leader crashes a new leader acknowledges writes, and the replicas converge', () => {
    const r = runScenario(crash, { seed: 4, variant: 'corrected' });
    const writesAfter = r.history.filter((e) => e.type === 'ok' && e.f === 'write' && e.time > 3_000_000 && e.time < 4_000_000);
    expect(writesAfter.length).toBeGreaterThan(0); // acknowledged while r0 was still down
    // The window from the crash to the first write acknowledged by the new leader: an election
    // (timeout 150-300 ms from the last heartbeat, which the partition cut at 2.95 s) and a barrier.
    const w = failoverWindows(r).find((x) => x.node === 'r0');
    expect(w?.ms).toBeGreaterThan(50);
    expect(w?.ms).toBeLessThan(1000);
    expect(writesAfter[0]!.time).toBeGreaterThanOrEqual(3_000_000 + (w?.ms ?? 0) * 1000);
    expect(r.checks.every((c) => c.verdict === 'ok')).toBe(true);
    const states = Object.values(r.finalStates);
    expect(states.length).toBe(3);
    expect(states[1]).toEqual(states[0]);
  });
  it('a lagging replica holds read-your-writes reads (or redirects them) in corrected', () => {
    const r = runScenario(lag, { seed: 5, variant: 'corrected' });
    const eventual = stalenessByMode(r.probes, (p) => p.node === 'r2' && p.time > 1_000_000 && p.time < 8_000_000).eventual;
    // r2 really lagged: its eventual reads during the clog were frames and well over 100 ms behind.
    expect(percentile(eventual.map((x) => x.frames), 50)).toBeGreaterThan(0);
    expect(percentile(eventual.map((x) => x.ms), 50)).toBeGreaterThan(100);
    expect(r.checks.find((c) => c.name === 'read-your-writes')?.verdict).toBe('ok');
  });
});
