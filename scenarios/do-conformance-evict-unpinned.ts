import { doConformance } from '../models/do-conformance/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { confChecks, metro } from './do-conformance-common.ts';
import { evictParams } from './do-conformance-evict.ts';

export default defineScenario({
  name: 'do-conformance-evict-unpinned',
  doc: 'do-conformance-evict on a platform where open sockets do not pin an object (socketsPin off)',
  description:
    'As do-conformance-evict, but an object idle for 800 ms is evicted although sockets are open to it: ' +
    'the eviction closes them (each side ends with `evict`, the frames sent before it delivered first), ' +
    'pending host timers die with the instance, and the clients reconnect to a cold start. Replies owed ' +
    'on a connection the eviction ended are not due; everything else is as the echo contract says.',
  model: doConformance,
  params: evictParams(false),
  expect: {
    corrected: { holds: true },
    'bug:count-in-memory': { violates: ['inc-ledger'] },
  },
  network: metro,
  faults: {},
  checkers: confChecks({ evictionCloses: true }),
  duration: 30 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
