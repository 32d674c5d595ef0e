import { lockServiceModel } from '../models/lock-service/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edge, fleetParams, lockCheckers } from './lock-common.ts';

export default defineScenario({
  name: 'lock-acquire-race',
  doc: 'option A: clients send each op to a random worker, so two workers race to acquire one DO\'s lock all the time',
  description:
    'Six clients pick a worker at random for every operation on two DOs, so every worker keeps racing the ' +
    'others for the same locks, with no fault at all. The lock service decides each race atomically; the ' +
    'question is whether acquisition, idle release and re-acquisition ever let two workers serve one DO.',
  model: lockServiceModel,
  params: fleetParams({ route: 'random', idleRelease: 30 * MS, workload: { mix: { insert: 1, read: 1 }, keys: 2, think: { min: 2 * MS, max: 30 * MS } } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['lock'] },
    'bug:release-by-owner': { violates: ['lock'] },
  },
  network: edge,
  faults: {},
  checkers: lockCheckers(),
  duration: 5 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 7, 8],
});
