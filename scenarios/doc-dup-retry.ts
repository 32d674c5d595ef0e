import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { correctedHolds, docChecks, docNet, docParams, docSequencer } from './doc-common.ts';

export default defineScenario({
  name: 'doc-dup-retry',
  doc: 'a network that loses and duplicates messages, and a leader crash: retries with the same opId across failover',
  description:
    'From 1 s to 12 s a fifth of all messages are lost and a quarter delivered twice, so acks are lost, ' +
    'clients retry with the same opId and duplicates reach the leader; at 5 s the leader crashes for 3 s. ' +
    'A retry of an op that committed under the old leader reaches the new one. As written, the dedup ' +
    'table lives in the leader\'s memory, so the new leader takes the retry for a new op: it is sequenced ' +
    'twice (and with OT, applied twice). Corrected keeps the table in the replicated state.',
  model: docSequencer,
  params: docParams(),
  expect: {
    ...correctedHolds,
    'as-written': { violates: ['sequencer'] },
    'as-written/yjs': { violates: ['sequencer'] },
  },
  network: docNet,
  faults: {
    schedule: [
      { at: 1 * SECOND, action: { kind: 'degrade', loss: 0.2, duplicate: 0.25, for: 11 * SECOND } },
      { at: 5 * SECOND, action: { kind: 'crash', node: 's0', for: 3 * SECOND } },
    ],
  },
  checkers: docChecks(),
  duration: 14 * SECOND,
  settle: 6 * SECOND,
  seeds: [1, 2, 3],
});
