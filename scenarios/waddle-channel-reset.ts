import { waddle } from '../models/waddle/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { internet, waddleChecks, waddleParams } from './waddle-common.ts';

const schedule: ScheduledFault[] = [4, 9].map((s) => ({ at: s * SECOND, action: { kind: 'crash', node: 'do0', for: 500 * MS } }));

export default defineScenario({
  name: 'waddle-channel-reset',
  doc: 'the channel DO is reset twice mid-conversation: messageSequence starts again from 0',
  description:
    'Four users chat in one channel; the host running the Durable Objects is reset twice (evicted and ' +
    'restarted: memory gone, storage kept). The as-written ChannelDurableObject initialises ' +
    '`messageSequence = 0` and only ever writes the counter to storage, never reads it back, so after ' +
    'each reset it hands out sequence numbers that are already taken; clients that reconnect also never ' +
    'receive what was posted while they were away. The corrected channel loads the counter in its ' +
    'constructor (blockConcurrencyWhile), stores each message with its sequence in the same ' +
    'transaction, and replays what a reconnecting client missed after the last sequence it saw.',
  model: waddle,
  params: waddleParams(),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['channel-sequence'] },
  },
  network: internet,
  faults: { schedule },
  checkers: waddleChecks(),
  duration: 14 * SECOND,
  settle: 6 * SECOND,
  seeds: [1, 2, 3],
});
