// Failover unavailability window of libsql-replication (seed 001 option B), over many seeds:
// ms from the leader's crash (the run's fault record) to the first write a client saw
// acknowledged by a leader after it (models/libsql-replication/metrics.ts, failoverWindows),
// against the election timeout. Two fault plans:
//  - leader-crash: the registered scenario (the leader's links clogged, then cut 50 ms before it
//    crashes, so followers stop hearing it before the crash; a second crash at 9 s counts when
//    it hits the leader);
//  - clean-crash: the same cluster and workload, the leader crashes at 3 s with no warning.
// Checkers are left out (this measures, the scenarios judge). Run:
//   npx tsx bin/dev/libsql-failover-window.ts [--seeds 1..100] [--variants corrected,as-written] [--plan clean-crash|leader-crash]
import { findScenario } from '../../scenarios/index.ts';
import { edgeNetwork, libsqlParams, replicas } from '../../scenarios/libsql-common.ts';
import { libsqlReplication } from '../../models/libsql-replication/index.ts';
import { failoverWindows, percentile } from '../../models/libsql-replication/metrics.ts';
import { runScenario } from '../../sim/run.ts';
import { defineScenario, type Scenario } from '../../sim/scenario.ts';
import { SECOND } from '../../sim/value.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const [from, to] = arg('--seeds', '1..100').split('..').map(Number) as [number, number];
const variants = arg('--variants', 'corrected,as-written').split(',');

const params = libsqlParams();
const clean = defineScenario({
  name: 'libsql-clean-crash',
  doc: 'the leader crashes with no warning',
  model: libsqlReplication,
  params,
  expect: { corrected: { holds: true }, 'as-written': { holds: true } },
  network: edgeNetwork(params.clients),
  faults: { schedule: [{ at: 3 * SECOND, action: { kind: 'crash', node: 'r0', for: 2 * SECOND } }] },
  unsyncedLoss: 1,
  targets: replicas,
  checkers: [],
  duration: 6 * SECOND,
  settle: 1 * SECOND,
  seeds: [1],
});
const crash = findScenario('libsql-leader-crash') as Scenario;
const plans: readonly Scenario[] = [{ ...crash, checkers: [] }, clean].filter((p) => arg('--plan', '') === '' || p.name.endsWith(arg('--plan', '')));

const { min, max } = params.electionTimeout;
console.log(`election timeout ${min / 1000}-${max / 1000} ms, heartbeat ${params.heartbeat / 1000} ms, client timeout ${params.timeout / 1000} ms; seeds ${from}..${to}`);
console.log('plan           variant     crashes  no write after  p50 ms  p90 ms  p99 ms  max ms  below min timeout  worst seed');
for (const s of plans) {
  for (const variant of variants) {
    const ms: number[] = [];
    let none = 0;
    let worst = { seed: 0, ms: -1 };
    for (let seed = from; seed <= to; seed++) {
      for (const w of failoverWindows(runScenario(s, { seed, variant }))) {
        if (w.ms === null) none++;
        else ms.push(w.ms);
        if (w.ms !== null && w.ms > worst.ms) worst = { seed, ms: w.ms };
      }
    }
    const f = (x: number) => x.toFixed(1).padStart(6);
    const below = ms.filter((x) => x < min / 1000).length;
    console.log(
      `${(s.name === crash.name ? 'leader-crash' : 'clean-crash').padEnd(14)} ${variant.padEnd(11)} ${String(ms.length + none).padStart(7)}  ${String(none).padStart(14)}  ${f(percentile(ms, 50))}  ${f(percentile(ms, 90))}  ${f(percentile(ms, 99))}  ${f(Math.max(0, ...ms))}  ${String(below).padStart(17)}  ${String(worst.seed).padStart(10)}`,
    );
  }
}
