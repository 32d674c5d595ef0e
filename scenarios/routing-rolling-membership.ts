import { hashRouting } from '../models/hash-routing/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edge, routingCheckers, routingParams } from './routing-common.ts';

/**
 * A rolling membership change with no fault at all: w3 joins, w0 leaves, w3 leaves, w4 joins.
 * Workers heartbeat to their home balancer only, so the other balancer learns each change by
 * gossip, up to one gossip period (100 ms) later.
 * Joins and leaves are a schedule in the parameters: a worker is dark (answers "not serving",
 * sends no heartbeat) before its join time, and after its leave time it announces the leave in
 * its heartbeats, serves the drain period out and goes dark again.
 */
export default defineScenario({
  name: 'routing-rolling-membership',
  doc: 'rolling add/remove of workers with no fault: each change moves DOs while balancers learn it at different instants',
  description:
    'Five worker slots, three founding members. w3 joins at 1.5 s, w0 leaves at 3 s, w3 leaves at 4.5 s, w4 joins ' +
    'at 6 s. Each balancer hears a change from the worker’s heartbeat or, up to 100 ms later, from gossip, and DOs move ' +
    'onto a joining worker and back to their earlier owners when it leaves. As written, the earlier owner still ' +
    'holds its old in-memory copy and serves it: two workers serve one DO, and updates are lost. Corrected, every ' +
    'activation reloads from the store under a new epoch.',
  model: hashRouting,
  params: routingParams({
    workers: 5,
    heartbeatTo: 'home',
    joins: { w3: 1500 * MS, w4: 6 * SECOND },
    leaves: { w0: 3 * SECOND, w3: 4500 * MS },
  }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['single-writer', 'linearizable'] },
    'bug:no-fence-check': { violates: ['single-writer', 'linearizable'] },
    'bug:epoch-not-bumped': { violates: ['single-writer', 'linearizable'] },
    'bug:unfenced-read': { violates: ['linearizable'] },
  },
  network: edge,
  faults: {},
  checkers: routingCheckers(),
  duration: 8 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
