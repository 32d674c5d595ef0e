import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { runScenario } from '../run.ts';
import { applyOverrides, validateOverrides } from './overrides.ts';
import { failingCheck } from './repro.ts';
import { shrinkFailure } from './shrink.ts';
import { labelledReplay, StreamReplayChoices } from './streams.ts';

const find = (name: string) => {
  const s = scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
};

describe('structured shrinking', () => {
  it('overrides name dropped faults and client operation budgets, and nothing else', () => {
    expect(validateOverrides({ durationUs: 5, dropFaults: [0, 3], opLimits: { c0: 0, c1: 4 } })).toEqual({ durationUs: 5, dropFaults: [0, 3], opLimits: { c0: 0, c1: 4 } });
    expect(typeof validateOverrides({ dropFaults: [-1] })).toBe('string');
    expect(typeof validateOverrides({ opLimits: { c0: 1.5 } })).toBe('string');
    expect(typeof validateOverrides({ opLimits: [1] })).toBe('string');
  });

  it('a run replayed label by label from its own draws is the same run', () => {
    const s = find('karaoke-evicted-dedup');
    const r = runScenario(s, { seed: 1, variant: 'as-written', record: true });
    const flat = labelledReplay(r.choices ?? []);
    const again = runScenario(s, { seed: 1, variant: 'as-written', choices: flat });
    expect(again.traceHash).toBe(r.traceHash);
    const streams = new StreamReplayChoices({ values: r.choices ?? [], labels: flat.recordedLabels ?? [] });
    expect(runScenario(s, { seed: 1, variant: 'as-written', choices: streams }).traceHash).toBe(r.traceHash);
  });

  it('a dropped fault is not injected and a client past its budget issues nothing more', () => {
    const s = find('karaoke-evicted-dedup');
    const full = runScenario(s, { seed: 1, variant: 'corrected', record: true });
    const cut = runScenario(applyOverrides(s, { dropFaults: [0, 1], opLimits: { c0: 0, c1: 2 } }), { seed: 1, variant: 'corrected', replay: full.choices ?? [] });
    expect(cut.faults.length).toBe(full.faults.length - 2);
    expect(cut.faults.map((f) => f.at)).toEqual(full.faults.slice(2).map((f) => f.at));
    const invoked = (node: string) => cut.history.filter((e) => e.type === 'invoke' && e.node === node).length;
    expect(invoked('c0')).toBe(0);
    expect(invoked('c1')).toBe(2);
    expect(invoked('c2')).toBeGreaterThan(2);
  });

  it('a hidden middle operation is neither recorded nor sent, and the cut run replays exactly', () => {
    const s = find('karaoke-evicted-dedup');
    expect(validateOverrides({ skipOps: { c1: [1, 3] } })).toEqual({ skipOps: { c1: [1, 3] } });
    expect(typeof validateOverrides({ skipOps: { c1: 1 } })).toBe('string');
    const full = runScenario(s, { seed: 1, variant: 'corrected', record: true });
    const invoked = (h: typeof full.history, node: string) => h.filter((e) => e.type === 'invoke' && e.node === node);
    const n = invoked(full.history, 'c1').length;
    expect(n).toBeGreaterThan(3);
    const o = { skipOps: { c1: [1] } };
    const flat = labelledReplay(full.choices ?? []);
    runScenario(s, { seed: 1, variant: 'corrected', choices: flat });
    const streams = new StreamReplayChoices({ values: full.choices ?? [], labels: flat.recordedLabels ?? [] });
    let leaked = false;
    const cut = runScenario(applyOverrides(s, o, { onLeak: () => (leaked = true) }), { seed: 1, variant: 'corrected', choices: streams });
    expect(leaked).toBe(false);
    // The first operation is the one it was; the second is gone from the history.
    const a = invoked(full.history, 'c1');
    const b = invoked(cut.history, 'c1');
    expect(b[0]).toEqual(a[0]);
    expect(b.length).toBeLessThan(a.length);
    expect(b.some((e) => e.time === a[1]?.time && e.f === a[1]?.f)).toBe(false);
    // The flat sequence the cut run drew replays it exactly.
    const again = runScenario(applyOverrides(s, o), { seed: 1, variant: 'corrected', replay: streams.recorded });
    expect(again.traceHash).toBe(cut.traceHash);
  });

  it('a DO failure shrinks to a short story (<= 10 operations, <= 2 faults) that replays and still fails', () => {
    // A planted bug on two devices of one user, 269 operations and 2 faults before.
    const s = find('karaoke-two-devices');
    const v = 'bug:user-request-ids';
    const r = runScenario(s, { seed: 1, variant: v, record: true });
    const check = failingCheck(r, ['linearizable'])?.name as string;
    const o = shrinkFailure({ scenario: s, variant: v, seed: 1, check, choices: r.choices ?? [], overrides: {} }, { maxRuns: 150 });
    expect(o.before.ops).toBeGreaterThan(100);
    expect(o.after.ops).toBeLessThanOrEqual(10);
    expect(o.after.faults).toBeLessThanOrEqual(2);
    const again = runScenario(applyOverrides(s, o.overrides), { seed: 1, variant: v, replay: o.choices });
    expect(again.traceHash).toBe(o.result.traceHash);
    expect(again.checks.find((c) => c.name === check)?.verdict).toBe('violation');
    // And the corrected room holds on the same shrunk run.
    const fixed = runScenario(applyOverrides(s, o.overrides), { seed: 1, variant: 'corrected', replay: o.choices });
    expect(fixed.checks.filter((c) => c.verdict !== 'ok').map((c) => c.name)).toEqual([]);
  }, 120_000);
});
