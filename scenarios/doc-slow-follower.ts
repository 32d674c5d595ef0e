import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { correctedHolds, docChecks, docNet, docParams, docSequencer } from './doc-common.ts';

export default defineScenario({
  name: 'doc-slow-follower',
  doc: 'a follower cut off for 8 s falls behind Raft\'s snapshot and catches up by InstallSnapshot',
  description:
    's4 is isolated from 2 s to 10 s while six clients type; Raft snapshots the sequencer state every 50 ' +
    'entries and drops the log before it, so when s4 returns the leader no longer has the entries it ' +
    'misses and sends InstallSnapshot: the sequencer state (document, op log after lastIncludedSeq, ' +
    'dedup table) must come back whole. s4 then ends with the same document as everyone.',
  model: docSequencer,
  params: docParams({ raftSnapshotEvery: 50 }),
  expect: {
    ...correctedHolds,
    'as-written': { violates: ['intention'] },
  },
  network: docNet,
  faults: { schedule: [{ at: 2 * SECOND, action: { kind: 'partition', shape: { shape: 'isolate', node: 's4' }, for: 8 * SECOND } }] },
  checkers: docChecks(),
  duration: 13 * SECOND,
  settle: 5 * SECOND,
  seeds: [1, 2, 3],
});
