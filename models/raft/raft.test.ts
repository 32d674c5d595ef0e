import { describe, expect, it } from 'vitest';
import { consensus } from '../../sim/check/consensus.ts';
import type { CheckResult } from '../../sim/check/types.ts';
import { MS } from '../../sim/value.ts';
import type { RaftBug } from './api.ts';
import { TestCluster } from './cluster.test-helper.ts';

const FIVE = ['s1', 's2', 's3', 's4', 's5'];
const THREE = ['s1', 's2', 's3'];
const base = { electionTimeout: { min: 1000 * MS, max: 2000 * MS }, heartbeat: 50 * MS, snapshotEvery: 0 };

const check = (c: TestCluster): CheckResult => consensus().check({ history: [], finalStates: new Map(), probes: c.probes, budget: { steps: 1 } });

describe('raft: elections (5.2, 5.4.1)', () => {
  it('a node that times out wins with a majority and the others follow it', () => {
    const c = new TestCluster(FIVE, base);
    c.timeout('s2');
    c.runFor(20 * MS);
    expect(c.leaders()).toEqual(['s2']);
    for (const id of FIVE) expect(c.raft(id).term).toBe(1);
    for (const id of FIVE) expect(c.raft(id).leaderHint).toBe('s2');
    expect(check(c).verdict).toBe('ok');
  });

  it('random timeouts elect exactly one leader per term on their own', () => {
    const c = new TestCluster(FIVE, { ...base, electionTimeout: { min: 150 * MS, max: 300 * MS } }, { seed: 7 });
    c.runFor(3000 * MS);
    expect(c.leaders()).toHaveLength(1);
    expect(check(c).verdict).toBe('ok');
  });

  it('a node whose host has not called start() yet neither votes nor follows', () => {
    const c = new TestCluster(THREE, base, { notStarted: ['s3'] });
    c.timeout('s1');
    c.runFor(20 * MS);
    expect(c.leaders()).toEqual(['s1']);
    expect(c.raft('s3').term).toBe(0);
    expect(c.raft('s3').leaderHint).toBeUndefined();
  });

  it('a candidate with a shorter log of the same term is refused (the up-to-date check)', () => {
    const c = new TestCluster(THREE, base);
    c.timeout('s1');
    c.runFor(20 * MS);
    c.isolate('s3');
    c.raft('s1').propose('a');
    c.runFor(20 * MS);
    c.isolate('s1');
    c.connect('s3', ['s2']);
    c.timeout('s3');
    c.runFor(20 * MS);
    expect(c.raft('s3').role).toBe('candidate');
    // s2 has s3's vote request but refused; s2 itself can win.
    c.timeout('s2');
    c.runFor(20 * MS);
    expect(c.raft('s2').role).toBe('leader');
  });
});

describe('raft: replication and commitment (5.3, 5.4.2)', () => {
  it('a proposal commits on a majority and every node applies it in order', () => {
    const c = new TestCluster(FIVE, base);
    c.timeout('s1');
    c.runFor(20 * MS);
    for (const x of ['a', 'b', 'c']) expect(c.raft('s1').propose(x).ok).toBe(true);
    c.runFor(200 * MS);
    for (const id of FIVE) expect(c.node(id).sm.applied).toEqual(['a', 'b', 'c']);
    expect(c.raft('s2').propose('x')).toEqual({ ok: false, leader: 's1' });
    expect(check(c).verdict).toBe('ok');
  });

  it('a minority cannot commit; a follower with conflicting entries is truncated to the leader', () => {
    const c = new TestCluster(FIVE, base);
    c.timeout('s1');
    c.runFor(20 * MS);
    c.isolate('s1');
    c.raft('s1').propose('lost');
    c.runFor(100 * MS);
    expect(c.raft('s1').commitIndex).toBe(1);
    c.timeout('s2');
    c.runFor(20 * MS);
    c.raft('s2').propose('kept');
    c.runFor(100 * MS);
    c.healAll();
    c.runFor(200 * MS);
    for (const id of FIVE) expect(c.node(id).sm.applied).toEqual(['kept']);
    expect(check(c).verdict).toBe('ok');
  });
});

/**
 * The paper's Figure 8, scripted with the election no-op off (the no-op is what usually hides
 * it): s1 replicates an entry of term 1 to a majority while leading term 3; counting replicas
 * commits it, then s5, whose index 2 holds an entry of term 2, wins term 4 and overwrites it.
 */
/** Times `id` out until it wins (a term may already have its votes given to another). */
function campaign(c: TestCluster, id: string): void {
  for (let i = 0; i < 3 && c.raft(id).role !== 'leader'; i++) {
    c.timeout(id);
    c.runFor(20 * MS);
  }
  expect(c.raft(id).role).toBe('leader');
}

function figure8(bugs: readonly RaftBug[]): TestCluster {
  const c = new TestCluster(FIVE, { ...base, noopOnElection: false, bugs });
  c.timeout('s1'); // term 1
  c.runFor(20 * MS);
  c.raft('s1').propose('x1');
  c.runFor(100 * MS);
  c.isolate('s1', ['s3', 's4', 's5']);
  c.raft('s1').propose('x2'); // index 2, term 1: reaches s2 only
  c.runFor(20 * MS);
  c.crash('s1');
  c.isolate('s2', ['s5']);
  c.timeout('s5'); // term 2, with s3 and s4
  c.runFor(20 * MS);
  expect(c.raft('s5').role).toBe('leader');
  c.isolate('s5');
  c.raft('s5').propose('y'); // index 2, term 2, on s5 alone
  c.runFor(20 * MS);
  c.crash('s5');
  c.restart('s1');
  c.healAll();
  c.isolate('s5');
  c.isolate('s1', ['s4']);
  campaign(c, 's1'); // term 3, with s2 and s3 (term 2 is taken: they voted for s5)
  expect(c.raft('s1').term).toBe(3);
  c.runFor(200 * MS);
  c.crash('s1');
  c.restart('s5');
  c.healAll();
  c.isolate('s1');
  campaign(c, 's5'); // term 4: its last term 2 beats the others' 1
  expect(c.raft('s5').term).toBe(4);
  c.raft('s5').propose('z');
  c.runFor(200 * MS);
  return c;
}

describe('raft: Figure 8 (5.4.2)', () => {
  it('the corrected rule never commits the old-term entry, so overwriting it is safe', () => {
    const c = figure8([]);
    expect(c.node('s2').sm.applied).toEqual(['x1', 'y', 'z']);
    expect(check(c).verdict).toBe('ok');
  });

  it('commit-old-term commits and applies it, and the consensus checker sees the overwrite', () => {
    const c = figure8(['commit-old-term']);
    const r = check(c);
    expect(r.verdict).toBe('violation');
    expect(JSON.stringify(r.evidence)).toContain('state-machine-safety');
    expect(JSON.stringify(r.evidence)).toContain('leader-completeness');
  });
});

describe('raft: snapshots and InstallSnapshot (7)', () => {
  it('a follower that missed compacted entries is brought up by InstallSnapshot', () => {
    const c = new TestCluster(THREE, { ...base, snapshotEvery: 5 });
    c.timeout('s1');
    c.runFor(20 * MS);
    c.isolate('s3');
    for (let i = 0; i < 12; i++) c.raft('s1').propose(`v${i}`);
    c.runFor(200 * MS);
    expect(c.probes.some((p) => p.name === 'raft.snapshot' && p.node === 's1')).toBe(true);
    c.healAll();
    c.runFor(300 * MS);
    expect(c.probes.some((p) => p.name === 'raft.snapshot' && p.node === 's3' && (p.detail as { installed: boolean }).installed)).toBe(true);
    const want = Array.from({ length: 12 }, (_, i) => `v${i}`);
    for (const id of THREE) expect(c.node(id).sm.applied).toEqual(want);
    expect(c.raft('s3').lastApplied).toBe(c.raft('s1').lastApplied);
    expect(check(c).verdict).toBe('ok');
  });
});

describe('raft: restart from storage (5.1, 7)', () => {
  it('a restarted node keeps term, vote, snapshot and log, and catches up', () => {
    const c = new TestCluster(THREE, { ...base, snapshotEvery: 4 });
    c.timeout('s1');
    c.runFor(20 * MS);
    for (let i = 0; i < 6; i++) c.raft('s1').propose(i);
    c.runFor(200 * MS);
    const term = c.raft('s2').term;
    c.crash('s2');
    c.restart('s2');
    // Restored from the snapshot (index 4: the no-op and three commands) plus the log after it.
    expect(c.raft('s2').term).toBe(term);
    expect(c.node('s2').sm.applied).toEqual([0, 1, 2]);
    c.runFor(200 * MS);
    expect(c.node('s2').sm.applied).toEqual([0, 1, 2, 3, 4, 5]);
    // The vote survived: a candidate of the same term is refused.
    c.crash('s1');
    c.crash('s3');
    c.restart('s3');
    expect(c.raft('s3').term).toBe(term);
    expect(check(c).verdict).toBe('ok');
  });

  it('forget-voted-for lets a restarted voter vote twice in one term', () => {
    for (const bugs of [[], ['forget-voted-for']] as const) {
      // No election no-op, so s3's empty log is as up to date as s2's.
      const c = new TestCluster(THREE, { ...base, bugs, noopOnElection: false });
      c.isolate('s1', ['s3']);
      c.isolate('s3', ['s1']);
      c.timeout('s1'); // term 1: s2 votes for s1
      c.runFor(20 * MS);
      c.crash('s2');
      c.restart('s2');
      c.connect('s3', ['s2']);
      // s3 campaigns in the same term 1 (its clock jumps, its term is still 0).
      c.timeout('s3');
      c.runFor(20 * MS);
      const leadersOfTerm1 = c.probes.filter((p) => p.name === 'raft.leader' && (p.detail as { term: number }).term === 1).length;
      expect(leadersOfTerm1).toBe(bugs.length === 0 ? 1 : 2);
      expect(check(c).verdict).toBe(bugs.length === 0 ? 'ok' : 'violation');
    }
  });
});

describe('raft: determinism', () => {
  it('the same seed gives the same cluster, a different seed a different one', () => {
    const run = (seed: number) => {
      const c = new TestCluster(FIVE, { ...base, electionTimeout: { min: 150 * MS, max: 300 * MS } }, { seed });
      c.runFor(2000 * MS);
      return c.probes.map((p) => `${p.time}:${p.node}:${p.name}:${JSON.stringify(p.detail)}`).join('\n');
    };
    expect(run(3)).toBe(run(3));
    expect(run(3)).not.toBe(run(4));
  });
});
