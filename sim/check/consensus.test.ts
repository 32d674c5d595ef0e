import { describe, expect, it } from 'vitest';
import { consensus } from './consensus.ts';
import { checkerByName } from './registry.ts';
import type { Probe } from './types.ts';
import type { Value } from '../value.ts';

let t = 0;
const probe = (node: string, name: string, detail: Value, ok = true): Probe => ({ name: `raft.${name}`, node, time: t++, ok, detail });
const leader = (node: string, term: number, lastIndex = 0, runs: [number, number][] = [], base = 0, baseTerm = 0) =>
  probe(node, 'leader', { term, lastIndex, base, baseTerm, runs });
const apply = (node: string, index: number, term: number, digest: number, nodeTerm = term, chain = digest * 31 + index) =>
  probe(node, 'apply', { index, term, digest, chain, nodeTerm });

const run = (probes: Probe[]) => consensus().check({ history: [], finalStates: new Map(), probes, budget: { steps: 1 } });
const properties = (probes: Probe[]) => {
  const r = run(probes);
  return r.verdict === 'ok' ? [] : ((r.evidence as { violations: { property: string }[] }).violations.map((v) => v.property));
};

describe('consensus checker', () => {
  it('accepts a clean history: one leader per term, equal applies, later leaders hold what was applied', () => {
    const ps = [
      leader('a', 1),
      apply('a', 1, 1, 10),
      apply('b', 1, 1, 10),
      apply('a', 2, 1, 11),
      leader('b', 2, 2, [[1, 1]]),
      apply('b', 3, 2, 12),
      apply('a', 3, 2, 12),
      // a restart re-applies the same entry: not a violation
      apply('a', 1, 1, 10, 2),
    ];
    expect(run(ps).verdict).toBe('ok');
    expect(checkerByName('consensus').check({ history: [], finalStates: new Map(), probes: ps, budget: { steps: 1 } }).verdict).toBe('ok');
  });

  it('election safety: two nodes leading one term', () => {
    expect(properties([leader('a', 3), leader('b', 3)])).toEqual(['election-safety']);
    // the same node probing twice in a term is one leader
    expect(properties([leader('a', 3), leader('a', 3)])).toEqual([]);
  });

  it('state-machine safety: different entries applied at one index', () => {
    expect(properties([apply('a', 5, 2, 100), apply('b', 5, 2, 101)])).toContain('state-machine-safety');
    expect(properties([apply('a', 5, 2, 100), apply('b', 5, 3, 100)])).toContain('state-machine-safety');
  });

  it('log matching: same index and term but a different log before it', () => {
    expect(properties([apply('a', 5, 2, 100, 2, 7), apply('b', 5, 2, 100, 2, 8)])).toEqual(['log-matching']);
  });

  it('leader completeness: a later leader lacks an applied entry or has another term there', () => {
    // applied at index 4 (term 2) by a node in term 2; the leader of term 3 ends at index 3
    expect(properties([apply('a', 4, 2, 9), leader('b', 3, 3, [[1, 2]])])).toEqual(['leader-completeness']);
    // the leader of term 3 has term 1 at index 4
    expect(properties([apply('a', 4, 2, 9), leader('b', 3, 5, [[1, 1], [5, 3]])])).toEqual(['leader-completeness']);
    // a leader of the same term as the applying node is not required to (it may have won earlier)
    expect(properties([apply('a', 4, 2, 9), leader('b', 2, 3, [[1, 2]])])).toEqual([]);
    // entries inside the leader's snapshot are not looked up
    expect(properties([apply('a', 4, 2, 9), leader('b', 3, 4, [], 4, 2)])).toEqual([]);
    expect(properties([apply('a', 4, 2, 9), leader('b', 3, 6, [[5, 3]], 4, 2)])).toEqual([]);
  });

  it('a failed raft.* probe is a self-reported violation; other prefixes are ignored', () => {
    expect(properties([probe('a', 'truncate-committed', { index: 3 }, false)])).toEqual(['self-reported']);
    expect(run([{ name: 'other.x', node: 'a', time: 0, ok: false, detail: null }]).verdict).toBe('ok');
    expect(consensus({ prefix: 'seq.' }).check({ history: [], finalStates: new Map(), probes: [{ name: 'seq.leader', node: 'a', time: 0, ok: true, detail: { term: 1 } }, { name: 'seq.leader', node: 'b', time: 1, ok: true, detail: { term: 1 } }], budget: { steps: 1 } }).verdict).toBe('violation');
  });
});
