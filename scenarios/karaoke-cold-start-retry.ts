import { karaokeRoom } from '../models/karaoke-room/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { karaokeChecks, karaokeParams, metro } from './karaoke-common.ts';

export default defineScenario({
  name: 'karaoke-cold-start-retry',
  doc: 'the room is evicted whenever it idles; impatient clients retry while it cold-starts: requests applied twice',
  description:
    'Clients think for 0.5-3 s between commands, the runtime evicts the room after 1 s idle (open sockets do not pin it here, a harsher platform than the real one), and a cold ' +
    'start takes 100 ms, longer than the clients\' 80 ms timeout. A command that arrives at an evicted ' +
    'room is queued behind the cold start, the client retries with the same requestId, and both copies ' +
    'start together. The as-written room checks its in-memory processed-id map before its first await, ' +
    'so both copies pass the check and the song is queued (or voted) twice. The corrected room keeps ' +
    'processed ids in storage, written in the same transaction as the room, and runs each command under ' +
    'blockConcurrencyWhile, so the second copy finds the first one\'s id.',
  model: karaokeRoom,
  params: karaokeParams({
    clients: 4,
    think: { min: 500 * MS, max: 3 * SECOND },
    timeout: 80 * MS,
    retries: 5,
    reconnectDelay: 2 * SECOND,
    // socketsPin off: the room is evicted between commands although its clients' sockets are open.
    runtime: { idleEvict: 1 * SECOND, coldStart: 100 * MS, socketsPin: false },
  }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['applied-once'] },
  },
  network: metro,
  faults: {},
  checkers: karaokeChecks({ evictionCloses: true }),
  duration: 20 * SECOND,
  settle: 3 * SECOND,
  seeds: [1, 2, 3],
});
