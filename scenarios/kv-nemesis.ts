import { kvAuthority } from '../models/kv-authority/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { allFaultRates, kvParams, longTail } from './kv-common.ts';

export default defineScenario({
  name: 'kv-nemesis',
  doc: 'five shards, fifty clients, a random nemesis (partitions, crashes, pauses, skew, clogs, lossy links)',
  description:
    'Five shard servers and fifty clients over a long-tailed network. A random nemesis draws, per run, ' +
    'which fault kinds are on (swarm testing), then injects overlapping partitions, crashes with lost ' +
    'unsynced writes, stop-the-world pauses, clock skew and drift, clogged links and lossy, duplicating ' +
    'links. The corrected design must stay linearizable through all of it; availability is what suffers.',
  model: kvAuthority,
  params: kvParams({
    servers: 5,
    clients: 50,
    workload: { mix: { read: 2, write: 1, cas: 1 }, keys: 50, think: { min: 20 * MS, max: 200 * MS } },
    timeout: 150 * MS,
    retries: 3,
  }),
  expect: { corrected: { holds: true }, 'bug:ack-before-sync': { violates: ['linearizable'] } },
  network: longTail,
  faults: {
    nemesis: {
      interval: 500 * MS,
      rates: allFaultRates,
      duration: { min: 100 * MS, max: 1500 * MS },
      swarm: false,
    },
  },
  unsyncedLoss: 1,
  checkers: [linearizable({ model: 'register' })],
  duration: 30 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
