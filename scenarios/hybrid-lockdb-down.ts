import { hybridGuardModel } from '../models/hybrid-guard/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeLibsql, fleetParams, lockCheckers } from './lock-common.ts';

const crashes: ScheduledFault[] = [1, 2, 3, 4, 5, 6].map((i) => ({ at: i * 1000 * MS, action: { kind: 'crash', node: 'lock-db', for: 120 * MS } }));

export default defineScenario({
  name: 'hybrid-lockdb-down',
  doc: 'hybrid: the libSQL lock database crashes and restarts from its statement log ("fail fast rather than risk split-brain")',
  description:
    'The lock database crashes six times for 120 ms and rebuilds do_locks by replaying its synced statement log. ' +
    'While it is down workers fail fast (circuit breaker). Clients pick a random worker per operation, so ' +
    'workers contend for every DO across the restarts.',
  model: hybridGuardModel,
  params: fleetParams({ route: 'random', workload: { mix: { insert: 1, read: 1 }, keys: 3, think: { min: 5 * MS, max: 30 * MS } } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['lock'] },
    'bug:current-timestamp': { violates: ['lock'] },
  },
  network: edgeLibsql,
  faults: { schedule: crashes },
  unsyncedLoss: 1,
  checkers: lockCheckers(),
  duration: 8 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
