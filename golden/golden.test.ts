import { describe, expect, it } from 'vitest';
import { compareGolden, computeGolden, describeDrift, describeUnmet, GOLDEN_FILE, readGolden, unmet } from './golden.ts';

// CI regression guard: every scenario × variant × fixed seed (taken from the scenario list, so new
// scenarios join automatically) must give the trace hash and verdicts in golden/golden.json, and
// must be what its scenario expects (CI checks both ways: no missed bug, no false alarm).
describe('golden table', () => {
  it('every fixed seed matches the checked-in table and its scenario expectation', async () => {
    const fresh = await computeGolden(2);
    const drift = compareGolden(readGolden(GOLDEN_FILE), fresh);
    const bad = unmet(fresh);
    // The messages are the assertion text: they name each drifted entry and the update command.
    expect(drift.length === 0 ? '' : describeDrift(drift, 'golden/golden.json')).toBe('');
    expect(bad.length === 0 ? '' : describeUnmet(bad)).toBe('');
  }, 600_000);
});
