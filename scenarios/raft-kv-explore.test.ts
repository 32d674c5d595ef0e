import { describe, expect, it } from 'vitest';
import { exploreExit, exploreScenario } from '../sim/explore/explore.ts';
import { runScenario } from '../sim/run.ts';
import raftKvExplore from './raft-kv-explore.ts';

// Raft's fingerprint is partial (models/raft/node.ts: not the log's entries, nextIndex, votes,
// timers), so pruning on raft-kv would not be sound: these searches run with prune: false.
describe('raft-kv-explore: 3 servers, one power loss, explored', () => {
  it('bfs finds bug:reply-before-sync in the quietest run, and its counterexample replays', () => {
    const r = exploreScenario(raftKvExplore, { variant: 'bug:reply-before-sync', strategy: 'bfs', prune: false });
    expect(r.outcome).toBe('found');
    expect(r.runs).toBe(1);
    expect(r.nonZeroChoices).toBe(0);
    expect(r.found?.checks.find((c) => c.name === 'consensus')?.verdict).toBe('violation');
    expect(exploreExit(r, false)).toBe(0);
    const again = runScenario(raftKvExplore, { seed: 0, variant: 'bug:reply-before-sync', replay: r.found?.choices ?? [] });
    expect(again.traceHash).toBe(r.found?.traceHash);
    expect(again.checks.find((c) => c.name === 'consensus')?.verdict).toBe('violation');
  }, 30_000);

  it('corrected: a bounded dfs finds no violation and says it was cut off (no proof)', () => {
    const r = exploreScenario(raftKvExplore, { variant: 'corrected', strategy: 'dfs', prune: false, maxRuns: 8 });
    expect(r.found).toBeUndefined();
    expect(r.outcome).toBe('cut-off');
    expect(r.pruning).toMatch(/^off/);
    expect(exploreExit(r, true)).toBe(2);
  }, 30_000);
});
