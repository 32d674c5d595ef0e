import { describe, expect, it } from 'vitest';
import { GOLDEN_FILE, goldenTasks, readGolden, scenarioScope } from '../golden/golden.ts';
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
 * A design's own test file calls this, so its scenarios are accounted for next to its code: they
 * are registered, and the golden table records every scenario × variant × fixed seed of them as
 * meeting its expectation (a corrected design holds, every as-written defect and planted bug is
 * caught).
 *
 * The seeds are not run again here. golden/golden.test.ts runs every fixed seed of every scenario
 * in the same suite and fails on any entry that drifts from the table or misses its expectation,
 * so the table read here is the fresh truth whenever the suite passes; running the seeds twice
 * cost a third of the suite's time. To run one design's seeds: npx faultline golden --scenario <prefix>.
 */
export function describeScenarioExpectations(prefix: string, minScenarios: number): void {
  const ours = scenarios.filter((s) => s.name.startsWith(`${prefix}-`));
  describe(`${prefix} scenarios`, () => {
    it('has the scenarios registered', () => {
      expect(ours.length).toBeGreaterThanOrEqual(minScenarios);
    });
    it(`every fixed seed of every variant is in the golden table as expected (npx faultline golden --scenario ${prefix})`, () => {
      const table = readGolden(GOLDEN_FILE);
      const byKey = new Map((table?.entries ?? []).map((e) => [`${e.scenario} ${e.variant} ${e.seed}`, e]));
      const wrong: string[] = [];
      for (const t of goldenTasks(scenarioScope(prefix))) {
        const e = byKey.get(`${t.scenario} ${t.variant} ${t.seed}`);
        if (!e) wrong.push(`${t.scenario} / ${t.variant} seed ${t.seed}: not in the table`);
        else if (!e.met) wrong.push(`${t.scenario} / ${t.variant} seed ${t.seed}: not as expected (${Object.entries(e.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      }
      expect(wrong).toEqual([]);
    });
  });
}
