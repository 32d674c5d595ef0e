import { raftKv } from '../models/raft-kv/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { raftKvCheckers, raftKvParams, raftLan } from './raft-kv-common.ts';

export default defineScenario({
  name: 'raft-kv-figure8',
  doc: 'raft-kv: leaders change often while few clients write, the setting of the paper\'s Figure 8',
  description:
    'Three Raft servers without the election no-op, four clients, and a nemesis that crashes servers and ' +
    'splits them one against two every 200 ms (clients still reach both sides). Leaders come and go leaving entries of their terms on a few ' +
    'servers; a later leader finishes replicating an entry of an earlier term before any entry of its ' +
    'own term. Counting replicas then commits it (the paper\'s Figure 8), and a server holding another ' +
    'entry at that index, of a later term, can still win an election and overwrite it.',
  model: raftKv,
  params: raftKvParams({
    servers: 3,
    clients: 4,
    workload: { mix: { write: 1, read: 1 }, keys: 2, think: { min: 50 * MS, max: 300 * MS } },
    // Clients wait long before trying another server, so a new leader often has no entry of
    // its own term for a while: the window in which counting replicas commits an old entry.
    timeout: 1 * SECOND,
    retries: 10,
    raft: { electionTimeout: { min: 150 * MS, max: 300 * MS }, heartbeat: 50 * MS, snapshotEvery: 0, maxBatch: 1, noopOnElection: false },
  }),
  expect: { corrected: { holds: true }, 'bug:commit-old-term': { violates: ['consensus'] } },
  network: raftLan,
  faults: {
    nemesis: {
      interval: 100 * MS,
      rates: { partition: 0.7 },
      duration: { min: 50 * MS, max: 400 * MS },
      // Halves of three servers: one server alone, still reachable by clients (a partition
      // shape cuts only the nodes it names), so a leader there keeps appending entries no other
      // server has: the raw material of Figure 8.
      shapes: ['halves'],
    },
  },
  unsyncedLoss: 0,
  checkers: raftKvCheckers(),
  duration: 20 * SECOND,
  settle: 3 * SECOND,
  // commit-old-term needs a rare schedule: seeds 1..40 caught it on 2, 13 and 15, the fixed seeds.
  seeds: [2, 13, 15],
});
