import { hashRouting } from '../models/hash-routing/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { edge, routingCheckers, routingParams } from './routing-common.ts';
import { TABLE, tableWorkload } from './seed001-table-common.ts';

export default defineScenario({
  name: 'seed001-table-hash',
  doc: 'seed 001 performance table, consistent hash (option C): a membership change (w3 joins at 2 s, w1 leaves at 3 s)',
  description:
    'Four workers on a hash ring behind two balancers (option C corrected: epochs and fencing at the store). ' +
    'The failure the table\'s footnote names, "availability degrades during membership changes": w3 joins at ' +
    '2 s and w1 leaves at 3 s. Same workload, seeds and failure window as every seed001-table-* scenario.',
  model: hashRouting,
  params: routingParams({ clients: TABLE.clients, workload: tableWorkload('incr', 'read'), joins: { w3: TABLE.failAt }, leaves: { w1: TABLE.failAt + TABLE.failFor } }),
  expect: { corrected: { holds: true } },
  network: edge,
  faults: {},
  checkers: routingCheckers(),
  duration: TABLE.duration,
  settle: TABLE.settle,
  seeds: TABLE.seeds,
});
