// Benchmark for issue 5: seeds per minute of a standard scenario with 1 and 2 worker threads
// (goal: >= 1.8x with 2 workers on 2 cores), and the median shrink ratio over the planted failures.
// Prints, in order: worker start-up (bundled entry against tsx), the steady-state ratio of warm
// pools, seeds per minute of cold sweeps, and the shrink table.
//   npx tsx bin/sweep/bench-sweep.ts [--scenario kv-crash-restart] [--seconds 60] [--rounds 2]
//     [--slice 100] [--slices 6] [--max-runs 300] [--skip-shrink]
import { spawnSync } from 'node:child_process';
import { scenarios, findScenario } from '../../scenarios/index.ts';
import { failingCheck } from '../../sim/replay/repro.ts';
import { shrinkFailure } from '../../sim/replay/shrink.ts';
import { runScenario } from '../../sim/run.ts';
import { table } from '../../reports/terminal.ts';
import { WorkerPool } from './pool.ts';
import { workerEntry } from './worker-entry.ts';
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
const scenario = findScenario(scenarioName);
if (!scenario) throw new Error(`no scenario ${scenarioName}`);
const maxRuns = Number(arg('max-runs', '300'));
// Seeds per minute is measured over a minute by default: a worker's start-up (its thread, its
// modules, and above all V8 compiling the hot code, which costs each worker about a second of CPU)
// is then weighed as it is in a real sweep. Shorter sweeps are dominated by it; see the start-up
// and steady-state figures printed beside.
const seconds = Number(arg('seconds', '60'));
const rounds = Number(arg('rounds', '2'));
const sliceSeeds = Number(arg('slice', '100'));
const slices = Number(arg('slices', '6'));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const range = (xs: readonly number[], digits: number): string =>
  `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}`;

const task = (seed: number): Task => ({ scenario: scenarioName, variant: scenario.defaultVariant, seed });

/**
 * Seeds completed in `seconds` of wall time by a fresh pool of `workers`, counted from the moment
 * the sweep starts (bundle, threads, modules and JIT warm-up included), as seeds per minute.
 * Every sweep runs seeds 1, 2, 3, ... so both pool sizes see the same runs. Keeps two tasks per
 * worker queued, so a worker never waits for the main thread.
 */
async function seedsPerMinute(workers: number): Promise<number> {
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let nextSeed = 1;
  const pool = new WorkerPool(workers, { reproDir: null }, (await workerEntry()).url);
  let done = 0;
  let inFlight = 0;
  await new Promise<void>((resolve, reject) => {
    const submit = (): void => {
      inFlight++;
      pool.run(task(nextSeed++)).then(() => {
        inFlight--;
        if (performance.now() <= deadline) {
          done++;
          submit();
        } else if (inFlight === 0) resolve();
      }, reject);
    };
    for (let i = 0; i < 2 * workers; i++) submit();
  });
  await pool.close();
  return done / seconds * 60;
}

/**
 * Steady state: warm pools of 1 and 2 workers take turns on the same slices of seeds. Each pair
 * is measured within a few seconds, so the machine's drift (this machine kind runs the same work
 * up to 30% faster or slower from one minute to the next) mostly cancels in the pair's ratio.
 */
async function steadyRatios(): Promise<{ one: number[]; two: number[]; ratios: number[] }> {
  const url = (await workerEntry()).url;
  const p1 = new WorkerPool(1, { reproDir: null }, url);
  const p2 = new WorkerPool(2, { reproDir: null }, url);
  const timeSlice = async (p: WorkerPool, base: number): Promise<number> => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: sliceSeeds }, (_, i) => p.run(task(base + i))));
    return sliceSeeds / ((performance.now() - t0) / 60_000);
  };
  // Warm both pools well past V8's tiering before timing anything.
  await timeSlice(p1, 100_000);
  await timeSlice(p2, 100_000);
  await timeSlice(p2, 100_000 + sliceSeeds);
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < slices; i++) {
    const base = 200_000 + i * sliceSeeds;
    one.push(await timeSlice(p1, base));
    two.push(await timeSlice(p2, base));
  }
  await Promise.all([p1.close(), p2.close()]);
  return { one, two, ratios: one.map((o, i) => (two[i] as number) / o) };
}

/** Milliseconds from creating a 1-worker pool to its first result, starting from `entry`. */
async function firstResultMs(entry: URL): Promise<number> {
  const t0 = performance.now();
  const pool = new WorkerPool(1, { reproDir: null }, entry);
  await pool.run(task(1));
  const ms = performance.now() - t0;
  await pool.close();
  return ms;
}

const entry = await workerEntry();
if (!entry.bundled) process.stdout.write(`note: workers load the sources through tsx (${entry.reason})\n`);
const startBundled: number[] = [];
const startTsx: number[] = [];
for (let i = 0; i < 3; i++) {
  if (entry.bundled) startBundled.push(await firstResultMs(entry.url));
  startTsx.push(await firstResultMs(new URL('./worker.mjs', import.meta.url)));
}
process.stdout.write(
  `start-up, pool creation to first result (median of 3): bundled entry ${entry.bundled ? `${median(startBundled).toFixed(0)} ms` : 'n/a'}, ` +
    `tsx entry ${median(startTsx).toFixed(0)} ms\n`,
);

const st = await steadyRatios();
process.stdout.write(
  `steady state, warm pools, ${slices} pairs of ${sliceSeeds}-seed slices: 1 worker ${range(st.one, 0)} seeds/min, ` +
    `2 workers ${range(st.two, 0)} seeds/min, pair ratio median ${median(st.ratios).toFixed(2)}x (${range(st.ratios, 2)})\n`,
);

// Alternate 1 and 2 workers and keep each one's best minute, for the same drift.
const ones: number[] = [];
const twos: number[] = [];
for (let r = 0; r < rounds; r++) {
  ones.push(await seedsPerMinute(1));
  twos.push(await seedsPerMinute(2));
}
const one = Math.max(...ones);
const two = Math.max(...twos);
process.stdout.write(
  `sweep ${scenarioName} (${scenario.defaultVariant}) for ${seconds} s from a cold start, best of ${rounds} alternating rounds: ` +
    `1 worker ${one.toFixed(0)} seeds/min (${range(ones, 0)}), 2 workers ${two.toFixed(0)} seeds/min (${range(twos, 0)}), ratio ${(two / one).toFixed(2)}x ` +
    `(round by round: ${ones.map((o, i) => ((twos[i] as number) / o).toFixed(2)).join(', ')})\n`,
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
