import { hybridGuardModel } from '../models/hybrid-guard/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeLibsql, fleetParams, lockCheckers } from './lock-common.ts';

const TTL_MS = 300;
const crashes: ScheduledFault[] = [0, 1, 2].map((w, i) => ({ at: (i + 1) * 2500 * MS, action: { kind: 'crash', node: `w${w}`, for: 1500 * MS } }));

export default defineScenario({
  name: 'hybrid-holder-crash',
  doc: 'hybrid: a worker crashes holding lock rows; its DOs must be served again within TTL plus a bound',
  description:
    'Each worker in turn crashes holding its affinity DOs\' lock rows and stays down 1.5 s. Clients retry on the ' +
    'next worker, which can claim the row once it has expired. The liveness check reads each crash time from ' +
    'the fault record and allows TTL + 600 ms. (as-written is left out: with every acquire taking the row ' +
    'over, the lock history of this long run is beyond the lock checker\'s budget; the other hybrid scenarios catch it.)',
  model: hybridGuardModel,
  params: fleetParams({ ttlMs: TTL_MS }),
  expect: {
    corrected: { holds: true },
    // Not a liveness bug: the store's fence does not decide who may claim an expired row.
    'bug:no-fence-check': { holds: true },
  },
  network: edgeLibsql,
  faults: { schedule: crashes },
  checkers: lockCheckers({ liveness: { ttlMs: TTL_MS, bound: 600 * MS }, linearizable: false }),
  duration: 9 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
