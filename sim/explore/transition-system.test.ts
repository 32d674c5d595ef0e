import { describe, expect, it } from 'vitest';
import { decodeTwoPhase, twoPhase } from './specs/two-phase.ts';
import { exploreTransitionSystem, permutationSymmetry, type TransitionSystem } from './transition-system.ts';

describe('TLA+ TwoPhase on the explorer engine', () => {
  it('has the known state counts: 288 with 3 RMs, 8,832 with 5 (either order), no violation', () => {
    for (const order of ['bfs', 'dfs'] as const) {
      const three = exploreTransitionSystem(twoPhase({ rms: 3 }), { order });
      expect(three).toMatchObject({ distinct: 288, exhausted: true, violation: undefined });
      const five = exploreTransitionSystem(twoPhase({ rms: 5 }), { order });
      expect(five).toMatchObject({ distinct: 8832, exhausted: true, violation: undefined });
    }
  });

  it("symmetry over the 5 RMs: Stateright's representative gives its 665; a canonical one gives 314 in any order", () => {
    expect(exploreTransitionSystem(twoPhase({ rms: 5, symmetry: 'stateright' }), { order: 'dfs' }).distinct).toBe(665);
    for (const order of ['bfs', 'dfs'] as const) {
      expect(exploreTransitionSystem(twoPhase({ rms: 5, symmetry: 'full' }), { order }).distinct).toBe(314);
    }
  });

  it('finds a planted bug; bfs gives a shortest trace, and the trace is a real path ending in a broken state', () => {
    const ts = twoPhase({ rms: 3, bugCommitEarly: true });
    const r = exploreTransitionSystem(ts, { order: 'bfs' });
    const v = r.violation;
    expect(v?.invariant).toBe('TCConsistent');
    // Prepare, TM receives it, commit, an RM receives Commit, another chooses to abort.
    expect(v?.trace.length).toBe(6);
    expect(r.exhausted).toBe(false);
    const steps = v?.trace ?? [];
    for (let i = 1; i < steps.length; i++) {
      const next: number[] = [];
      ts.next(steps[i - 1]?.state as number, (a, to) => {
        if (a === steps[i]?.action) next.push(to);
      });
      expect(next).toContain(steps[i]?.state);
    }
    const last = decodeTwoPhase(steps[steps.length - 1]?.state as number, 3);
    expect(last.rmState).toContain('committed');
    expect(last.rmState).toContain('aborted');
    // dfs finds one too, not necessarily as short.
    expect(exploreTransitionSystem(ts, { order: 'dfs' }).violation?.trace.length).toBeGreaterThanOrEqual(6);
  });

  it('a depth bound cuts the search off and says so; state and expansion bounds too', () => {
    const r = exploreTransitionSystem(twoPhase({ rms: 3 }), { depth: 3 });
    expect(r.exhausted).toBe(false);
    expect(r.cutOff).toEqual(['depth']);
    expect(r.maxDepth).toBe(3);
    expect(exploreTransitionSystem(twoPhase({ rms: 5 }), { maxStates: 100 }).cutOff).toEqual(['states']);
    expect(exploreTransitionSystem(twoPhase({ rms: 5 }), { maxRuns: 10 }).cutOff).toEqual(['runs']);
  });

  it('depth-bounded dfs with caching reaches every state within the bound (a state first seen deep is revisited shallower)', () => {
    // A diamond with a long and a short arm to state 9, then a tail 9 -> 10 -> 11.
    // Depth 3: 11 is reachable only through the short arm (0 -> 9 -> 10 -> 11).
    const edges: Record<number, number[]> = { 0: [1, 9], 1: [2], 2: [9], 9: [10], 10: [11], 11: [] };
    const ts: TransitionSystem<number> = {
      name: 'diamond',
      init: [0],
      next: (s, emit) => (edges[s] ?? []).forEach((t) => emit(`to${t}`, t)),
      invariants: [{ name: 'never 11', holds: (s) => s !== 11 }],
      key: (s) => s,
    };
    expect(exploreTransitionSystem(ts, { order: 'dfs', depth: 3 }).violation?.trace.map((x) => x.state)).toEqual([0, 9, 10, 11]);
  });

  it('permutationSymmetry is general: any state type with permutable components', () => {
    // Three counters, each incremented up to 2: 27 states, 10 multisets.
    type S = readonly number[];
    const ts: TransitionSystem<S> = {
      name: 'counters',
      init: [[0, 0, 0]],
      next: (s, emit) => s.forEach((c, i) => c < 2 && emit(`inc${i}`, s.map((x, j) => (j === i ? x + 1 : x)))),
      invariants: [],
      key: (s) => s.join(','),
    };
    expect(exploreTransitionSystem(ts).distinct).toBe(27);
    const sym = permutationSymmetry<S>({ count: (s) => s.length, sortKey: (s, i) => s[i] as number, permute: (s, order) => order.map((i) => s[i] as number) });
    expect(exploreTransitionSystem({ ...ts, symmetry: sym }).distinct).toBe(10);
  });
});
