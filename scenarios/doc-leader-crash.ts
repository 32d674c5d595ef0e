import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { correctedHolds, docChecks, docNet, docParams, docSequencer } from './doc-common.ts';

export default defineScenario({
  name: 'doc-leader-crash',
  doc: 'five sequencer replicas, six clients typing a burst; the leader crashes mid-burst and comes back',
  description:
    'Six clients type fast (an edit every 20-150 ms each) into one document on a five-replica Raft sequencer ' +
    'that s0 leads (the others start 1 s later). At 4 s, mid-burst, s0 crashes with its unsynced writes lost ' +
    'and stays down 3 s: ops it had appended but not committed are in some followers\' logs, acks and ' +
    'broadcasts are lost, and clients must find the new leader and retry. As written, the leader numbers ' +
    'ops on arrival from its own counter, so the new leader reuses numbers its predecessor gave to entries ' +
    'that still commit, and its in-memory dedup table starts empty; corrected numbers ops at apply and ' +
    'keeps the dedup table in the replicated state.',
  model: docSequencer,
  params: docParams({ think: { min: 20 * MS, max: 150 * MS } }),
  expect: {
    ...correctedHolds,
    'as-written': { violates: ['sequencer'] },
    'bug:ack-before-commit': { violates: ['sequencer'] },
  },
  network: docNet,
  faults: { schedule: [{ at: 4 * SECOND, action: { kind: 'crash', node: 's0', for: 3 * SECOND } }] },
  unsyncedLoss: 1,
  checkers: docChecks(),
  duration: 10 * SECOND,
  settle: 5 * SECOND,
  seeds: [1, 2, 3],
});
