import { modelCitizen } from '../models/model-citizen/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { citizenCheckers, citizenNet, citizenParams, citizenTargets, HOLDS } from './citizen-common.ts';

export default defineScenario({
  name: 'citizen-nemesis',
  doc: 'swarm nemesis over the contexts: partitions, crashes, pauses, skew, drift, clogs, lossy links',
  description:
    'A random nemesis first draws which fault kinds are on (swarm testing), then partitions, crashes, pauses, ' +
    'skews and drifts clocks, clogs links and makes them lossy and duplicating. Whatever it draws, a CRDT ' +
    'variant must converge once it heals, tell subscribers about every change, and lose no update.',
  model: modelCitizen,
  params: citizenParams(),
  expect: {
    corrected: HOLDS,
    yjs: HOLDS,
    automerge: HOLDS,
    'as-written': { violates: ['lost-updates'] },
    'raft-tx': HOLDS,
    'ot-raft': HOLDS,
  },
  network: citizenNet,
  faults: {
    nemesis: {
      interval: 500 * MS,
      rates: { partition: 0.3, crash: 0.2, pause: 0.2, skew: 0.2, drift: 0.1, clog: 0.2, degrade: 0.2 },
      duration: { min: 200 * MS, max: 3 * SECOND },
      swarm: true,
      maxSkew: 5 * SECOND,
      degrade: { loss: 0.2, duplicate: 0.2, reorder: 0.3 },
    },
  },
  unsyncedLoss: 1,
  targets: citizenTargets,
  checkers: citizenCheckers(),
  duration: 15 * SECOND,
  settle: 5 * SECOND,
  seeds: [1, 2, 3],
});
