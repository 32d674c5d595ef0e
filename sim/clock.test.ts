import { describe, expect, it } from 'vitest';
import { NodeClock } from './clock.ts';

describe('NodeClock.monotonic', () => {
  it('runs at the drifted rate, as the wall clock does, but a step never moves it', () => {
    const c = new NodeClock();
    expect(c.monotonic(1_000)).toBe(1_000);
    c.skew(1_000, -600);
    expect(c.read(1_000)).toBe(400);
    expect(c.monotonic(1_000)).toBe(1_000);
    expect(c.monotonic(1_500)).toBe(1_500);
    c.setDrift(2_000, 1);
    expect(c.monotonic(3_000)).toBe(4_000);
    c.skew(3_000, 5_000);
    expect(c.read(3_000)).toBe(8_400);
    expect(c.monotonic(3_000)).toBe(4_000);
  });
  it('never goes backwards over any sequence of steps and drifts', () => {
    const c = new NodeClock();
    let last = c.monotonic(0);
    for (let t = 1; t <= 200; t++) {
      if (t % 7 === 0) c.skew(t * 100, (t % 3) - 1 === 0 ? -10_000 : 3_000);
      if (t % 11 === 0) c.setDrift(t * 100, (t % 5) / 10 - 0.2);
      const m = c.monotonic(t * 100);
      expect(m).toBeGreaterThanOrEqual(last);
      last = m;
    }
  });
});
