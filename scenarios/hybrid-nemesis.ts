import { hybridGuardModel } from '../models/hybrid-guard/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeLibsql, fleetParams, lockCheckers } from './lock-common.ts';

const TARGETS = ['w0', 'w1', 'w2', 'lock-db'];

export default defineScenario({
  name: 'hybrid-nemesis',
  doc: 'hybrid: a swarm nemesis (partitions, crashes of workers and the lock db, GC pauses, clogs, lossy links)',
  description:
    'Three workers and the libSQL lock database under a random nemesis that first draws which fault kinds are ' +
    'on (swarm testing): partitions among workers and the lock db, crashes (the lock db replays its log), ' +
    'stop-the-world pauses up to 900 ms (three TTLs), clogged and lossy, duplicating, reordering links. ' +
    'Clock faults are left out: the lock history records each worker\'s lease on its own clock.',
  model: hybridGuardModel,
  params: fleetParams(),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['lock'] },
    'bug:ignore-returning': { violates: ['lock'] },
  },
  network: edgeLibsql,
  faults: {
    nemesis: {
      interval: 400 * MS,
      rates: { partition: 0.2, crash: 0.15, pause: 0.3, clog: 0.2, degrade: 0.15 },
      duration: { min: 100 * MS, max: 900 * MS },
      swarm: true,
      shapes: ['isolate', 'halves'],
    },
  },
  targets: TARGETS,
  unsyncedLoss: 1,
  checkers: lockCheckers(),
  duration: 6 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 4],
});
