import { hybridGuardModel } from '../models/hybrid-guard/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeLibsql, fleetParams, lockCheckers } from './lock-common.ts';

export default defineScenario({
  name: 'hybrid-release-race',
  doc: 'hybrid: release\'s DELETE ... AND version = ? racing a new acquire of the same DO on a reordering network',
  description:
    'Workers release after 20 ms idle (the DELETE sent without waiting) and re-acquire on the next request; ' +
    'a third of the messages to the lock database are reordered, so a DELETE can land after the next ' +
    'acquire. Corrected, the DELETE names the old version and misses the new row. As printed, the version ' +
    'is lastInsertRowid, which after an upsert that updated is some earlier insert\'s rowid.',
  model: hybridGuardModel,
  params: fleetParams({ route: 'random', idleRelease: 20 * MS, workload: { mix: { insert: 2, read: 1 }, keys: 2, think: { min: 10 * MS, max: 40 * MS } } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['lock', 'linearizable'] },
    'bug:ignore-returning': { violates: ['lock'] },
  },
  network: { ...edgeLibsql, links: (edgeLibsql.links ?? []).map((l) => ({ ...l, reorder: 0.3, reorderWindow: 30 * MS })) },
  faults: {},
  checkers: lockCheckers(),
  duration: 5 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
