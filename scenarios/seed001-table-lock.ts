import { lockServiceModel } from '../models/lock-service/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { edge, fleetParams, lockCheckers } from './lock-common.ts';
import { crashAtFailure, TABLE, tableWorkload } from './seed001-table-common.ts';

export default defineScenario({
  name: 'seed001-table-lock',
  doc: 'seed 001 performance table, distributed lock (option A): the lock service is down for 1 s',
  description:
    'Three workers behind a lock service with fencing (option A corrected), clients routed to each DO\'s home ' +
    'worker. The failure its table names first: "Lock service down: all DOs unavailable" (the service crashes ' +
    'at 2 s, back at 3 s). Same workload, seeds and failure window as every seed001-table-* scenario.',
  model: lockServiceModel,
  params: fleetParams({ clients: TABLE.clients, workload: tableWorkload('insert', 'read') }),
  expect: { corrected: { holds: true } },
  network: edge,
  faults: { schedule: crashAtFailure('locks') },
  unsyncedLoss: 1,
  checkers: lockCheckers(),
  duration: TABLE.duration,
  settle: TABLE.settle,
  seeds: TABLE.seeds,
});
