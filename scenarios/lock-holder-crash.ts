import { lockServiceModel } from '../models/lock-service/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edge, fleetParams, lockCheckers } from './lock-common.ts';

const TTL_MS = 300;
/** Each worker in turn crashes, holding its DOs' locks, and stays down for 1.5 s. */
const crashes: ScheduledFault[] = [0, 1, 2].map((w, i) => ({ at: (i + 1) * 2500 * MS, action: { kind: 'crash', node: `w${w}`, for: 1500 * MS } }));

export default defineScenario({
  name: 'lock-holder-crash',
  doc: 'option A: a worker crashes holding locks; its DOs must be served again within TTL plus a bound',
  description:
    'Each worker in turn crashes while it holds its home DOs\' locks and stays down 1.5 s. Clients time out and ' +
    'retry on the next worker, which can take over only when the lock expires ("Node crash holding lock: lock ' +
    'held until TTL expires"). The liveness check reads each crash\'s time from the run\'s fault record and ' +
    'requires every DO asked for to be served within TTL + 600 ms (client timeout and retry, acquire, load). ' +
    'bug:no-expiry never expires a lock: the crashed holder\'s DOs stay unavailable.',
  model: lockServiceModel,
  params: fleetParams({ ttlMs: TTL_MS }),
  expect: {
    corrected: { holds: true },
    'as-written': { holds: true },
    'bug:no-expiry': { violates: ['served-after-crash'] },
  },
  network: edge,
  faults: { schedule: crashes },
  checkers: lockCheckers({ liveness: { ttlMs: TTL_MS, bound: 600 * MS }, linearizable: false }),
  duration: 9 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
