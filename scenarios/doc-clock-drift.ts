import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { correctedHolds, docChecks, docNet, docParams, docSequencer } from './doc-common.ts';

export default defineScenario({
  name: 'doc-clock-drift',
  doc: 'a follower\'s clock runs three times fast for 8 s: early election timeouts, leader churn',
  description:
    'From 2 s to 10 s s2\'s clock runs at three times real speed, so its election timeout (150-300 ms on ' +
    'its own clock) can expire between two heartbeats of the leader, and it starts elections that depose ' +
    'the leader, over and over. Every leader change loses acks and broadcasts in flight and sends clients ' +
    'looking for the new leader; serverSeq must stay gapless and unique and no acked op may be lost.',
  model: docSequencer,
  params: docParams(),
  expect: {
    ...correctedHolds,
    'as-written': { violates: ['intention'] },
  },
  network: docNet,
  faults: { schedule: [{ at: 2 * SECOND, action: { kind: 'drift', node: 's2', rate: 2, for: 8 * SECOND } }] },
  checkers: docChecks(),
  duration: 12 * SECOND,
  settle: 5 * SECOND,
  seeds: [1, 2, 3],
});
