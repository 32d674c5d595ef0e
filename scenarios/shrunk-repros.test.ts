import { describe, expect, it } from 'vitest';
import { runScenario } from '../sim/run.ts';
import { applyOverrides } from '../sim/replay/overrides.ts';
import { failingCheck } from '../sim/replay/repro.ts';
import { shrinkFailure } from '../sim/replay/shrink.ts';
import { scenarios } from './index.ts';

/**
 * A shrunk repro never fails on the corrected variant (issue 11, "checkers read the run"): for
 * every scenario with a corrected variant, the first failing variant it declares (a planted bug
 * or the document as written) is run on its first fixed seed, shrunk, and the shrunk choices and
 * overrides are replayed on `corrected`, where every check must hold. A check that used a time
 * written into the scenario ("after the heal at 11.5 s") fails here once shrinking removes the
 * fault or shortens the run; checks that read the run's fault record do not.
 */
const MAX_RUNS = 24;

const cases = scenarios.flatMap((s) => {
  if (!s.variants.includes('corrected')) return [];
  const v = s.variants.find((x) => x !== 'corrected' && 'violates' in (s.expect[x] ?? { holds: true }));
  return v ? [{ s, v }] : [];
});

describe('shrunk repros replayed on corrected', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  it.each(cases.map((c) => [`${c.s.name} ${c.v}`, c] as const))('%s: the shrunk failure holds on corrected', (_, { s, v }) => {
    const seed = s.seeds[0] as number;
    const r = runScenario(s, { seed, variant: v, record: true });
    const check = failingCheck(r, 'violates' in (s.expect[v] ?? { holds: true }) ? (s.expect[v] as { violates: string[] }).violates : [])?.name;
    expect(check, `${s.name} ${v} seed ${seed} fails no check`).toBeDefined();
    const o = shrinkFailure({ scenario: s, variant: v, seed, check: check as string, choices: r.choices ?? [], overrides: {} }, { maxRuns: MAX_RUNS });
    expect(o.result.checks.find((c) => c.name === check)?.verdict).toBe('violation');
    const fixed = runScenario(applyOverrides(s, o.overrides), { seed, variant: 'corrected', replay: o.choices });
    const bad = fixed.checks.filter((c) => c.verdict !== 'ok').map((c) => `${c.name}: ${c.summary}`);
    expect(bad, `${s.name}: shrunk ${v} repro (${o.after.ops} ops, ${o.after.faults} faults) on corrected`).toEqual([]);
  }, 300_000);
});
