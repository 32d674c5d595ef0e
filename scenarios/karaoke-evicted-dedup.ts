import { servedAfterHeal } from '../models/durable-object/checks.ts';
import { clientIds, karaokeRoom } from '../models/karaoke-room/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { karaokeChecks, karaokeParams, metro } from './karaoke-common.ts';

const CLIENTS = 4;
const clients = clientIds(CLIENTS);
/** Three windows: replies from the room are cut for 1.5 s, and mid-window the room is reset. */
const windows = [2, 6, 10].map((s) => s * SECOND);
const schedule: ScheduledFault[] = windows.flatMap((at) => [
  { at, action: { kind: 'partition', shape: { shape: 'one-way', from: ['do0'], to: clients }, for: 1500 * MS } },
  { at: at + 700 * MS, action: { kind: 'crash', node: 'do0', for: 300 * MS } },
]);

export default defineScenario({
  name: 'karaoke-evicted-dedup',
  doc: 'replies are lost and the room is reset before the retries arrive: the short-lived id map forgets',
  description:
    'Three times, replies from the room to the clients are cut for 1.5 s (a one-way partition), and ' +
    'in the middle of each window the DO is reset (evicted and restarted: memory gone, storage kept). ' +
    'Clients retry every 300 ms with the same requestId. Retries that reach the restarted as-written ' +
    'room find an empty processed-id map (it lived in memory) and are applied again: a song queued ' +
    'twice, a vote counted twice, and a retried `next` rejected for a stale expectedVersion although ' +
    'its first copy was applied (the client is told "failed" for a command that took effect). The ' +
    'corrected room keeps processed ids in storage, in the same transaction as the room. After the ' +
    'last window every client must be served again within 2 s.',
  model: karaokeRoom,
  params: karaokeParams({ clients: CLIENTS, think: { min: 50 * MS, max: 300 * MS }, timeout: 300 * MS, retries: 6 }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['applied-once', 'linearizable'] },
  },
  network: metro,
  faults: { schedule },
  unsyncedLoss: 1,
  checkers: [...karaokeChecks(), servedAfterHeal({ within: 2 * SECOND })],
  duration: 14 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
