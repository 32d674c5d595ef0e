import { lockServiceModel } from '../models/lock-service/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edge, fleetParams, lockCheckers } from './lock-common.ts';

/** The lock service crashes six times for 120 ms (less than the TTL), losing what it had not synced. */
const crashes: ScheduledFault[] = [1, 2, 3, 4, 5, 6].map((i) => ({ at: i * 1000 * MS, action: { kind: 'crash', node: 'locks', for: 120 * MS } }));

export default defineScenario({
  name: 'lock-service-down',
  doc: 'option A: the lock service crashes and restarts; "all DOs unavailable" and, as written, every lock forgotten',
  description:
    'The lock service crashes six times for 120 ms. While it is down workers cannot acquire or refresh; the ' +
    'circuit breaker makes them fail fast. As written the lock table lives in memory: the restarted service ' +
    'grants a lock its old holder still trusts. The corrected service syncs its table and token counter before ' +
    'answering; bug:no-sync persists them but answers first, so a crash can lose a grant it acknowledged.',
  model: lockServiceModel,
  params: fleetParams({ route: 'random', workload: { mix: { insert: 1, read: 1 }, keys: 3, think: { min: 5 * MS, max: 30 * MS } } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['lock', 'linearizable'] },
    'bug:no-sync': { violates: ['lock'] },
  },
  network: edge,
  faults: { schedule: crashes },
  unsyncedLoss: 1,
  checkers: lockCheckers(),
  duration: 8 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 7],
});
