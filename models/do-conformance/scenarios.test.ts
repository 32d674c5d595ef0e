import { describe, it } from 'vitest';
import { expectMet } from '../../scenarios/expectations.test-helper.ts';
import { scenarios } from '../../scenarios/index.ts';

// Every do-conformance scenario, on its fixed seeds, for every variant it declares: run here (a
// run takes tens of milliseconds). Once golden/golden.json records them, this can become
// describeScenarioExpectations('do-conformance', 4), as the other designs' files are.
describe('do-conformance scenarios', () => {
  const ours = scenarios.filter((s) => s.name.startsWith('do-conformance-'));
  it('has the scenarios registered', () => {
    if (ours.length < 4) throw new Error(`only ${ours.length} do-conformance scenarios registered`);
  });
  for (const s of ours) for (const v of s.variants) for (const seed of s.seeds) it(`${s.name} ${v} seed ${seed}`, () => expectMet(s, v, seed));
});
