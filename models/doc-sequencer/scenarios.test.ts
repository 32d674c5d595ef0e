import { describe, expect, it } from 'vitest';
import { expectMet } from '../../scenarios/expectations.test-helper.ts';
import { scenarios } from '../../scenarios/index.ts';
import slowFollower from '../../scenarios/doc-slow-follower.ts';
import { runScenario } from '../../sim/run.ts';

/**
 * Every document scenario, for every variant it declares, on its first fixed seed (the golden
 * test and CI cover all three; one keeps this file well under a minute on two busy cores).
 */
const ours = scenarios.filter((s) => s.name.startsWith('doc-'));

describe('doc scenarios', () => {
  it('has the scenarios registered', () => {
    expect(ours.length).toBeGreaterThanOrEqual(7);
  });
  for (const s of ours) {
    for (const variant of s.variants) {
      it(`${s.name} / ${variant} meets its expectation on seed ${s.seeds[0]}`, () => expectMet(s, variant, s.seeds[0] as number));
    }
  }
});

describe('doc-slow-follower', () => {
  it('the cut-off follower does catch up by InstallSnapshot (else the scenario tests nothing)', () => {
    const r = runScenario(slowFollower, { seed: 1, variant: 'corrected' });
    const installed = r.probes.filter((p) => p.name === 'raft.snapshot' && p.node === 's4' && (p.detail as { installed?: boolean }).installed === true);
    expect(installed.length).toBeGreaterThan(0);
  });
});
