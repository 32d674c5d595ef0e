import { occModel } from '../models/occ/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS } from '../sim/value.ts';
import { occNet, occParams } from './occ-contention.ts';
import { TABLE, tableWorkload } from './seed001-table-common.ts';

const clients = Array.from({ length: TABLE.clients }, (_, i) => `c${i}`);

export default defineScenario({
  name: 'seed001-table-occ',
  doc: 'seed 001 performance table, OCC (option D): transactions grow long for 1 s (every link to the database +40 ms)',
  description:
    'Six clients run the document\'s updateWithOCC (corrected: backoff with jitter) against one libSQL database. ' +
    'The failure from its table: "Long transactions: high conflict rate": from 2 s to 3 s every link between ' +
    'the clients and the database is 40 ms slower, so the read-to-write window of each try grows and tries ' +
    'conflict. Same workload, seeds and failure window as every seed001-table-* scenario.',
  model: occModel,
  params: occParams({ clients: TABLE.clients, workload: tableWorkload('incr', 'read') }),
  expect: { corrected: { holds: true } },
  network: occNet,
  faults: {
    schedule: [
      { at: TABLE.failAt, action: { kind: 'clog', from: clients, to: ['occ-db'], extra: 40 * MS, for: TABLE.failFor } },
      { at: TABLE.failAt, action: { kind: 'clog', from: ['occ-db'], to: clients, extra: 40 * MS, for: TABLE.failFor } },
    ],
  },
  checkers: [linearizable({ model: 'counter' })],
  duration: TABLE.duration,
  settle: TABLE.settle,
  seeds: TABLE.seeds,
});
