import { socketsReopen } from '../models/karaoke-room/checks.ts';
import { clientIds, karaokeRoom } from '../models/karaoke-room/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { karaokeChecks, karaokeParams, metro } from './karaoke-common.ts';

const schedule: ScheduledFault[] = [
  // The phone's app is suspended for 5 s (the OS freezes it): the room drops its socket; when
  // it wakes, its late timers retry the command it had in flight.
  { at: 3 * SECOND, action: { kind: 'pause', node: 'c1', for: 5 * SECOND } },
  // Then the phone walks out of Wi-Fi range for 2 s.
  { at: 10 * SECOND, action: { kind: 'partition', shape: { shape: 'isolate', node: 'c1' }, for: 2 * SECOND } },
];

export default defineScenario({
  name: 'karaoke-two-devices',
  doc: 'one user on a laptop and a phone, both queueing and voting; the phone sleeps, drops off Wi-Fi and leaves',
  description:
    'User u0 runs the room from a laptop (c0) and a phone (c1) at once; u1 and u2 have one phone each. All ' +
    'four queue, vote, reorder and skip. At 3 s the phone\'s app is suspended for 5 s (the room drops its ' +
    'socket; on waking, its late timers retry its command in flight), at 10 s it is cut off for 2 s, and at ' +
    '13 s it stops. Checked: no request applied twice, the queue linearizable as an ordered list with votes, ' +
    'and every device, both of u0\'s included, converges on the room\'s latest state. The design keys ' +
    'nothing by user and the client numbers requestIds per device, so two devices of one user are two ' +
    'clients to it; as-written still loses updates when commands interleave at its awaits. The planted ' +
    'bug:user-request-ids numbers requestIds per user (`u0-<n>` on both devices): the room answers one ' +
    'device\'s command with the result of the other\'s, and the bench must catch it.',
  model: karaokeRoom,
  params: karaokeParams({
    clients: 4,
    users: ['u0', 'u0', 'u1', 'u2'],
    // The party skips songs as well as ending them ("next"): skip is the document's other versioned pop.
    mix: { add: 3, vote: 3, remove: 1, reorder: 1, next: 1, skip: 1, read: 2 },
    think: { min: 20 * MS, max: 300 * MS },
    timeout: 300 * MS,
    retries: 4,
    stopAt: { 1: 13 * SECOND },
  }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['linearizable'] },
    'bug:user-request-ids': { violates: ['linearizable'] },
  },
  network: metro,
  faults: { schedule },
  // Every device, the phone that slept and walked out of range included, is back on its socket within 5 s of the last fault.
  checkers: [...karaokeChecks(), socketsReopen({ socket: 'karaoke.socket', clients: clientIds(4), within: 5 * SECOND })],
  duration: 15 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
