import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOut } from './sweep.ts';

describe('sweep default results file', () => {
  it('keeps a short list of scenarios readable', () => {
    expect(defaultOut(['kv-calm', 'kv-nemesis'], false, '1..20', 'corrected', undefined)).toBe('.faultline/sweeps/kv-calm+kv-nemesis.corrected.seeds-1..20.jsonl');
  });
  it('stays a legal file name (255 bytes) for many scenarios, and differs between lists', () => {
    const many = Array.from({ length: 13 }, (_, i) => `karaoke-scenario-number-${i}`);
    const a = basename(defaultOut(many, false, '1..200', undefined, { index: 1, count: 4 }));
    const b = basename(defaultOut([...many.slice(0, 12), 'another'], false, '1..200', undefined, { index: 1, count: 4 }));
    expect(a.length).toBeLessThan(255);
    expect(a.startsWith('karaoke-scenario-number-0+12-more-')).toBe(true);
    expect(a).not.toBe(b);
  });
});
