import { servedAfterHeal } from '../models/durable-object/checks.ts';
import { waddle } from '../models/waddle/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { internet, waddleChecks, waddleParams } from './waddle-common.ts';

const clients = ['c0', 'c1', 'c2', 'c3'];
const start = 5 * SECOND;
const length = 60 * SECOND;
const schedule: ScheduledFault[] = [
  { at: start, action: { kind: 'partition', shape: { shape: 'groups', groups: [clients, ['worker', 'do0']] }, for: length } },
];

export default defineScenario({
  name: 'waddle-long-partition',
  doc: 'clients lose the service for a minute: the 5-attempt reconnect cap gives up for good',
  description:
    'All four clients are cut off from the Worker and the Durable Objects for 60 s (a long outage on ' +
    'the client side). The as-written WaddleWebSocket retries after 1, 2, 4, 8 and 16 s and then logs ' +
    '"Max reconnection attempts reached" and stops: when the network heals, no client reconnects, so ' +
    'none is served again in real time (presence, typing, channel messages). The corrected client ' +
    'keeps retrying with the same exponential backoff, capped at the document\'s 30 s, and must be ' +
    'back within 40 s of the heal.',
  model: waddle,
  params: waddleParams({ mix: { post: 1, typing: 2 }, think: { min: 1 * SECOND, max: 4 * SECOND } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['served-after-heal'] },
  },
  network: internet,
  faults: { schedule },
  checkers: [...waddleChecks(), servedAfterHeal({ within: 40 * SECOND, ops: ['presence', 'typing'] })],
  duration: 115 * SECOND,
  settle: 5 * SECOND,
  seeds: [1, 2, 3],
});
