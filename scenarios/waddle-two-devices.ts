import { waddle } from '../models/waddle/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { internet, waddleChecks, waddleParams } from './waddle-common.ts';

export default defineScenario({
  name: 'waddle-two-devices',
  doc: 'one user on a laptop and a phone; the phone leaves: the user shows offline while the laptop is connected',
  description:
    'User u0 is connected from two devices (c0 and c1); two other users chat and type. At 8 s the phone ' +
    '(c1) closes its sockets. The as-written WaddleDurableObject keys sessions by userId, so the second ' +
    'device overwrote the first and the close handler deletes the user and broadcasts "offline" while ' +
    'the laptop is still connected; u2 closes the app at 6 s and must show offline everywhere. Typing indicators also go stale: the 3 s timer clears the user on ' +
    'the server but never tells the clients. The corrected objects keep a set of sockets per user and ' +
    'broadcast the typing set when the timer clears it.',
  model: waddle,
  // u2 (c3, one device) also closes the app, at 6 s: every other device must show u2 offline within
  // presence-fresh's bound and for the 11 s left (no other scenario keeps a user offline that long
  // while others watch, so a lost "offline" broadcast went unseen).
  params: waddleParams({ users: ['u0', 'u0', 'u1', 'u2'], leaveAt: { 1: 8 * SECOND, 3: 6 * SECOND } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['presence-matches', 'typing-converges'] },
  },
  network: internet,
  faults: {},
  checkers: waddleChecks(),
  duration: 12 * SECOND,
  settle: 5 * SECOND,
  seeds: [1, 2, 3],
});
