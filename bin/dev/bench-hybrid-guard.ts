/**
 * Speed of the hybrid guard (issue 14): 10 workers, 200 DOs, 2,000 client operations (20 clients x
 * 100), corrected and as-written, every check on. Prints run+check wall time per seed and the
 * share of it spent inside libSQL (prepare/run/all/exec, timed by wrapping the library's methods).
 *
 *   npx tsx bin/dev/bench-hybrid-guard.ts [--seeds 3]
 */
import { performance } from 'node:perf_hooks';
import Database from 'libsql';
import { hybridGuardModel } from '../../models/hybrid-guard/index.ts';
import { edgeLibsql, fleetParams, lockCheckers } from '../../scenarios/lock-common.ts';
import { runScenario } from '../../sim/run.ts';
import { defineScenario } from '../../sim/scenario.ts';
import { MS, SECOND } from '../../sim/value.ts';

let inLibsql = 0;
const wrap = (proto: Record<string, unknown>, name: string) => {
  const f = proto[name] as (...a: unknown[]) => unknown;
  proto[name] = function (this: unknown, ...a: unknown[]) {
    const t = performance.now();
    try {
      return f.apply(this, a);
    } finally {
      inLibsql += performance.now() - t;
    }
  };
};
const probe = new Database(':memory:');
const stmtProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
for (const m of ['run', 'all', 'get']) wrap(stmtProto, m);
for (const m of ['prepare', 'exec']) wrap(Database.prototype as unknown as Record<string, unknown>, m);

const scenario = defineScenario({
  name: 'hybrid-speed',
  doc: 'speed: 10 workers, 200 DOs, 2000 operations',
  model: hybridGuardModel,
  params: fleetParams({ workers: 10, clients: 20, workload: { mix: { insert: 1, read: 1 }, keys: 200, think: { min: 5 * MS, max: 40 * MS }, opsPerClient: 100 } }),
  expect: { corrected: { holds: true }, 'as-written': { holds: true } },
  network: edgeLibsql,
  faults: {},
  checkers: lockCheckers(),
  duration: 8 * SECOND,
  settle: 1 * SECOND,
  seeds: [1],
});

const i = process.argv.indexOf('--seeds');
const seeds = i > 0 ? Number(process.argv[i + 1]) : 3;
console.log('| variant | seed | client ops | events | run+check s | check s | libSQL s | libSQL share |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const variant of ['corrected', 'as-written']) {
  for (let seed = 1; seed <= seeds; seed++) {
    inLibsql = 0;
    const t0 = performance.now();
    const r = runScenario(scenario, { seed, variant });
    const wall = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (const c of scenario.checkers) c.check({ history: r.history, finalStates: new Map(), probes: r.probes, budget: { steps: 2_000_000 }, faults: r.faults });
    const check = (performance.now() - t1) / 1000;
    const ops = r.history.filter((e) => e.type === 'invoke' && !e.key?.startsWith('lock:')).length;
    const lib = inLibsql / 1000;
    console.log(`| ${variant} | ${seed} | ${ops} | ${r.events} | ${wall.toFixed(2)} | ${check.toFixed(2)} | ${lib.toFixed(3)} | ${((100 * lib) / wall).toFixed(1)}% |`);
  }
}
