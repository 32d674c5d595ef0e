import { hybridGuardModel } from '../models/hybrid-guard/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { edgeLibsql, fleetParams, lockCheckers } from './lock-common.ts';
import { crashAtFailure, TABLE, tableWorkload } from './seed001-table-common.ts';

export default defineScenario({
  name: 'seed001-table-hybrid',
  doc: "seed 001 performance table, the hybrid: the libSQL lock database (its leader) is down for 1 s",
  description:
    'Three workers, the corrected HybridConsistencyGuard on one libSQL lock database, hash-ring affinity. The ' +
    'failure: the lock database, the hybrid\'s "libSQL leader", crashes at 2 s and is back at 3 s (it replays ' +
    'its log). Same workload, seeds and failure window as every seed001-table-* scenario.',
  model: hybridGuardModel,
  params: fleetParams({ clients: TABLE.clients, workload: tableWorkload('insert', 'read') }),
  expect: { corrected: { holds: true } },
  network: edgeLibsql,
  faults: { schedule: crashAtFailure('lock-db') },
  unsyncedLoss: 1,
  checkers: lockCheckers(),
  duration: TABLE.duration,
  settle: TABLE.settle,
  seeds: TABLE.seeds,
});
