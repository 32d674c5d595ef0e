import { waddle } from '../models/waddle/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { internet, voiceChecks, waddleChecks, waddleParams } from './waddle-common.ts';

const schedule: ScheduledFault[] = [
  // The host running the Durable Objects is reset: every in-memory participant list is gone;
  // the clients notice the dead sockets, reconnect and join again.
  { at: 3 * SECOND, action: { kind: 'crash', node: 'do0', for: 500 * MS } },
  // u1's laptop drops off the network for 4 s: its sockets break on both sides.
  { at: 5 * SECOND, action: { kind: 'partition', shape: { shape: 'isolate', node: 'c2' }, for: 4 * SECOND } },
  // u3's phone dies in the call; it comes back (at the heal) as a fresh page, not in the call.
  { at: 9 * SECOND, action: { kind: 'crash', node: 'c4' } },
];

export default defineScenario({
  name: 'waddle-voice-dropout',
  doc: 'a voice call through resets, a dropped laptop, a dead phone and a user leaving from one of two devices',
  description:
    'Five devices of four users (u0 on a laptop c0 and a phone c1) join the voice channel at about 1 s and ' +
    'chat and type meanwhile. At 3 s the Durable Object host is reset (the clients reconnect and join ' +
    'again); from 5 s to 9 s u1\'s laptop is cut off; at 9 s u3\'s phone dies in the call and comes back ' +
    'only at the heal, as a fresh page that is not in the call; at 10 s u0 hangs up on the phone and closes ' +
    'it. The ' +
    'as-written VoiceChannelDurableObject removes a participant only on an explicit leave, keyed by user id: ' +
    'the dead phone stays in the call for ever (a ghost, and the RTK session never ends), and the phone\'s ' +
    'hang-up removes u0 although the laptop is still in the call; the participant list goes to one socket ' +
    'per user. The corrected object ties participation to the socket: a user is listed while one of its ' +
    'sockets has joined and is open, a closing socket leaves the call, and the list goes to every socket.',
  model: waddle,
  params: waddleParams({
    users: ['u0', 'u0', 'u1', 'u2', 'u3'],
    leaveAt: { 1: 10 * SECOND },
    voice: { joinAt: { 0: 1000 * MS, 1: 1150 * MS, 2: 1300 * MS, 3: 1450 * MS, 4: 1600 * MS }, hangUpAt: { 0: 12 * SECOND, 2: 12 * SECOND, 3: 12 * SECOND } },
  }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['voice-participants', 'rtk-session-single'] },
  },
  network: internet,
  faults: { schedule },
  checkers: [...waddleChecks(), ...voiceChecks()],
  duration: 13 * SECOND,
  settle: 9 * SECOND,
  seeds: [1, 2, 3],
});
