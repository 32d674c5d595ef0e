import { describe, expect, it } from 'vitest';
import { claimsFor, judgeClaim } from './claims.ts';
import { hashCalculationMs, routeLookupMs } from './route-lookup-timing.ts';

describe('hash-routing host-timing claims', () => {
  it('measures a positive per-call time and judges the document bound against it', () => {
    const lookup = routeLookupMs();
    expect(lookup).toBeGreaterThan(0);
    expect(hashCalculationMs()).toBeGreaterThan(0);
    // The seed-001 table's rows for consistent hashing (latency, availability) are judged elsewhere.
    const claims = claimsFor('hash-routing', 'corrected').filter((c) => c.metric.kind === 'host-timing');
    expect(claims.map((c) => c.text)).toEqual(['Route lookup <1ms', 'Hash calculation <0.1ms']);
    const route = claims[0]!;
    expect(route.metric.kind).toBe('host-timing');
    expect(judgeClaim(route, lookup)).toBe(lookup <= 1 ? 'holds' : 'refuted');
    expect(judgeClaim(route, 2)).toBe('refuted');
  });
});
