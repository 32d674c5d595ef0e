import { modelCitizen } from '../models/model-citizen/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { citizenCheckers, citizenParams, citizenTargets, HOLDS } from './citizen-common.ts';

export default defineScenario({
  name: 'citizen-lossy-links',
  doc: 'links lose 15% of messages, duplicate 15% and reorder 20%: deltas go missing, arrive twice and out of order',
  description:
    'Every link loses, duplicates and reorders messages. A lost delta is repaired only by anti-entropy; a ' +
    'duplicated one must be harmless (idempotent merge); a reordered one must not matter (commutative merge). ' +
    'The baseline applies whatever arrives last.',
  model: modelCitizen,
  params: citizenParams(),
  expect: {
    'as-written': { violates: ['no-resurrection', 'lost-updates'] },
    corrected: HOLDS,
    yjs: HOLDS,
    automerge: HOLDS,
    'crdt-wallclock': HOLDS,
    'bug:merge-not-idempotent': { violates: ['no-resurrection'] },
    'raft-tx': HOLDS,
    'ot-raft': HOLDS,
  },
  network: { default: { latency: { kind: 'lognormal', median: 5 * MS, sigma: 0.6, min: 500 }, loss: 0.15, duplicate: 0.15, reorder: 0.2 } },
  faults: {},
  targets: citizenTargets,
  checkers: citizenCheckers(),
  duration: 10 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
