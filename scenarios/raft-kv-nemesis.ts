import { raftKv } from '../models/raft-kv/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { raftKvCheckers, raftKvParams } from './raft-kv-common.ts';

export default defineScenario({
  name: 'raft-kv-nemesis',
  doc: 'raft-kv: a swarm nemesis (crashes losing unsynced writes, partitions, pauses, clock skew and drift, lossy links)',
  description:
    'Five Raft servers, eight clients over a long-tailed network. A random nemesis first draws which fault ' +
    'kinds are on (swarm testing), then every 400 ms may crash a server (losing its unsynced writes), ' +
    'partition the servers (isolate, halves, bridge, majority ring), pause one, skew or drift its clock, ' +
    'clog links or make them lossy and duplicating. Corrected Raft must keep the log safe and the clients ' +
    'linearizable throughout; availability is what suffers.',
  model: raftKv,
  params: raftKvParams({ clients: 8 }),
  expect: { corrected: { holds: true } },
  network: { default: { latency: { kind: 'pareto', min: 500, alpha: 2.5, max: 60 * MS } } },
  faults: {
    nemesis: {
      interval: 400 * MS,
      rates: { partition: 0.3, crash: 0.3, pause: 0.15, skew: 0.1, drift: 0.1, clog: 0.1, degrade: 0.15 },
      duration: { min: 100 * MS, max: 1500 * MS },
      swarm: true,
      maxSkew: 2 * SECOND,
      degrade: { loss: 0.1, duplicate: 0.1, reorder: 0.3 },
    },
  },
  unsyncedLoss: 1,
  checkers: raftKvCheckers(),
  duration: 20 * SECOND,
  settle: 3 * SECOND,
  seeds: [1, 2, 3],
});
