import { karaokeRoom } from '../models/karaoke-room/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { everyClientServed } from '../models/karaoke-room/checks.ts';
import { karaokeChecks, karaokeParams, metro } from './karaoke-common.ts';

/** The degraded network: a third of all messages arrive twice, half of them late (overtaken). */
export const DEGRADE = { duplicate: 0.3, reorder: 0.5 } as const;

/** The fault schedule; `degrade: false` gives a clean network (a control). */
export const dupReorderSchedule = (degrade = true): ScheduledFault[] =>
  degrade ? [{ at: 500 * MS, action: { kind: 'degrade', ...DEGRADE, for: 14 * SECOND } }] : [];

export default defineScenario({
  name: 'karaoke-dup-reorder',
  doc: 'a network that duplicates and reorders messages; two of four phones are behind a proxy that blocks WebSockets',
  description:
    'For 14 s a third of all messages (WebSocket frames, HTTP requests and responses, in both directions) ' +
    'are delivered twice and half are delayed by up to four median latencies, so they overtake later ones. ' +
    'Two of the four phones cannot open a WebSocket (a proxy strips the upgrade) and use the document\'s ' +
    'HTTP fallback for every command, polling GET /state every second to reconcile. The WebSocket frames ' +
    'are sequenced like TCP and shrug off both faults, and versioned snapshots make reordered states ' +
    'harmless; but a duplicated HTTP command reaches the room twice. The as-written room checks its ' +
    'processed-id map before its first await and records the id after its write, so two copies that ' +
    'arrive within a storage round trip both pass the check and are applied twice. The corrected room ' +
    'runs each command under blockConcurrencyWhile and writes the id in the same transaction as the ' +
    'room. On a clean network the as-written room applies every request once here ' +
    '(models/karaoke-room/faults-cause.test.ts).',
  model: karaokeRoom,
  params: karaokeParams({
    clients: 4,
    think: { min: 100 * MS, max: 1 * SECOND },
    timeout: 300 * MS,
    retries: 3,
    httpOnly: { 2: 1 * SECOND, 3: 1 * SECOND },
  }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['applied-once'] },
  },
  network: metro,
  faults: { schedule: dupReorderSchedule() },
  // Two phones live on the HTTP fallback: each must get answers through it.
  checkers: [...karaokeChecks(), everyClientServed()],
  duration: 15 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
