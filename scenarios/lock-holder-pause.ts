import { lockServiceModel } from '../models/lock-service/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edge, fleetParams, lockCheckers } from './lock-common.ts';

/** Each worker in turn stops the world for 700 ms, more than twice the 300 ms TTL. */
const pauses: ScheduledFault[] = [0, 1, 2, 0, 1, 2].map((w, i) => ({ at: (i + 1) * 1200 * MS, action: { kind: 'pause', node: `w${w}`, for: 700 * MS } }));

export default defineScenario({
  name: 'lock-holder-pause',
  doc: 'option A: a lock holder is paused (GC) past its TTL; the next holder takes over; does the old one write stale state?',
  description:
    'Workers serve DOs under locks from the lock service. Each worker in turn is paused for 700 ms, more than ' +
    'twice the TTL, often in the middle of an insert. Clients retry on another worker, which acquires the ' +
    'expired lock. When the paused worker wakes it still believes it holds the lock (as written: no token, ' +
    'trust until a refresh is refused) and writes its stale list over the new holder\'s. Fencing tokens checked ' +
    'by the store refuse that write.',
  model: lockServiceModel,
  params: fleetParams(),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['single-writer', 'linearizable'] },
    'bug:no-fence-check': { violates: ['single-writer'] },
  },
  network: edge,
  faults: { schedule: pauses },
  checkers: lockCheckers(),
  duration: 8 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
