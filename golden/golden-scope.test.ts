import { describe, expect, it } from 'vitest';
import { compareGolden, GOLDEN_FILE, goldenTasks, mergeGolden, readGolden, scenarioScope, type GoldenEntry, type GoldenTable } from './golden.ts';

// `golden --scenario <prefix>`: checks and updates of one design's entries, without the others.
const entry = (scenario: string, seed: number, traceHash: string): GoldenEntry => ({ scenario, variant: 'corrected', seed, traceHash, outcome: 'ok', met: true, verdicts: {} });

describe('golden scope', () => {
  it('a prefix names the scenario itself and its dash-family, not a longer name', () => {
    const s = scenarioScope('kv');
    expect(s('kv')).toBe(true);
    expect(s('kv-calm')).toBe(true);
    expect(s('kvx-calm')).toBe(false);
    expect(goldenTasks(scenarioScope('kv')).every((t) => t.scenario.startsWith('kv-'))).toBe(true);
    expect(goldenTasks(scenarioScope('kv')).length).toBeLessThan(goldenTasks().length);
  });

  it('a scoped comparison ignores entries of other scenarios, and still sees stale ones in scope', () => {
    const table: GoldenTable = { formatVersion: 1, about: '', entries: [entry('a-x', 1, 'h1'), entry('b-y', 1, 'h2'), entry('a-gone', 1, 'h3')] };
    const drift = compareGolden(table, [entry('a-x', 1, 'h1')], scenarioScope('a'));
    expect(drift.map((d) => `${d.kind} ${d.key}`)).toEqual(['stale a-gone corrected seed 1']);
  });

  it('a scoped merge replaces the scope and keeps every other recorded entry (in scenario-list order)', () => {
    const table = readGolden(GOLDEN_FILE);
    expect(table).toBeDefined();
    if (!table) return;
    const scope = scenarioScope('kv');
    const fresh = table.entries.filter((e) => scope(e.scenario)).map((e) => ({ ...e, traceHash: 'fresh' }));
    const merged = mergeGolden(table, fresh, scope);
    expect(merged.length).toBe(table.entries.length);
    expect(merged.filter((e) => e.traceHash === 'fresh').length).toBe(fresh.length);
    const others = (es: readonly GoldenEntry[]) => es.filter((e) => !scope(e.scenario)).map((e) => JSON.stringify(e)).sort();
    expect(others(merged)).toEqual(others(table.entries));
  });
});
