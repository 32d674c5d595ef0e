import { describe, expect, it } from 'vitest';
import { findScenario } from '../scenarios/index.ts';
import { runScenario } from '../sim/run.ts';
import { type Claim, judgeClaim } from './claims.ts';
import { compareVariant } from './compare.ts';
import { renderCompareHtml, renderCompareMarkdown, renderCompareTerminal } from './compare-render.ts';

const s = findScenario('kv-crash-restart')!;
const runs = (variant: string) => [1, 2].map((seed) => runScenario(s, { seed, variant }));

describe('compare', () => {
  const fake: Claim[] = [
    { design: 'kv-authority', source: 'a fake seed, table 1', text: '<1ms', metric: { kind: 'latency', f: 'read', stat: 'p50' }, bound: { max: 1 } },
    { design: 'kv-authority', variant: 'corrected', source: 'a fake seed', text: 'High', metric: { kind: 'availability' }, bound: { min: 0.5 } },
    { design: 'other-design', source: 'elsewhere', text: '0ms', metric: { kind: 'availability' } },
  ];
  const corrected = compareVariant('kv-authority', runs('corrected'), fake);
  const asWritten = compareVariant('kv-authority', runs('as-written'), fake);

  it('pools the seeds and counts violations per check', () => {
    expect(corrected.seeds).toEqual([1, 2]);
    expect(corrected.violations['linearizable']).toEqual([]);
    expect(asWritten.violations['linearizable']).toEqual([1, 2]);
    expect(asWritten.expectationMet).toBe(2);
    // Same seeds, same fault schedule for both variants.
    expect(corrected.faults).toBe(asWritten.faults);
    expect(corrected.fractionOkInFaults).not.toBeNull();
  });

  it('shows a claim beside the measurement, only for its design and variant', () => {
    expect(corrected.claims.map((c) => c.claim)).toEqual(['<1ms', 'High']);
    expect(asWritten.claims.map((c) => c.claim)).toEqual(['<1ms']);
    const read = corrected.claims[0]!;
    expect(read.measured).toBe(corrected.latency['read']!.p50);
    expect(read.judgement).toBe('refuted'); // LAN p50 is about 2 ms
    expect(corrected.claims[1]!.judgement).toBe('holds');
  });

  it('judges bounds, and leaves wordy claims untested', () => {
    expect(judgeClaim(fake[2]!, 0.9)).toBe('untested');
    expect(judgeClaim(fake[0]!, null)).toBe('untested');
    expect(judgeClaim(fake[0]!, 0.5)).toBe('holds');
  });

  it('renders the same rows in terminal, markdown and HTML', () => {
    const c = [{ scenario: s.name, design: 'kv-authority', seeds: [1, 2], variants: [corrected, asWritten] }];
    const term = renderCompareTerminal(c);
    expect(term).toContain('linearizable on 2/2 seeds (1, 2)');
    expect(term).toContain('claims vs measured');
    expect(renderCompareMarkdown(c)).toContain('| corrected |');
    const html = renderCompareHtml(c);
    expect(html).toContain('&lt;1ms');
    expect(html).toContain('data-chart="cdf"');
  });
});
