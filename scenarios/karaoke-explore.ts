import { karaokeRoom } from '../models/karaoke-room/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS } from '../sim/value.ts';
import { karaokeChecks, karaokeParams } from './karaoke-common.ts';

/**
 * The karaoke room small enough to explore exhaustively (`faultline explore karaoke-explore
 * --strategy dfs`): two phones, two scripted commands each (add a song, then read the queue),
 * fixed latencies and think times, so a run draws nothing but the order of events that fall
 * due at the same instant. Both adds reach the room together; the as-written room interleaves
 * them at its awaits and loses one; the corrected room must hold on every order.
 */
export default defineScenario({
  name: 'karaoke-explore',
  doc: 'two phones, an add and a read each, fixed timing: small enough to explore every same-instant order',
  description:
    'Two clients each add a song and then read the queue, over a network with fixed 1 ms hops, fixed ' +
    '10 ms think times and 1 ms storage operations; no faults. The only nondeterminism is which of the ' +
    'events due at one instant runs first, so `faultline explore --strategy dfs` can enumerate every ' +
    'run. The as-written room reads the room, awaits, and writes it back: the two adds read the same ' +
    'stateVersion and one is lost (linearizable fails on the reads). The corrected room serialises ' +
    'commands and must hold on every order.',
  model: karaokeRoom,
  params: karaokeParams({
    clients: 2,
    scripts: { 0: ['add', 'read'], 1: ['add', 'read'] },
    think: { min: 10 * MS, max: 10 * MS },
    timeout: 300 * MS,
    retries: 3,
    runtime: { storage: { min: 1 * MS, max: 1 * MS } },
  }),
  expect: {
    'as-written': { violates: ['linearizable'] },
    corrected: { holds: true },
  },
  network: { default: { latency: { kind: 'fixed', us: 1 * MS } } },
  faults: {},
  checkers: karaokeChecks(),
  duration: 400 * MS,
  settle: 300 * MS,
  seeds: [1, 2, 3],
});
