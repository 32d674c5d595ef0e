import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { runScenario } from '../run.ts';
import { alignForDuration, applyOverrides, validateOverrides } from './overrides.ts';
import { buildRepro, canonicalChoices, ReproFormatError, validateRepro } from './repro.ts';

const meta = { version: '0.0.0', commit: 'test', createdBy: 'test', replay: 'npx faultline replay x.json' };

/**
 * One planted failure per scenario, on its first fixed seed: the first variant whose expectation
 * is a violation. Replay is the same mechanism for every variant of a scenario (the variant only
 * changes the model), and the golden test already pins every variant's trace hash, so one per
 * scenario covers each scenario's choice labels without running every bug twice.
 */
const planted = scenarios.flatMap((s) => {
  const v = s.variants.find((x) => 'violates' in (s.expect[x] ?? { holds: true }));
  return v === undefined ? [] : [{ s, v, seed: s.seeds[0] as number }];
});

describe('repro files', () => {
  it.each(planted.map((p) => [`${p.s.name} ${p.v}`, p] as const))('%s: a repro replays to the same trace hash and failure', (_, { s, v, seed }) => {
    const r = runScenario(s, { seed, variant: v, record: true });
    const repro = buildRepro(r, meta);
    expect(repro, 'the planted failure must violate a check on its first fixed seed').toBeDefined();
    const back = validateRepro(JSON.parse(JSON.stringify(repro)));
    const again = runScenario(applyOverrides(s, back.overrides), { seed: back.seed, variant: back.variant, replay: back.choices });
    expect(again.traceHash).toBe(r.traceHash);
    expect(again.checks.find((c) => c.name === back.failure.check)?.verdict).toBe('violation');
  }, 120_000);

  it('rejects malformed repros with a message naming the field', () => {
    const r = planted[0];
    if (!r) return;
    const good = JSON.parse(JSON.stringify(buildRepro(runScenario(r.s, { seed: r.seed, variant: r.v, record: true }), meta))) as Record<string, unknown>;
    expect(() => validateRepro([])).toThrow(ReproFormatError);
    expect(() => validateRepro({ ...good, choices: [1, -2] })).toThrow(/choices/);
    expect(() => validateRepro({ ...good, seed: 'x' })).toThrow(/seed/);
    expect(() => validateRepro({ ...good, formatVersion: 99 })).toThrow(/formatVersion/);
    expect(() => validateRepro({ ...good, failure: {} })).toThrow(/check/);
    expect(() => validateRepro({ ...good, overrides: { durationUs: -1 } })).toThrow(/durationUs/);
    expect(validateRepro(good).scenario).toBe(r.s.name);
  }, 60_000);

  it('canonical choices drop only trailing zeros', () => {
    expect(canonicalChoices([0, 3, 0, 1, 0, 0])).toEqual([0, 3, 0, 1]);
    expect(canonicalChoices([0, 0])).toEqual([]);
    expect(validateOverrides({ durationUs: 5 })).toEqual({ durationUs: 5 });
    expect(typeof validateOverrides({ other: 1 })).toBe('string');
  });

  it('a shorter fault phase keeps the run identical up to the new end, nemesis or not', () => {
    for (const s of scenarios) {
      const v = s.defaultVariant;
      const seed = s.seeds[0] as number;
      const full = runScenario(s, { seed, variant: v, record: true });
      const cut = Math.floor(s.duration / 3);
      const seq = alignForDuration(s, v, full.choices ?? [], s.duration, cut);
      const short = runScenario(applyOverrides(s, { durationUs: cut }), { seed, variant: v, replay: seq });
      // Before the cut (minus the last events, which may interleave with the heal) nothing differs.
      const before = (h: typeof full.history) => h.filter((e) => e.time < cut - 100_000);
      expect(before(short.history), s.name).toEqual(before(full.history));
    }
  }, 300_000);
});
