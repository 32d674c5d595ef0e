import fc from 'fast-check';
import { expect } from 'vitest';
import { canonicalJson } from '../../sim/value.ts';
import type { Lattice } from './delta.ts';

/**
 * Property harness shared by the CRDT tests: replicas reached by random operations and random
 * syncs (so the states are ones a run can produce, not arbitrary values), then the join laws
 * on them and convergence under any delivery order with duplicates.
 */
export interface Replicated<S, Op> {
  readonly lattice: Lattice<S>;
  readonly op: fc.Arbitrary<Op>;
  /** Applies a local operation at replica `node` (its clock reads `now`): new state and delta. */
  apply(s: S, op: Op, node: string, now: number): { state: S; delta: S };
  /** What a user sees; compared for convergence. */
  view(s: S): unknown;
}

type Step<Op> = { kind: 'op'; at: number; op: Op } | { kind: 'sync'; from: number; to: number };

export interface Reached<S> {
  readonly states: S[];
  readonly deltas: S[];
}

export function reached<S, Op>(r: Replicated<S, Op>, n = 3): fc.Arbitrary<Reached<S>> {
  const step: fc.Arbitrary<Step<Op>> = fc.oneof(
    fc.record({ kind: fc.constant('op' as const), at: fc.nat(n - 1), op: r.op }),
    fc.record({ kind: fc.constant('sync' as const), from: fc.nat(n - 1), to: fc.nat(n - 1) }),
  );
  return fc.array(step, { maxLength: 25 }).map((steps) => {
    const states = Array.from({ length: n }, () => r.lattice.bottom);
    const deltas: S[] = [];
    steps.forEach((s, t) => {
      if (s.kind === 'op') {
        const out = r.apply(states[s.at] as S, s.op, `n${s.at}`, 1000 + t);
        states[s.at] = out.state;
        deltas.push(out.delta);
      } else {
        states[s.to] = r.lattice.join(states[s.to] as S, states[s.from] as S);
      }
    });
    return { states, deltas };
  });
}

const same = (a: unknown, b: unknown) => canonicalJson(a as never) === canonicalJson(b as never);

export function checkJoinLaws<S, Op>(r: Replicated<S, Op>, runs = 150): void {
  const j = r.lattice.join;
  fc.assert(
    fc.property(reached(r), ({ states: [a, b, c] }) => {
      const [x, y, z] = [a as S, b as S, c as S];
      expect(same(j(x, y), j(y, x)), 'commutative').toBe(true);
      expect(same(j(j(x, y), z), j(x, j(y, z))), 'associative').toBe(true);
      expect(same(j(x, x), x), 'idempotent').toBe(true);
    }),
    { numRuns: runs, seed: 42 },
  );
}

/** Every delta, delivered in any order, some twice, gives the same view as in-order delivery. */
export function checkAnyDeliveryConverges<S, Op>(r: Replicated<S, Op>, runs = 150): void {
  fc.assert(
    fc.property(
      reached(r).chain((got) =>
        fc.tuple(fc.constant(got), fc.shuffledSubarray(got.deltas.map((_, i) => i), { minLength: got.deltas.length }), fc.array(fc.nat(Math.max(0, got.deltas.length - 1)), { maxLength: 5 })),
      ),
      ([got, order, dupes]) => {
        const inOrder = got.deltas.reduce(r.lattice.join, r.lattice.bottom);
        const shuffled = [...order, ...dupes.filter(() => got.deltas.length > 0)].reduce((s, i) => r.lattice.join(s, got.deltas[i] as S), r.lattice.bottom);
        expect(same(r.view(shuffled), r.view(inOrder))).toBe(true);
      },
    ),
    { numRuns: runs, seed: 7 },
  );
}

/** Finds a counterexample to the join laws or delivery convergence (for planted flaws). */
export function lawsFail<S, Op>(r: Replicated<S, Op>): boolean {
  try {
    checkJoinLaws(r, 300);
    checkAnyDeliveryConverges(r, 300);
    return false;
  } catch {
    return true;
  }
}
