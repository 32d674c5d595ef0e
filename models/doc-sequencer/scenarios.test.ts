import { describe, expect, it } from 'vitest';
import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';
import slowFollower from '../../scenarios/doc-slow-follower.ts';
import { runScenario } from '../../sim/run.ts';

// Every doc-* scenario, every variant it declares, on its fixed seeds (through the golden table).
describeScenarioExpectations('doc', 7);

describe('doc-slow-follower', () => {
  it('the cut-off follower does catch up by InstallSnapshot (else the scenario tests nothing)', () => {
    const r = runScenario(slowFollower, { seed: 1, variant: 'corrected' });
    const installed = r.probes.filter((p) => p.name === 'raft.snapshot' && p.node === 's4' && (p.detail as { installed?: boolean }).installed === true);
    expect(installed.length).toBeGreaterThan(0);
  });
});
