import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../sim/scenario.ts';
import { runScenario } from '../../../sim/run.ts';
import { parseSeeds } from './designs.ts';

/**
 * The test Stryker runs against every mutant (bin/dev/mutation-score.ts writes the env):
 *  - FAULTLINE_MUTATION_MODELS: comma-separated model names whose scenarios to run;
 *  - FAULTLINE_MUTATION_SEEDS: `A..B`, the sweep of every scenario's `corrected` variant, which must
 *    have every check ok (not only meet a fixed-seed expectation: any violation fails);
 *  - FAULTLINE_MUTATION_OTHERS=1: also each other variant's expectation on its fixed seeds (a
 *    mutant that makes a planted bug vanish is caught too).
 * One test per scenario and seed, so Stryker's per-test coverage runs only the tests that reach a
 * mutant and stops at the first that fails. Named *.mutation.ts so `npm test` never runs it.
 */
const models = (process.env.FAULTLINE_MUTATION_MODELS ?? '').split(',').filter(Boolean);
const seeds = parseSeeds(process.env.FAULTLINE_MUTATION_SEEDS ?? '1..20');
const others = process.env.FAULTLINE_MUTATION_OTHERS === '1';
/** A mutant that makes a run loop on events without end is cut here and fails. */
const MAX_STEPS = 5_000_000;

// Loaded here, not by a static import: a mutant that makes the scenarios fail to load (a model
// with no variants, a helper that returns nothing at import time) must fail a test, not leave
// vitest with no tests to run (which Stryker scored as a survivor).
let loadError: unknown;
let loaded: readonly Scenario[] = [];
try {
  loaded = (await import('../../../scenarios/index.ts')).scenarios;
} catch (e) {
  loadError = e;
}
const ours = loaded.filter((s) => models.includes(s.model.name));

describe('mutation sweep', () => {
  it('has scenarios to run', () => {
    expect(loadError, 'the scenarios failed to load').toBeUndefined();
    expect(ours.length, `no scenario for models ${models.join(',')}`).toBeGreaterThan(0);
  });
  for (const s of ours) {
    if (s.variants.includes('corrected')) {
      for (const seed of seeds) {
        it(`${s.name} corrected seed ${seed}`, () => {
          const r = runScenario(s, { seed, variant: 'corrected', maxSteps: MAX_STEPS });
          expect(r.events, 'runaway run').toBeLessThan(MAX_STEPS);
          const bad = r.checks.filter((c) => c.verdict !== 'ok').map((c) => `${c.name}: ${c.verdict} (${c.summary})`);
          expect(bad, `${s.name} corrected seed ${seed}`).toEqual([]);
        });
      }
    }
    if (!others) continue;
    for (const variant of s.variants.filter((v) => v !== 'corrected')) {
      for (const seed of s.seeds) {
        it(`${s.name} ${variant} seed ${seed} meets its expectation`, () => {
          const r = runScenario(s, { seed, variant, maxSteps: MAX_STEPS });
          expect(r.expectation.met, `${s.name} ${variant} seed ${seed}`).toBe(true);
        });
      }
    }
  }
});
