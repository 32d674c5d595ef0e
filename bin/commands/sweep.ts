import { createHash } from 'node:crypto';
import chalk from 'chalk';
import type { Command } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { table } from '../../reports/terminal.ts';
import { scenarios } from '../../scenarios/index.ts';
import type { Scenario } from '../../sim/scenario.ts';
import { cantCreateError, Exit, usageError } from '../exit-codes.ts';
import { DEFAULT_REPRO_DIR, replayCommandFor } from '../repro-file.ts';
import { resolveScenario } from '../resolve.ts';
import { runAll } from '../sweep/pool.ts';
import { ResultsFile } from '../sweep/results.ts';
import { parseSeedRange, parseShard, type Shard, shardSeeds } from '../sweep/seeds.ts';
import { type ResultLine, type Task, taskKey } from '../sweep/task.ts';
import { progress } from '../progress.ts';
import type { RegisterCommand } from './types.ts';

interface SweepCliOptions {
  all?: boolean;
  seeds?: string;
  variant?: string;
  workers?: string;
  shard?: string;
  out?: string;
  resume?: boolean;
  reproDir?: string;
  repro?: boolean;
}

/**
 * Which scenario × variant pairs a sweep runs. Every variant a scenario declares in `expect`
 * (each has a known right answer, so every one can pass or fail the sweep), or only `--variant`.
 */
export function sweepTargets(names: readonly string[], all: boolean, variant: string | undefined): { scenario: Scenario; variant: string }[] {
  if (all && names.length > 0) throw usageError('name scenarios or pass --all, not both');
  if (!all && names.length === 0) throw usageError("name at least one scenario, or pass --all ('faultline list' shows them)");
  const chosen = all ? [...scenarios] : names.map((n) => resolveScenario(n));
  const out: { scenario: Scenario; variant: string }[] = [];
  for (const s of chosen) {
    if (variant === undefined) for (const v of s.variants) out.push({ scenario: s, variant: v });
    else if (s.variants.includes(variant)) out.push({ scenario: s, variant });
    else if (!all) throw usageError(`scenario '${s.name}' has no variant '${variant}'; it runs: ${s.variants.join(', ')}`);
  }
  if (out.length === 0) throw usageError(`no scenario runs variant '${variant}'`);
  return out;
}

/** The default results file: named after the sweep, so `--resume` with the same flags finds it. */
export function defaultOut(names: readonly string[], all: boolean, seeds: string, variant: string | undefined, shard: Shard | undefined): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  const joined = names.map(safe).join('+');
  // A file name may hold 255 bytes: many scenarios are named by the first and a hash of the list.
  const what = all
    ? 'all'
    : joined.length <= 120
      ? joined
      : `${safe(names[0] ?? '')}+${names.length - 1}-more-${createHash('sha256').update(joined).digest('hex').slice(0, 12)}`;
  const parts = [what, variant ? safe(variant) : undefined, `seeds-${safe(seeds)}`, shard ? `shard-${shard.index}-of-${shard.count}` : undefined];
  return path.join('.faultline', 'sweeps', `${parts.filter(Boolean).join('.')}.jsonl`);
}

function positiveInt(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1024) throw usageError(`${flag} must be an integer from 1 to 1024, got '${text}'`);
  return Number(text);
}

/** Exit code of a sweep: 1 if any run was not what its scenario expects (or threw), else 2 if any had no verdict. */
export function sweepExitCode(lines: readonly ResultLine[]): number {
  if (lines.some((l) => l.outcome === 'unexpected' || l.outcome === 'error')) return Exit.UNEXPECTED;
  if (lines.some((l) => l.outcome === 'unknown')) return Exit.UNKNOWN;
  return Exit.OK;
}

function summaryTable(lines: readonly ResultLine[]): string {
  const groups = new Map<string, ResultLine[]>();
  for (const l of lines) {
    const k = `${l.scenario}\u0000${l.variant}`;
    groups.set(k, [...(groups.get(k) ?? []), l]);
  }
  const rows = [['scenario', 'variant', 'expected', 'seeds', 'as expected', 'unexpected', 'no verdict', 'errors', 'repros'].map((h) => chalk.bold(h))];
  for (const ls of groups.values()) {
    const first = ls[0] as ResultLine;
    const n = (o: ResultLine['outcome']) => ls.filter((l) => l.outcome === o).length;
    const bad = n('unexpected');
    rows.push([
      first.scenario,
      first.variant,
      ls.find((l) => l.expected)?.expected ?? '',
      String(ls.length),
      chalk.green(String(n('ok'))),
      bad > 0 ? chalk.red(String(bad)) : '0',
      n('unknown') > 0 ? chalk.yellow(String(n('unknown'))) : '0',
      n('error') > 0 ? chalk.red(String(n('error'))) : '0',
      String(ls.filter((l) => l.repro).length),
    ]);
  }
  return table(rows);
}

export const register: RegisterCommand = (program: Command, setExit) => {
  program
    .command('sweep')
    .description('run many seeds of one or more scenarios on worker threads; one synced result line per seed')
    .argument('[scenario...]', "scenario names (see 'faultline list')")
    .option('--all', 'every scenario')
    .requiredOption('--seeds <A..B>', 'inclusive seed range, e.g. 1..1000 (or one seed N)')
    .option('--variant <v>', "run only this variant (default: every variant in each scenario's expectations)")
    .option('--workers <k>', 'worker threads (default: the number of CPUs)')
    .option('--shard <i/n>', 'run only shard i of n (1-based) of the seed range, for CI matrices and indexed jobs')
    .option('--out <file>', 'results file, JSON lines (default: .faultline/sweeps/<what>.<seeds>[.<shard>].jsonl)')
    .option('--resume', 'continue the sweep in --out: skip seeds it already holds')
    .option('--repro-dir <dir>', `write a repro for every run where a check reports a violation (default: ${DEFAULT_REPRO_DIR})`)
    .option('--no-repro', 'write no repro files')
    .action(async (names: string[], opts: SweepCliOptions) => {
      const seedsText = opts.seeds as string;
      const targets = sweepTargets(names, opts.all ?? false, opts.variant);
      const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
      const seeds = shardSeeds(parseSeedRange(seedsText), shard);
      const workers = opts.workers === undefined ? Math.max(1, os.availableParallelism()) : positiveInt('--workers', opts.workers);
      const out = opts.out ?? defaultOut(names, opts.all ?? false, seedsText, opts.variant, shard);
      if (opts.out === undefined) {
        try {
          fs.mkdirSync(path.dirname(out), { recursive: true });
        } catch (err) {
          throw cantCreateError(`cannot create ${path.dirname(out)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
      }
      const results = ResultsFile.open(out, opts.resume ?? false);
      const tasks: Task[] = [];
      for (const t of targets) for (const seed of seeds) tasks.push({ scenario: t.scenario.name, variant: t.variant, seed });
      const todo = tasks.filter((t) => !results.done.has(taskKey(t)));
      const reproDir = opts.repro === false ? null : path.resolve(opts.reproDir ?? DEFAULT_REPRO_DIR);
      const skipped = tasks.length - todo.length;
      process.stderr.write(
        `sweep: ${tasks.length} runs (${targets.length} scenario-variants × ${seeds.length} seeds${shard ? `, shard ${shard.index}/${shard.count}` : ''})` +
          `${skipped > 0 ? `, ${skipped} already in ${out}` : ''}; ${Math.min(workers, Math.max(1, todo.length))} workers; results → ${out}\n`,
      );

      // A bar on a terminal; a plain line every 10 s in CI logs.
      const bar = progress({ label: 'sweep', total: todo.length });
      const fresh: ResultLine[] = [];
      let failures = 0;
      const t0 = performance.now();
      try {
        await runAll(todo, workers, { reproDir }, (line) => {
          const shown = line.repro ? { ...line, repro: path.relative(process.cwd(), line.repro) || line.repro } : line;
          results.append(shown);
          fresh.push(shown);
          if (line.outcome === 'unexpected' || line.outcome === 'error') failures++;
          bar.update(fresh.length, { failures });
        });
      } finally {
        bar.stop();
        results.close();
      }
      const seconds = (performance.now() - t0) / 1000;

      const all = tasks.map((t) => results.done.get(taskKey(t)) ?? fresh.find((l) => taskKey(l) === taskKey(t))).filter((l): l is ResultLine => l !== undefined);
      process.stdout.write(summaryTable(all) + '\n');
      const rate = fresh.length > 0 && seconds > 0 ? ` (${Math.round((fresh.length / seconds) * 60)} runs/min)` : '';
      process.stdout.write(chalk.dim(`\n${fresh.length} runs in ${seconds.toFixed(1)} s${rate}${skipped > 0 ? `, ${skipped} resumed from ${out}` : ''}; results in ${out}\n`));
      const bad = all.filter((l) => l.outcome === 'unexpected' || l.outcome === 'error');
      for (const l of bad.slice(0, 10)) {
        const how = l.repro ? replayCommandFor(l.repro) : `npx faultline run ${l.scenario} --seed ${l.seed} --variant ${l.variant}`;
        process.stdout.write(chalk.red(`NOT as expected: ${l.scenario} ${l.variant} seed ${l.seed}${l.error ? ` (error: ${l.error})` : ''}: ${how}\n`));
      }
      if (bad.length > 10) process.stdout.write(chalk.red(`... and ${bad.length - 10} more (see ${out})\n`));
      setExit(sweepExitCode(all));
    });
};
