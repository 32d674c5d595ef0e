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
    workload: { mix: { write: 1, read: 1 }, keys: 2, think: { min: 50 * MS, max: 400 * MS } },
    raft: { electionTimeout: { min: 150 * MS, max: 300 * MS }, heartbeat: 50 * MS, snapshotEvery: 0, maxBatch: 1, noopOnElection: false },
  }),
  expect: { corrected: { holds: true } },
  network: raftLan,
  faults: {
    nemesis: {
      interval: 200 * MS,
      rates: { crash: 0.2, partition: 0.6 },
      duration: { min: 100 * MS, max: 700 * MS },
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
  seeds: [1, 2, 3],
});
