import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenarios/index.ts';
import { runScenario } from '../../sim/run.ts';

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
    expect(r.checks.every((c) => c.verdict === 'ok')).toBe(true);
    const states = Object.values(r.finalStates);
    expect(states.length).toBe(3);
    expect(states[1]).toEqual(states[0]);
  });
  it('a lagging replica holds read-your-writes reads (or redirects them) in corrected', () => {
    const r = runScenario(lag, { seed: 5, variant: 'corrected' });
    const stale = r.probes.filter((p) => p.name === 'staleness' && p.node === 'r2' && (p.detail as { frames: number }).frames > 0);
    expect(stale.length).toBeGreaterThan(0); // r2 really lagged
    expect(r.checks.find((c) => c.name === 'read-your-writes')?.verdict).toBe('ok');
  });
});
