import { modelCitizen } from '../models/model-citizen/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { citizenCheckers, citizenNet, citizenParams, citizenTargets, HOLDS } from './citizen-common.ts';

/** z1 crashes every 2 s and is down 800 ms each time; it restarts from what it synced. */
const crashes: ScheduledFault[] = Array.from({ length: 4 }, (_, i) => ({ at: (i + 1) * 2 * SECOND + 300 * MS, action: { kind: 'crash', node: 'z1', for: 800 * MS } }));

export default defineScenario({
  name: 'citizen-crash-restart',
  doc: 'one context crashes four times and restarts from durable storage, missing what was broadcast while it was down',
  description:
    'Context z1 crashes four times for 800 ms. Every context syncs its objects to storage after each change, ' +
    'so nothing it acknowledged is lost locally; but what the others broadcast while it was down never ' +
    'reaches it in the baseline. The CRDT variants catch up by anti-entropy; subscribers that rejoin start ' +
    'from the restored contents.',
  model: modelCitizen,
  params: citizenParams(),
  expect: {
    'as-written': { violates: ['no-resurrection', 'lost-updates'] },
    corrected: HOLDS,
    yjs: HOLDS,
    automerge: HOLDS,
    'crdt-wallclock': HOLDS,
    'raft-tx': HOLDS,
    'ot-raft': HOLDS,
  },
  network: citizenNet,
  faults: { schedule: crashes },
  unsyncedLoss: 1,
  targets: citizenTargets,
  checkers: citizenCheckers(),
  duration: 10 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
