import { modelCitizen } from '../models/model-citizen/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { citizenCheckers, citizenNet, citizenParams, citizenTargets, HOLDS } from './citizen-common.ts';

export default defineScenario({
  name: 'citizen-concurrent-key',
  doc: 'three contexts edit the same ZenValue key, ZenTable key, ZenSeq and ZenSet at once, no faults',
  description:
    'Three contexts change one table key, one value, one small set and one sequence every few milliseconds, ' +
    'faster than messages cross. The fire-and-forget baseline clobbers: a receiver replaces its copy with ' +
    'the last message applied, so concurrent changes overwrite each other and replicas end different. ' +
    'The CRDT variants merge and converge; LWW drops one of two concurrent writes and the OR-Set keeps an add ' +
    'over a concurrent remove, reported as findings.',
  model: modelCitizen,
  params: citizenParams({ mix: { write: 6, put: 2, remove: 1, insert: 2, delete: 1, add: 2, discard: 1 }, think: { min: 2 * MS, max: 30 * MS }, tableKeys: 1, setElements: 2 }),
  expect: {
    'as-written': { violates: ['no-resurrection', 'lost-updates'] },
    corrected: HOLDS,
    yjs: HOLDS,
    automerge: HOLDS,
    'crdt-wallclock': HOLDS,
    'bug:merge-not-idempotent': { violates: ['no-resurrection'] },
    'bug:vc-concurrent-ordered': { violates: ['no-resurrection'] },
    'bug:forgot-tombstone': { violates: ['no-resurrection'] },
    'raft-tx': HOLDS,
    'ot-raft': HOLDS,
    'bug:callback-before-commit': { violates: ['no-silent-merges', 'tx-atomic'] },
    'bug:partial-abort': { violates: ['linearizable', 'tx-atomic'] },
    'bug:ot-no-transform': { violates: ['intention'] },
  },
  network: citizenNet,
  faults: {},
  targets: citizenTargets,
  checkers: citizenCheckers(),
  duration: 5 * SECOND,
  settle: 3 * SECOND,
  seeds: [1, 2, 3],
});
