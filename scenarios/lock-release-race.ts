import { lockServiceModel } from '../models/lock-service/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edge, fleetParams, lockCheckers } from './lock-common.ts';

export default defineScenario({
  name: 'lock-release-race',
  doc: 'option A: a fire-and-forget release overtaken by the same worker\'s next acquire deletes the new lock',
  description:
    'Workers release a DO\'s lock after 20 ms idle, fire-and-forget, and re-acquire on the next request. ' +
    'Links to the lock service reorder a third of the messages, so a release can arrive after the same ' +
    'worker\'s next acquire. As written a release names only the owner, so it deletes the new lock while the ' +
    'worker serves under it; another worker then acquires the same DO. With tokens the late release names ' +
    'an old token and changes nothing; bug:release-by-owner matches the owner again.',
  model: lockServiceModel,
  params: fleetParams({ route: 'random', idleRelease: 20 * MS, workload: { mix: { insert: 2, read: 1 }, keys: 2, think: { min: 10 * MS, max: 40 * MS } } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['lock'] },
    'bug:release-by-owner': { violates: ['lock'] },
  },
  network: { ...edge, links: (edge.links ?? []).map((l) => ({ ...l, reorder: 0.3, reorderWindow: 30 * MS })) },
  faults: {},
  checkers: lockCheckers(),
  duration: 6 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
