import { hybridGuardModel } from '../models/hybrid-guard/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeLibsql, fleetParams, lockCheckers } from './lock-common.ts';

const pauses: ScheduledFault[] = [0, 1, 2, 0, 1, 2].map((w, i) => ({ at: (i + 1) * 1200 * MS, action: { kind: 'pause', node: `w${w}`, for: 700 * MS } }));

export default defineScenario({
  name: 'hybrid-holder-pause',
  doc: 'hybrid: a worker holding a DO\'s lock row is paused past the TTL mid-insert, then writes',
  description:
    'Each worker in turn is paused 700 ms (the TTL is 300 ms), often between reading a DO and writing it back. ' +
    'Its lock row expires and another worker takes it. The document\'s hybrid has no fencing, so the woken ' +
    'worker\'s write lands over the new holder\'s. Corrected: the version (AUTOINCREMENT) is a fencing token the ' +
    'store checks; bug:no-fence-check leaves the store unchecked.',
  model: hybridGuardModel,
  params: fleetParams(),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['lock'] },
    'bug:no-fence-check': { violates: ['single-writer'] },
  },
  network: edgeLibsql,
  faults: { schedule: pauses },
  checkers: lockCheckers(),
  duration: 8 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
