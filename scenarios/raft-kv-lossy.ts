import { raftKv } from '../models/raft-kv/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { raftKvCheckers, raftKvParams } from './raft-kv-common.ts';

export default defineScenario({
  name: 'raft-kv-lossy',
  doc: 'raft-kv: a network that loses 10%, duplicates 10% and reorders 30% of messages',
  description:
    'Five Raft servers, six clients, no crashes or partitions, but every link loses, duplicates and ' +
    'reorders messages. Lost heartbeats start elections; duplicated and reordered AppendEntries and ' +
    'replies reach the leader and followers out of date; clients time out and retry, so the state ' +
    'machine sees retried commands twice and must answer them from its dedup table.',
  model: raftKv,
  params: raftKvParams({ timeout: 100 * MS }),
  expect: { corrected: { holds: true } },
  network: {
    default: { latency: { kind: 'lognormal', median: 2 * MS, sigma: 0.8, min: 300 }, loss: 0.1, duplicate: 0.1, reorder: 0.3 },
  },
  faults: {},
  checkers: raftKvCheckers(),
  duration: 15 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
