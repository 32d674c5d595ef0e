import { hashRouting } from '../models/hash-routing/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edge, routingCheckers, routingParams } from './routing-common.ts';

/**
 * The document's hidden problem step by step: lb0 loses w0 (a partition between that balancer
 * and that worker, and lb0's gossip from lb1 with it), so lb0 sees w0 fail and lb1 does not;
 * 1.5 s later the partition heals and lb0 sees w0 recover. Twice.
 */
const blind = (at: number): ScheduledFault => ({
  at,
  action: { kind: 'partition', shape: { shape: 'groups', groups: [['lb0'], ['w0', 'lb1']] }, for: 1500 * MS },
});

export default defineScenario({
  name: 'routing-one-balancer-blind',
  doc: 'one balancer sees a worker fail and recover, the other never does: as-written serves DOs on two workers',
  description:
    'Four workers, two balancers, clients entering through both. lb0 is cut off from worker w0 and from lb1 ' +
    '(nothing else: clients, other workers and the store still reach everyone), so its failure detector ' +
    'declares w0 dead and its ring hands w0\u2019s DOs to the next workers, while lb1 keeps routing them to w0. ' +
    'After the heal lb0 routes them back to w0, whose in-memory state is by then stale. As written, workers ' +
    'serve whatever arrives: two workers serve one DO and increments are lost. Corrected, each activation takes ' +
    'a new ownership epoch from the store and the store fences the previous owner.',
  model: hashRouting,
  params: routingParams(),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['single-writer', 'linearizable'] },
    'bug:no-fence-check': { violates: ['single-writer', 'linearizable'] },
    'bug:epoch-not-bumped': { violates: ['single-writer', 'linearizable'] },
    'bug:unfenced-read': { violates: ['linearizable'] },
  },
  network: edge,
  faults: { schedule: [blind(1 * SECOND), blind(4 * SECOND)] },
  checkers: routingCheckers(),
  duration: 7 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
