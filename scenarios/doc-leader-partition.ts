import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { correctedHolds, docChecks, docNet, docParams, docSequencer } from './doc-common.ts';

export default defineScenario({
  name: 'doc-leader-partition',
  doc: 'the leader is cut off with two clients; the majority elects another and four clients go on typing',
  description:
    'From 3 s to 8 s the network splits into {s0, c0, c1} and {s1..s4, c2..c5}. s0, the leader, keeps taking ' +
    'ops from c0 and c1 but cannot commit them; the majority elects a new leader and serves the other four. ' +
    'After the heal s0 steps down, its uncommitted entries are overwritten, and c0 and c1 must retry their ' +
    'in-flight ops (same opIds) on the new leader and converge. As written, the in-flight queue sends every ' +
    'edit at once with the same clientBaseSeq, so the server transforms an op against its own predecessor.',
  model: docSequencer,
  params: docParams(),
  expect: {
    ...correctedHolds,
    'as-written': { violates: ['intention'] },
    'bug:skip-rebase': { violates: ['intention'] },
  },
  network: docNet,
  faults: {
    schedule: [{ at: 3 * SECOND, action: { kind: 'partition', shape: { shape: 'groups', groups: [['s0', 'c0', 'c1'], ['s1', 's2', 's3', 's4', 'c2', 'c3', 'c4', 'c5']] }, for: 5 * SECOND } }],
  },
  checkers: docChecks(),
  duration: 11 * SECOND,
  settle: 5 * SECOND,
  seeds: [1, 2, 3],
});
