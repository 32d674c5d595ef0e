import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { scenarios } from '../../scenarios/index.ts';

/**
 * Every waddle scenario, on its fixed seeds, for every variant it declares: a
 * corrected design must hold and every as-written defect must still be caught.
 */
const ours = scenarios.filter((s) => s.name.startsWith('waddle-'));

describe('waddle scenarios', () => {
  it('has the scenarios registered', () => {
    expect(ours.length).toBeGreaterThanOrEqual(3);
  });
  for (const s of ours) {
    for (const variant of s.variants) {
      it(`${s.name} / ${variant} meets its expectation on seeds ${s.seeds.join(',')}`, () => {
        for (const seed of s.seeds) {
          const r = runScenario(s, { seed, variant });
          const why = r.checks.map((c) => `${c.name}: ${c.verdict} (${c.summary})`).join('\n');
          expect(r.expectation.met, `${s.name} ${variant} seed ${seed}\n${why}`).toBe(true);
        }
      });
    }
  }
});
