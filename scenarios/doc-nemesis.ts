import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { correctedHolds, docChecks, docNet, docParams, docSequencer } from './doc-common.ts';

export default defineScenario({
  name: 'doc-nemesis',
  doc: 'five replicas, six clients, a swarm nemesis (crashes, partitions, pauses, clogs, lossy links, drift)',
  description:
    'A random nemesis first draws which fault kinds are on (swarm testing), then every 700 ms may crash a ' +
    'replica with its unsynced writes lost, partition the replicas, pause one, clog its links, drift its ' +
    'clock or degrade the network, for 0.2 to 2 s each. The corrected design must stay a gapless, unique, ' +
    'linearizable sequencer that loses no acked op and converges after the heal.',
  model: docSequencer,
  params: docParams(),
  expect: {
    ...correctedHolds,
    'as-written': { violates: ['intention'] },
  },
  network: docNet,
  faults: {
    nemesis: {
      interval: 700 * MS,
      rates: { crash: 0.25, partition: 0.25, pause: 0.15, clog: 0.15, drift: 0.1, degrade: 0.15 },
      duration: { min: 200 * MS, max: 2 * SECOND },
      swarm: true,
    },
  },
  unsyncedLoss: 1,
  checkers: docChecks(),
  duration: 20 * SECOND,
  settle: 8 * SECOND,
  seeds: [1, 2, 3],
});
