import { modelCitizen } from '../models/model-citizen/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { citizenCheckers, citizenNet, citizenParams, citizenTargets, HOLDS } from './citizen-common.ts';

export default defineScenario({
  name: 'citizen-partition',
  doc: 'one context is cut off for 20 s while both sides keep editing; the partition heals as edits stop',
  description:
    'Context z2 is isolated from 2 s until the end of the workload (22 s), and both sides keep changing all ' +
    'four objects. The baseline has no handling of split brain: what was broadcast into the cut is gone, ' +
    'nothing is resent after the heal, and the replicas stay apart. The CRDT variants repair the gap with ' +
    'anti-entropy and converge.',
  model: modelCitizen,
  params: citizenParams(),
  expect: {
    'as-written': { violates: ['convergence', 'no-resurrection'] },
    corrected: HOLDS,
    yjs: HOLDS,
    automerge: HOLDS,
    'crdt-wallclock': HOLDS,
    'bug:forgot-tombstone': { violates: ['no-resurrection'] },
    'raft-tx': HOLDS,
    'ot-raft': HOLDS,
    'crdt-full-state': HOLDS,
    'bug:callback-before-commit': { violates: ['no-silent-merges', 'tx-atomic'] },
  },
  network: citizenNet,
  faults: { schedule: [{ at: 2 * SECOND, action: { kind: 'partition', shape: { shape: 'isolate', node: 'z2' } } }] },
  targets: citizenTargets,
  checkers: citizenCheckers(),
  duration: 22 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
