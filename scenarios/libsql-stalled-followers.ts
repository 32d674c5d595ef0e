import { libsqlReplication } from '../models/libsql-replication/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeNetwork, libsqlCheckers, libsqlParams, replicas } from './libsql-common.ts';

// Writes only, to many keys, and the workload ends soon after the failover: a write lost then
// is almost always still the last one to its key, so the final tables show it
// (acked-writes-survive). Reads would spoil the catch: the leader batches them with writes and
// a batch holding only reads is what it would be waiting on when the followers stall.
const params = libsqlParams({ workload: { mix: { write: 1 }, keys: 4096, think: { min: 10 * MS, max: 60 * MS } } });

export default defineScenario({
  name: 'libsql-stalled-followers',
  doc: 'both followers stall while the leader keeps taking writes; then the leader is cut off and crashes',
  description:
    'r0 leads. At 2 s both followers stall for 400 ms (a GC pause, a slow disk): frames reach them but wait ' +
    'unread. At 2.35 s r0 is cut off from them, so what was waiting is lost, and at 2.38 s r0 crashes (back when the ' +
    'faults end at 3 s). Every frame the leader wrote during the stall reached no follower. Must hold (corrected): nothing ' +
    'is acknowledged before a majority holds it, so no acknowledged write is lost. Must be caught: as-written ' +
    'acknowledges every write of the stall, and bug:ack-before-quorum acknowledges the batch it was waiting on; ' +
    'the new leader never had them, so they are missing from every final table.',
  model: libsqlReplication,
  params,
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['acked-writes-survive'] },
    'bug:ack-before-quorum': { violates: ['acked-writes-survive'] },
  },
  network: edgeNetwork(params.clients),
  faults: {
    schedule: [
      { at: 2 * SECOND, action: { kind: 'pause', node: 'r1', for: 400 * MS } },
      { at: 2 * SECOND, action: { kind: 'pause', node: 'r2', for: 400 * MS } },
      { at: 2350 * MS, action: { kind: 'partition', shape: { shape: 'groups', groups: [['r0'], ['r1', 'r2']] }, for: 1500 * MS } },
      // Down until the fault phase ends, so a follower wins the election (with its barrier frame) first.
      { at: 2380 * MS, action: { kind: 'crash', node: 'r0' } },
    ],
  },
  targets: replicas,
  checkers: libsqlCheckers(),
  duration: 3 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
