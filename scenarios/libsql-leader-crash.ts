import { libsqlReplication } from '../models/libsql-replication/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeNetwork, libsqlCheckers, libsqlParams, replicas } from './libsql-common.ts';

// Many keys, each written rarely: a lost write is often the last one to its key, so it shows in
// the final tables (acked-writes-survive) as well as in what readers saw (linearizable).
const params = libsqlParams({ workload: { mix: { read: 3, write: 1, cas: 1 }, keys: 64, think: { min: 10 * MS, max: 60 * MS } } });

export default defineScenario({
  name: 'libsql-leader-crash',
  doc: 'the leader crashes while replication lags behind it: do acknowledged writes survive the failover?',
  description:
    'Three libSQL nodes, r0 leading, nine clients (strong, read-your-writes and eventual readers). From 1.5 s ' +
    "the leader's links to the other nodes are clogged (+40 ms: replication lags, nothing is lost), and at 3 s the " +
    'leader crashes, losing whatever it had not synced; it restarts at 4 s. From 7.5 s the same happens to r1 ' +
    '(cut at 8.95 s, crashed at 9 s), which may be the new leader (it may be the new leader). Must hold (corrected): linearizable strong reads and writes, no ' +
    'acknowledged write lost, sessions, convergence. Must be caught: as-written acknowledges writes its followers ' +
    'never got and the elected replica lacks them;',
  model: libsqlReplication,
  params,
  expect: {
    corrected: { holds: true },
    // acked-writes-survive also catches it on the seeds where a lost write stayed the last to its key.
    'as-written': { violates: ['linearizable'] },
  },
  network: edgeNetwork(params.clients),
  faults: {
    schedule: [
      { at: 1500 * MS, action: { kind: 'clog', from: ['r0'], to: ['r1', 'r2'], extra: 40 * MS, for: 1600 * MS } },
      // The leader's colo drops off the inter-colo network just before it dies: frames in flight are lost.
      { at: 2950 * MS, action: { kind: 'partition', shape: { shape: 'groups', groups: [['r0'], ['r1', 'r2']] }, for: 1050 * MS } },
      { at: 3 * SECOND, action: { kind: 'crash', node: 'r0', for: 1 * SECOND } },
      { at: 7500 * MS, action: { kind: 'clog', from: ['r1'], to: ['r0', 'r2'], extra: 40 * MS, for: 1600 * MS } },
      { at: 8950 * MS, action: { kind: 'partition', shape: { shape: 'groups', groups: [['r1'], ['r0', 'r2']] }, for: 1050 * MS } },
      // Late in the run, so writes lost here are often the last to their keys.
      { at: 9 * SECOND, action: { kind: 'crash', node: 'r1', for: 1 * SECOND } },
    ],
  },
  unsyncedLoss: 1,
  targets: replicas,
  checkers: libsqlCheckers(),
  duration: 10 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
