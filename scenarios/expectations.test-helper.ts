import { describe, expect, it } from 'vitest';
import { runScenario } from '../sim/run.ts';
import type { Scenario } from '../sim/scenario.ts';
import { scenarios } from './index.ts';

/** Runs one seed and expects the scenario's expectation for the variant to be met, saying why not. */
export function expectMet(s: Scenario, variant: string, seed: number): void {
  const r = runScenario(s, { seed, variant });
  const why = r.checks.map((c) => `${c.name}: ${c.verdict} (${c.summary})`).join('\n');
  expect(r.expectation.met, `${s.name} ${variant} seed ${seed}\n${why}`).toBe(true);
}

/**
 * Declares a test per scenario × variant of one design (scenarios named `<prefix>-*`): on every
 * fixed seed a corrected design must hold and every as-written defect must still be caught.
 * A design's own test file calls this, so its scenarios are checked next to its code.
 */
export function describeScenarioExpectations(prefix: string, minScenarios: number): void {
  const ours = scenarios.filter((s) => s.name.startsWith(`${prefix}-`));
  describe(`${prefix} scenarios`, () => {
    it('has the scenarios registered', () => {
      expect(ours.length).toBeGreaterThanOrEqual(minScenarios);
    });
    for (const s of ours) {
      for (const variant of s.variants) {
        it(`${s.name} / ${variant} meets its expectation on seeds ${s.seeds.join(',')}`, () => {
          for (const seed of s.seeds) expectMet(s, variant, seed);
        });
      }
    }
  });
}
