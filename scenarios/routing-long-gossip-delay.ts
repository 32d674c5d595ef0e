import { hashRouting } from '../models/hash-routing/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edge, routingCheckers, routingParams } from './routing-common.ts';

/**
 * Workers heartbeat only to their home balancer (w0, w2 to lb0; w1, w3 to lb1) and the other
 * balancer learns them through gossip. The gossip link lb0 <-> lb1 is clogged (+800 ms, no
 * loss) for 3 s, during which w4 (home lb0) joins: lb1 hears of w0, w2 and w4 late, suspects
 * w0 and w2, and learns the join 800 ms after lb0.
 */
const clog: ScheduledFault = { at: 1 * SECOND, action: { kind: 'clog', from: ['lb0'], to: ['lb1'], extra: 800 * MS, for: 3 * SECOND } };

export default defineScenario({
  name: 'routing-long-gossip-delay',
  doc: 'gossip between balancers slowed by 800 ms for 3 s while a worker joins: views lag, DOs are served twice',
  description:
    'Five worker slots, w4 joining at 2 s. Each worker heartbeats only to its home balancer, so each balancer ' +
    'knows the other half of the workers through gossip alone. The link between the balancers is clogged with ' +
    '800 ms of extra delay for 3 s (nothing lost): the far balancer suspects workers whose news arrives late, ' +
    'and hears of the join late, while the near balancer already routes DOs to w4. As written, two workers serve ' +
    'the same DOs; corrected, the store\u2019s epochs fence whichever lost ownership.',
  model: hashRouting,
  params: routingParams({ workers: 5, heartbeatTo: 'home', joins: { w4: 2 * SECOND } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['single-writer', 'linearizable'] },
    'bug:no-fence-check': { violates: ['single-writer', 'linearizable'] },
    'bug:epoch-not-bumped': { violates: ['single-writer', 'linearizable'] },
    'bug:unfenced-read': { violates: ['linearizable'] },
  },
  network: edge,
  faults: { schedule: [clog] },
  checkers: routingCheckers(),
  duration: 6 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
