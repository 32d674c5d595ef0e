import { raftKv } from '../models/raft-kv/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS } from '../sim/value.ts';
import { raftKvCheckers, raftKvParams } from './raft-kv-common.ts';

/**
 * Raft small enough to explore (`faultline explore raft-kv-explore --strategy random|dfs`,
 * issue 17 item 4): three servers, one client writing one key, fixed 1 ms hops, fixed think
 * time, election timeouts of 150 or 151 ms (a two-way draw, not a range; clock drift decides
 * who times out first), and a short horizon with a bounded fault: one power loss of all three
 * servers (three crashes) that loses every unsynced write. The draws left are the election
 * timeouts, the client's first server and the order of same-instant events.
 */
export default defineScenario({
  name: 'raft-kv-explore',
  doc: 'raft-kv: 3 servers, 1 client, one power loss, 1 s: small enough to explore',
  description:
    'Three Raft servers and one client that writes one key every 20 ms, over fixed 1 ms hops; s0 leads ' +
    '(its clock is the fastest); at 300 ms all three lose power and come back with what they had synced, ' +
    'the two followers first. A follower that answers AppendEntries before syncing (bug:reply-before-sync) ' +
    'comes back without entries the leader counted as committed; the two elect one of them, and its new ' +
    'entries overwrite the committed ones when s0 returns.',
  model: raftKv,
  params: raftKvParams({
    servers: 3,
    clients: 1,
    workload: { mix: { write: 1 }, keys: 1, think: { min: 20 * MS, max: 20 * MS } },
    timeout: 200 * MS,
    retries: 2,
    raft: { electionTimeout: { min: 150 * MS, max: 151 * MS }, heartbeat: 50 * MS, snapshotEvery: 1000, maxBatch: 16 },
  }),
  expect: {
    corrected: { holds: true },
    'bug:reply-before-sync': { violates: ['consensus'] },
  },
  network: { default: { latency: { kind: 'fixed', us: 1 * MS } } },
  // s0's clock runs 10% fast and s2's 5% slow, so s0 times out first and leads; at 300 ms all three
  // lose power, s1 and s2 for 100 ms and s0 for 400 ms: s1 and s2 elect a leader between them from
  // what they had synced, and s0 comes back to follow it.
  faults: {
    schedule: [
      { at: 0, action: { kind: 'drift' as const, node: 's0', rate: 0.1 } },
      { at: 0, action: { kind: 'drift' as const, node: 's2', rate: -0.05 } },
      { at: 300 * MS, action: { kind: 'crash' as const, node: 's0', for: 400 * MS } },
      { at: 300 * MS, action: { kind: 'crash' as const, node: 's1', for: 100 * MS } },
      { at: 300 * MS, action: { kind: 'crash' as const, node: 's2', for: 100 * MS } },
    ],
  },
  unsyncedLoss: 1,
  checkers: raftKvCheckers(),
  duration: 1200 * MS,
  settle: 300 * MS,
  seeds: [1, 2, 3],
});
