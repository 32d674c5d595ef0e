import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../bin/commands/compare-families.ts';
import { findScenario } from '../scenarios/index.ts';
import { pairOperations } from '../sim/history.ts';
import { runScenario } from '../sim/run.ts';
import type { Claim } from './claims.ts';
import { familyRow } from './family.ts';
import { renderFamilyHtml, renderFamilyMarkdown, renderFamilyTerminal } from './family-render.ts';

const s = findScenario('seed001-table-lock')!;
const runs = [1].map((seed) => runScenario(s, { seed, variant: 'corrected' }));
const spec = { approach: 'Distributed Lock', scenario: s.name, variant: 'corrected', writes: ['insert'], reads: ['read'], failure: 'lock service down' };
const window = { from: 2_000_000, to: 3_000_000 };
const fake: Claim[] = [
  { design: 'lock-service', source: 'T', text: '+20ms write', metric: { kind: 'latency', f: 'insert', stat: 'p50' }, bound: { max: 21 } },
  { design: 'lock-service', source: 'T', text: '0 read', metric: { kind: 'latency', f: 'read', stat: 'p50' }, bound: { max: 0.001 } },
  { design: 'lock-service', source: 'T', text: 'Medium', metric: { kind: 'availability' }, bound: { min: 0.5 } },
  { design: 'lock-service', source: 'another table', text: 'not this one', metric: { kind: 'availability' } },
];

describe('family rows', () => {
  const row = familyRow(spec, 'lock-service', runs, window, 'T', fake);

  it("times and counts only the row's writes and reads, not the workers' lock operations", () => {
    const ops = pairOperations(runs[0]!.history);
    const client = ops.filter((o) => o.f === 'insert' || o.f === 'read');
    const ok = client.filter((o) => o.status === 'ok').length;
    expect(ops.some((o) => o.f === 'acquire')).toBe(true);
    expect(row.okShare).toBeCloseTo(ok / client.length, 9);
    expect(row.write!.count).toBe(client.filter((o) => o.f === 'insert' && o.status !== 'info').length);
    // The lock service is down inside the window: fewer of those operations succeed.
    expect(row.okShareInWindow).not.toBeNull();
    expect(row.okShareInWindow!).toBeLessThan(row.okShare);
  });

  it('puts each claim of the family source beside its column and judges it', () => {
    expect(row.claims.map((c) => [c.column, c.claim])).toEqual([
      ['write', '+20ms write'],
      ['read', '0 read'],
      ['availability', 'Medium'],
    ]);
    expect(row.claims[0]!.measured).toBe(row.write!.p50);
    expect(row.claims[1]!.judgement).toBe('contradicted');
    expect(row.claims[2]!.judgement).toBe('holds');
  });

  it('renders the same row in terminal, markdown and HTML', () => {
    const f = { family: 'f', title: 'a table', claimSource: 'T', window, rows: [row] };
    expect(renderFamilyTerminal(f)).toContain('Distributed Lock');
    expect(renderFamilyMarkdown(f)).toContain('| Distributed Lock | lock service down |');
    const html = renderFamilyHtml(f);
    expect(html).toContain('<span class="contradicted">contradicted</span>');
    expect(html).toContain('data-chart="cdf"');
  });

  it('the seed001-table family names a registered scenario for every row of the table', () => {
    const table = FAMILIES.find((x) => x.name === 'seed001-table')!;
    expect(table.rows.map((r) => r.approach)).toEqual(['CF DO (baseline)', 'Distributed Lock', 'libSQL Leader', 'Consistent Hash', 'OCC', 'Hybrid (recommended)']);
    for (const r of table.rows) expect(findScenario(r.scenario), r.scenario).toBeDefined();
  });
});
