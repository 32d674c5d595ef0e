import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import type { CheckInput } from '../check/types.ts';
import { runScenario } from '../run.ts';
import { applyOverrides } from './overrides.ts';
import { failingCheck } from './repro.ts';
import { shrinkFailure } from './shrink.ts';

/**
 * Planted bugs (`bug:*` variants expected to violate a check), the two with the shortest fault
 * phase, so the test stays quick as scenarios are added. Taken from the list, never by name.
 */
const cases = scenarios
  .flatMap((s) => s.variants.filter((v) => v.startsWith('bug:') && 'violates' in (s.expect[v] ?? { holds: true })).map((v) => ({ s, v })))
  .sort((a, b) => a.s.duration - b.s.duration)
  .slice(0, 2);

/** The first planted failure's run on its first fixed seed, and the check it fails. */
function firstPlanted() {
  const c = cases[0];
  if (!c) return undefined;
  const seed = c.s.seeds[0] as number;
  const r = runScenario(c.s, { seed, variant: c.v, record: true });
  return { c, seed, r, check: failingCheck(r)?.name as string };
}

describe('shrinking', () => {
  it.each(cases.map((c) => [`${c.s.name} ${c.v}`, c] as const))('%s: shrinks to a smaller run that still fails and replays', (_, { s, v }) => {
    const seed = s.seeds[0] as number;
    const r = runScenario(s, { seed, variant: v, record: true });
    const check = failingCheck(r)?.name as string;
    expect(check).toBeDefined();
    const o = shrinkFailure({ scenario: s, variant: v, seed, check, choices: r.choices ?? [], overrides: {} }, { maxRuns: 80 });
    expect(o.runs).toBeLessThanOrEqual(80);
    // Smaller where a person reads it: less simulated time and no more faults or operations.
    expect(o.after.simTimeUs).toBeLessThan(o.before.simTimeUs);
    expect(o.after.faults).toBeLessThanOrEqual(o.before.faults);
    expect(o.after.ops).toBeLessThan(o.before.ops);
    expect(o.after.choices).toBeLessThan(o.before.choices);
    // The shrunk repro replays exactly and still fails the same check.
    const again = runScenario(applyOverrides(s, o.overrides), { seed, variant: v, replay: o.choices });
    expect(again.traceHash).toBe(o.result.traceHash);
    expect(again.checks.find((c) => c.name === check)?.verdict).toBe('violation');
    // Candidates run only the target check; the result carries every check's verdict, as a
    // full replay of it reports them, for the repro.
    expect(o.result.checks.map((c) => [c.name, c.verdict])).toEqual(again.checks.map((c) => [c.name, c.verdict]));
    expect(o.result.expectation).toEqual(again.expectation);
  }, 300_000);

  it('a time limit that passes during a candidate\'s check ends shrinking with the best so far', () => {
    const p = firstPlanted();
    if (!p) return;
    const { c, seed, r, check } = p;
    // The target checker, as a long search does, stops when the budget says time is up.
    const scenario = {
      ...c.s,
      checkers: c.s.checkers.map((k) =>
        k.name !== check ? k : { name: k.name, check: (input: CheckInput) => (input.budget.expired?.() ? { name: k.name, verdict: 'unknown' as const, summary: 'expired' } : k.check(input)) },
      ),
    };
    // Asked twice before the first candidate runs (by the phase loop, then by the attempt); from
    // the third time on, which is the checker searching that candidate, "time is up".
    let asked = 0;
    const o = shrinkFailure({ scenario, variant: c.v, seed, check, choices: r.choices ?? [], overrides: {} }, { maxRuns: 80, shouldStop: () => asked++ >= 2 });
    expect(o.stopped).toBe(true);
    expect(o.runs).toBe(2);
    // The cut-off candidate did not count as failing: the result is the run that was given.
    expect(o.after).toEqual(o.before);
    expect(o.result.traceHash).toBe(r.traceHash);
    expect(o.result.checks.find((x) => x.name === check)?.verdict).toBe('violation');
  }, 300_000);

  it('is deterministic: the same input and budget give the same shrunk repro', () => {
    const p = firstPlanted();
    if (!p) return;
    const { c, seed, r, check } = p;
    const go = () => shrinkFailure({ scenario: c.s, variant: c.v, seed, check, choices: r.choices ?? [], overrides: {} }, { maxRuns: 30 });
    const a = go();
    const b = go();
    expect(b.choices).toEqual(a.choices);
    expect(b.overrides).toEqual(a.overrides);
  }, 300_000);
});
