import { waddle } from '../models/waddle/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { doHostNemesis } from './do-nemesis-common.ts';
import { internet, voiceChecks, waddleChecks, waddleParams } from './waddle-common.ts';

const USERS = ['u0', 'u0', 'u1', 'u2'];
const clients = USERS.map((_, i) => `c${i}`);

export default defineScenario({
  name: 'waddle-nemesis',
  doc: 'a swarm nemesis on the Waddle, Channel and VoiceChannel objects: crashes inside writes, evictions, partitions, lossy duplicating links, clock steps',
  description:
    'Random faults, swarm style (each seed first draws which kinds are on): the host of the Durable ' +
    'Objects crashes and pauses at random instants, with storage writes of 1-10 ms so crashes land ' +
    'inside them; objects are evicted after 2 s idle; partitions cut clients, the Worker and the host ' +
    'apart; a degraded network loses, duplicates and reorders messages (HTTP posts and their replies ' +
    'among them); the host\'s clock steps and drifts. One user has two devices.',
  model: waddle,
  params: waddleParams({
    users: USERS,
    // Every device joins the voice channel at about 1 s; `voice` ops then toggle leave / join.
    mix: { post: 3, typing: 2, voice: 1 },
    voice: { joinAt: { 0: 1000 * MS, 1: 1150 * MS, 2: 1300 * MS, 3: 1450 * MS } },
    think: { min: 200 * MS, max: 2 * SECOND },
    runtime: { storage: { min: 1 * MS, max: 10 * MS }, idleEvict: 2 * SECOND },
  }),
  expect: {
    corrected: { holds: true },
  },
  network: internet,
  targets: ['do0', 'worker', ...clients],
  faults: { nemesis: doHostNemesis },
  unsyncedLoss: 1,
  checkers: [...waddleChecks(), ...voiceChecks()],
  duration: 20 * SECOND,
  settle: 10 * SECOND,
  seeds: [1, 2, 3],
});
