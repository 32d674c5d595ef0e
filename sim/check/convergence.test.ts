import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Value } from '../value.ts';
import { convergence, firstDifference } from './convergence.ts';
import type { CheckInput } from './types.ts';

const input = (states: Record<string, Value>): CheckInput => ({ history: [], finalStates: new Map(Object.entries(states)), probes: [], budget: { steps: 1000 } });

describe('convergence', () => {
  it('holds when every replica has an equal state (key order does not matter)', () => {
    const r = convergence().check(input({ a: { x: 1, y: [1, 2] }, b: { y: [1, 2], x: 1 }, c: { x: 1, y: [1, 2] } }));
    expect(r.verdict).toBe('ok');
  });
  it('is trivially ok with zero or one replica', () => {
    expect(convergence().check(input({})).verdict).toBe('ok');
    expect(convergence().check(input({ a: 1 })).verdict).toBe('ok');
  });
  it('names the replicas and the first differing path', () => {
    const r = convergence().check(input({ n1: { rows: ['a', 'b'], v: 3 }, n2: { rows: ['a', 'b'], v: 3 }, n3: { rows: ['a', 'c'], v: 3 } }));
    expect(r.verdict).toBe('violation');
    expect(r.evidence).toEqual({ replicas: ['n1', 'n3'], path: '/rows/1', left: 'b', right: 'c', groups: [['n1', 'n2'], ['n3']] });
    expect(r.summary).toContain('n1 and n3 differ at /rows/1');
  });
  it('reports missing keys and array elements', () => {
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).toEqual({ path: '/b', left: '<missing>', right: 2 });
    expect(firstDifference([1], [1, 2])).toEqual({ path: '/1', left: '<missing>', right: 2 });
    expect(firstDifference(1, '1')).toEqual({ path: '', left: 1, right: '1' });
  });
  it('can project away replica-local fields', () => {
    const r = convergence({ project: (_r, s) => (s as { data: Value }).data }).check(input({ a: { data: [1], clock: 5 }, b: { data: [1], clock: 9 } }));
    expect(r.verdict).toBe('ok');
  });
  it('on random states: ok iff all equal, and the reported path really differs', () => {
    const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Value>;
    fc.assert(
      fc.property(fc.array(json, { minLength: 1, maxLength: 4 }), fc.boolean(), (states, copy) => {
        const all = copy ? states.map(() => states[0]!) : states;
        const r = convergence().check(input(Object.fromEntries(all.map((s, i) => [`r${i}`, s]))));
        const allEqual = all.every((s) => JSON.stringify(s) === JSON.stringify(all[0]) || firstDifference(s, all[0]!) === undefined);
        expect(r.verdict).toBe(allEqual ? 'ok' : 'violation');
        if (r.verdict === 'violation') {
          const e = r.evidence as { left: Value; right: Value };
          expect(JSON.stringify(e.left)).not.toBe(JSON.stringify(e.right));
        }
      }),
      { seed: 3, numRuns: 1000 },
    );
  });
});
