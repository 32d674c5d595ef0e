import { hybridGuardModel } from '../models/hybrid-guard/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeLibsql, fleetParams, lockCheckers } from './lock-common.ts';

export default defineScenario({
  name: 'hybrid-acquire-race',
  doc: 'hybrid: two workers race to acquire one DO through the printed INSERT ... ON CONFLICT ... WHERE on libSQL',
  description:
    'Clients send each operation to a random worker, so workers keep acquiring the same two DOs through the ' +
    'HybridConsistencyGuard, with no fault at all. As printed, `WHERE expires_at < CURRENT_TIMESTAMP` compares ' +
    'an INTEGER with TEXT, which SQLite orders integers first: always true, so every acquire takes the row over, ' +
    'and acquire never looks at whether it did. Two workers serve one DO at once.',
  model: hybridGuardModel,
  params: fleetParams({ route: 'random', idleRelease: 30 * MS, workload: { mix: { insert: 1, read: 1 }, keys: 2, think: { min: 2 * MS, max: 30 * MS } } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['lock', 'single-writer', 'linearizable'] },
    'bug:current-timestamp': { violates: ['lock'] },
    'bug:ignore-returning': { violates: ['lock'] },
  },
  network: edgeLibsql,
  faults: {},
  checkers: lockCheckers(),
  duration: 4 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
