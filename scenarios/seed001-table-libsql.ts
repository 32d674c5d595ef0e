import { libsqlReplication } from '../models/libsql-replication/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { edgeNetwork, libsqlCheckers, libsqlParams, replicas } from './libsql-common.ts';
import { crashAtFailure, TABLE, tableWorkload } from './seed001-table-common.ts';

export default defineScenario({
  name: 'seed001-table-libsql',
  doc: 'seed 001 performance table, libSQL leader (option B): the leader is down for 1 s',
  description:
    'Three libSQL replicas, r0 leading; six clients, three with strong reads and three with read-your-writes ' +
    'reads. The failure its table names first: "Leader down: writes blocked until failover" (r0 crashes at 2 s, ' +
    'back at 3 s). Same workload, seeds and failure window as every seed001-table-* scenario.',
  model: libsqlReplication,
  params: libsqlParams({ clients: TABLE.clients, workload: tableWorkload('write', 'read') }),
  expect: { corrected: { holds: true } },
  network: edgeNetwork(TABLE.clients),
  faults: { schedule: crashAtFailure('r0') },
  unsyncedLoss: 1,
  targets: replicas,
  checkers: libsqlCheckers(),
  duration: TABLE.duration,
  settle: TABLE.settle,
  seeds: TABLE.seeds,
});
