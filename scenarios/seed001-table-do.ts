import { kvAuthority } from '../models/kv-authority/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { defineScenario } from '../sim/scenario.ts';
import { kvParams, lan } from './kv-common.ts';
import { crashAtFailure, TABLE, tableWorkload } from './seed001-table-common.ts';

export default defineScenario({
  name: 'seed001-table-do',
  doc: "seed 001 performance table, CF DO baseline: one single-instance authority per DO; its host crashes for 1 s",
  description:
    'The baseline row of the table: every DO has one authority (kv-authority with one server), reached in ' +
    'about 1 ms. Its failure: the host crashes at 2 s and is back at 3 s; until then every DO is unavailable. ' +
    'Same workload, seeds and failure window as every seed001-table-* scenario.',
  model: kvAuthority,
  params: kvParams({ servers: 1, clients: TABLE.clients, workload: tableWorkload('write', 'read') }),
  expect: { corrected: { holds: true } },
  network: lan,
  faults: { schedule: crashAtFailure('s0') },
  unsyncedLoss: 1,
  checkers: [linearizable({ model: 'register' })],
  duration: TABLE.duration,
  settle: TABLE.settle,
  seeds: TABLE.seeds,
});
