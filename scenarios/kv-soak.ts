import { kvAuthority } from '../models/kv-authority/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { allFaultRates, kvParams, longTail } from './kv-common.ts';

export default defineScenario({
  name: 'kv-soak',
  doc: 'five shards, fifty clients at human pace, ten simulated minutes of random faults',
  description:
    'The kv-nemesis cluster (five shard servers, fifty clients, a long-tailed network) at the pace of a ' +
    'realtime app: each client acts every 0.5 to 3 s. Ten simulated minutes of overlapping partitions, ' +
    'crashes with lost unsynced writes, pauses, skew, drift, clogs and lossy links, with swarm testing ' +
    'choosing which kinds are on. Long simulated time is the point: slow leaks of state, faults that ' +
    'only matter minutes apart. This is also the scenario the kernel benchmark reports simulated ' +
    'seconds per wall second on.',
  model: kvAuthority,
  params: kvParams({
    servers: 5,
    clients: 50,
    workload: { mix: { read: 2, write: 1, cas: 1 }, keys: 50, think: { min: 500 * MS, max: 3 * SECOND } },
    timeout: 300 * MS,
    retries: 3,
  }),
  expect: { corrected: { holds: true } },
  network: longTail,
  faults: {
    nemesis: {
      interval: 3 * SECOND,
      rates: allFaultRates,
      duration: { min: 200 * MS, max: 5 * SECOND },
      swarm: true,
    },
  },
  unsyncedLoss: 1,
  checkers: [linearizable({ model: 'register' })],
  duration: 600 * SECOND,
  settle: 5 * SECOND,
  seeds: [1, 2, 3],
});
