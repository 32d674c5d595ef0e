import { clientIds, karaokeRoom } from '../models/karaoke-room/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { doHostNemesis } from './do-nemesis-common.ts';
import { everyClientServed, socketsReopen } from '../models/karaoke-room/checks.ts';
import { karaokeChecks, karaokeParams, metro } from './karaoke-common.ts';

const CLIENTS = 4;

export default defineScenario({
  name: 'karaoke-nemesis',
  doc: 'a swarm nemesis on the room: crashes inside storage writes, evictions, partitions, lost and duplicated messages, clock steps',
  description:
    'Random faults, swarm style (each seed first draws which kinds are on): the room\'s host crashes and ' +
    'pauses at random instants, with storage writes slow enough (1-10 ms) that crashes land inside ' +
    'them; the room is evicted whenever it idles for 2 s; partitions cut any of the clients, the Worker ' +
    'and the host apart; a degraded network loses, duplicates and reorders messages (lost HTTP replies ' +
    'among them, which clients retry); the host\'s clock steps and drifts. Every check runs, including ' +
    'the invariants over time (no phantom state, freshness within 6 s, expectedVersion).',
  model: karaokeRoom,
  params: karaokeParams({
    clients: CLIENTS,
    think: { min: 50 * MS, max: 2500 * MS },
    timeout: 300 * MS,
    retries: 6,
    httpOnly: { 3: 1 * SECOND },
    // socketsPin off: the room is evicted whenever it idles, its clients' sockets open or not.
    runtime: { storage: { min: 1 * MS, max: 10 * MS }, idleEvict: 2 * SECOND, socketsPin: false },
  }),
  // Only corrected: which check a random run of as-written breaks varies from seed to seed.
  expect: {
    corrected: { holds: true },
  },
  network: metro,
  targets: ['do0', 'worker', ...clientIds(CLIENTS)],
  faults: { nemesis: doHostNemesis },
  unsyncedLoss: 1,
  // c3 lives on the HTTP fallback: it must get answers through it.
  checkers: [
    ...karaokeChecks({ evictionCloses: true }),
    everyClientServed(),
    // The WebSocket devices (all but c3) reconnect after the last fault: a 3 s socket timeout, a
    // 500 ms reconnect delay and a cold start fit well inside 5 s.
    socketsReopen({ socket: 'karaoke.socket', clients: clientIds(CLIENTS).slice(0, 3), within: 5 * SECOND }),
  ],
  duration: 20 * SECOND,
  settle: 8 * SECOND,
  seeds: [1, 2, 3],
});
