import { describe, expect, it } from 'vitest';
import { describeScenarioExpectations } from '../../scenarios/expectations.test-helper.ts';
import { contentionRow } from './contention.ts';

// occ-contention on its fixed seeds, every variant.
describeScenarioExpectations('occ', 1);

describe('OCC under contention', () => {
  it('one writer never conflicts; twenty writers to one DO lose writes to MaxRetriesExceeded', () => {
    const one = contentionRow('as-written', 1, 1);
    expect(one.successRate).toBe(1);
    expect(one.retriesPerSuccess).toBe(0);
    const many = contentionRow('as-written', 20, 1);
    expect(many.successRate).toBeLessThan(0.8);
    expect(many.retriesPerSuccess).toBeGreaterThan(2);
  });
});
