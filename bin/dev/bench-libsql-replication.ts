// Speed of a 3-replica, 20-client run: simulated seconds per wall second, and the share of wall
// time spent inside libSQL (NodeDb methods timed by wrapping them here, outside sim/ and models'
// run code). Run: npx tsx bin/dev/bench-libsql-replication.ts
import { performance } from 'node:perf_hooks';
import { defineScenario } from '../../sim/scenario.ts';
import { runScenario } from '../../sim/run.ts';
import { SECOND } from '../../sim/value.ts';
import { edgeNetwork, libsqlParams, replicas } from '../../scenarios/libsql-common.ts';
import { libsqlReplication } from '../../models/libsql-replication/index.ts';
import { NodeDb } from '../../models/libsql-replication/sqlite.ts';

let inSql = 0;
for (const m of ['transaction', 'query', 'reset'] as const) {
  const orig = NodeDb.prototype[m] as (...a: unknown[]) => unknown;
  (NodeDb.prototype as unknown as Record<string, unknown>)[m] = function (this: NodeDb, ...a: unknown[]) {
    const t = performance.now();
    try {
      return orig.apply(this, a);
    } finally {
      inSql += performance.now() - t;
    }
  };
}
const params = libsqlParams({ clients: 20 });
const s = defineScenario({
  name: 'libsql-bench', doc: 'bench', model: libsqlReplication, params, expect: { corrected: { holds: true }, 'as-written': { holds: true } },
  network: edgeNetwork(20), faults: {}, targets: replicas, checkers: [], duration: 20 * SECOND, settle: 1 * SECOND, seeds: [1],
});
for (const variant of ['corrected', 'as-written']) {
  inSql = 0;
  const t0 = performance.now();
  const r = runScenario(s, { seed: 1, variant });
  const wall = (performance.now() - t0) / 1000;
  console.log(`${variant}: ${r.history.length / 2} ops, simulated ${(21).toFixed(0)} s in ${wall.toFixed(2)} s wall = ${(21 / wall).toFixed(1)} sim s / wall s; libSQL ${(inSql / 1000).toFixed(2)} s = ${((inSql / 1000 / wall) * 100).toFixed(0)}% of wall`);
}
