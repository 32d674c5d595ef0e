import { waddle } from '../models/waddle/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { internet, voiceChecks, waddleChecks, waddleParams } from './waddle-common.ts';

// The host is reset inside the RTK session's start: the first join arrives at about 1.02 s, its
// intent (rtkPending) is durable 150-200 ms later, the provider answers 50 ms after that (about
// 1.25 s) and the write of rtkSession completes 150-200 ms after the answer (about 1.4-1.45 s).
// 1.33 s lies between the answer and that write on every seed: the session is open at the
// provider and storage does not know it.
const schedule: ScheduledFault[] = [{ at: 1330 * MS, action: { kind: 'crash', node: 'do0', for: 300 * MS } }];

export default defineScenario({
  name: 'waddle-rtk-crash',
  doc: 'the host is reset after the RTK provider opened the call\'s session and before storage recorded it',
  description:
    'Two users join a voice call (u0 at 1 s, u1 at 1.1 s) on a host with slow storage (150-200 ms a ' +
    'write), so the RealtimeKit session\'s start spans a wide window: the intent is stored, the provider ' +
    'opens the session, and the host is reset before the write of rtkSession completes. The clients ' +
    'reconnect and join again. The as-written object stores nothing before the provider call and reads ' +
    'nothing back: the rejoin opens a second session while the first is open and lost (waddle-nemesis seed ' +
    '39, made deterministic). The corrected object finds the stored intent without a session at its next ' +
    'start and ends that session at the provider before anyone can open another.',
  model: waddle,
  params: waddleParams({
    users: ['u0', 'u1'],
    // Typing only: posts would pay two 150-200 ms writes each, past the 500 ms post timeout.
    mix: { typing: 1 },
    voice: { joinAt: { 0: 1000 * MS, 1: 1100 * MS } },
    runtime: { storage: { min: 150 * MS, max: 200 * MS } },
  }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['rtk-session-single'] },
  },
  network: internet,
  faults: { schedule },
  checkers: [...waddleChecks(), ...voiceChecks()],
  duration: 10 * SECOND,
  settle: 6 * SECOND,
  seeds: [1, 2, 3],
});
