// Benchmark for issue 5: seeds per minute of a standard scenario with 1 and 2 worker threads
// (goal: >= 1.8x with 2 workers on 2 cores), and the median shrink ratio over the planted failures.
//   npx tsx bin/sweep/bench-sweep.ts [--scenario kv-crash-restart] [--seeds 200] [--rounds 3] [--max-runs 300] [--skip-shrink]
import { spawnSync } from 'node:child_process';
import { scenarios, findScenario } from '../../scenarios/index.ts';
import { failingCheck } from '../../sim/replay/repro.ts';
import { shrinkFailure } from '../../sim/replay/shrink.ts';
import { runScenario } from '../../sim/run.ts';
import { table } from '../../reports/terminal.ts';
import { runAll } from './pool.ts';
import type { Task } from './task.ts';

// Measure under the flag the CLI runs with (see bin/faultline.mjs): re-run this script with it.
if (!process.execArgv.includes('--single-threaded-gc')) {
  const r = spawnSync(process.execPath, ['--single-threaded-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const scenarioName = arg('scenario', 'kv-crash-restart');
// 200 seeds (about 6 s of runs): enough that the workers' start-up (loading tsx and the modules,
// about half a second, paid once per sweep) does not decide the ratio, as in real sweeps.
const nSeeds = Number(arg('seeds', '200'));
const maxRuns = Number(arg('max-runs', '300'));

async function seedsPerMinute(workers: number): Promise<number> {
  const s = findScenario(scenarioName);
  if (!s) throw new Error(`no scenario ${scenarioName}`);
  const tasks: Task[] = Array.from({ length: nSeeds }, (_, i) => ({ scenario: s.name, variant: s.defaultVariant, seed: 1000 + i }));
  // Warm-up: worker start-up (tsx registration, module load) is paid once per sweep, not per seed;
  // include it, since a real sweep pays it too, but run a few seeds first so JIT noise is even.
  const t0 = performance.now();
  await runAll(tasks, workers, { reproDir: null }, () => {});
  return nSeeds / ((performance.now() - t0) / 60_000);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

// Alternate 1 and 2 workers over several rounds and keep each one's best: on this machine kind
// the same sweep runs at speeds up to 30% apart from one minute to the next, and a single pair
// of measurements then says more about the minute than about the workers.
const rounds = Number(arg('rounds', '3'));
let one = 0;
let two = 0;
for (let r = 0; r < rounds; r++) {
  one = Math.max(one, await seedsPerMinute(1));
  two = Math.max(two, await seedsPerMinute(2));
}
process.stdout.write(
  `sweep ${scenarioName} (${nSeeds} seeds, default variant, best of ${rounds} alternating rounds): ` +
    `1 worker ${one.toFixed(0)} seeds/min, 2 workers ${two.toFixed(0)} seeds/min, ratio ${(two / one).toFixed(2)}x\n`,
);

if (!process.argv.includes('--skip-shrink')) {
  const rows = [['planted failure', 'runs', 'secs', 'choices', 'ops', 'faults', 'events', 'sim s', 'choice ratio', 'ops ratio']];
  const ratiosChoices: number[] = [];
  const ratiosOps: number[] = [];
  for (const s of scenarios) {
    for (const v of s.variants) {
      const e = s.expect[v];
      if (!e || !('violates' in e)) continue;
      const seed = s.seeds[0] as number;
      const r = runScenario(s, { seed, variant: v, record: true });
      const check = failingCheck(r, e.violates)?.name;
      if (!check) continue;
      const t0 = performance.now();
      const o = shrinkFailure({ scenario: s, variant: v, seed, check, choices: r.choices ?? [], overrides: {} }, { maxRuns, shouldStop: () => performance.now() - t0 > 60_000 });
      const secs = (performance.now() - t0) / 1000;
      const rc = o.after.choices / Math.max(1, o.before.choices);
      const ro = o.after.ops / Math.max(1, o.before.ops);
      ratiosChoices.push(rc);
      ratiosOps.push(ro);
      const ba = (a: number, b: number) => `${a} -> ${b}`;
      rows.push([
        `${s.name} ${v}`,
        String(o.runs),
        secs.toFixed(1),
        ba(o.before.choices, o.after.choices),
        ba(o.before.ops, o.after.ops),
        ba(o.before.faults, o.after.faults),
        ba(o.before.events, o.after.events),
        ba(o.before.simTimeUs / 1e6, o.after.simTimeUs / 1e6),
        rc.toFixed(3),
        ro.toFixed(3),
      ]);
    }
  }
  process.stdout.write(table(rows) + '\n');
  process.stdout.write(`median shrink ratio (after/before) over ${ratiosChoices.length} planted failures: choices ${median(ratiosChoices).toFixed(3)}, ops ${median(ratiosOps).toFixed(3)}\n`);
}
