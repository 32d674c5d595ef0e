import chalk from 'chalk';
import type { Command } from 'commander';
import * as os from 'node:os';
import {
  compareGolden,
  computeGolden,
  describeDrift,
  describeUnmet,
  formatGolden,
  ALL_SCENARIOS,
  GOLDEN_FILE,
  goldenTasks,
  GoldenFileError,
  mergeGolden,
  readGolden,
  scenarioScope,
  unmet,
} from '../../golden/golden.ts';
import { dataError, Exit, noInputError, usageError } from '../exit-codes.ts';
import { assertWritable, writeFileAtomic } from '../output.ts';
import { displayPath } from '../repro-file.ts';
import { progress } from '../progress.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program: Command, setExit) => {
  program
    .command('golden')
    .description('check (default) or regenerate the golden table: trace hash and verdicts of every fixed seed')
    .option('--check', 'run every fixed seed and compare with the table; exit 1 on any drift (the default)')
    .option('--update', 'run every fixed seed and rewrite the table (do this on purpose, then commit it)')
    .option('--file <path>', 'the table (default: golden/golden.json in the faultline checkout)')
    .option('--workers <k>', 'worker threads (default: the number of CPUs)')
    .option('--scenario <prefix>', "only the scenarios named <prefix> or <prefix>-*; --update rewrites only their entries and keeps the others")
    .action(async (opts: { check?: boolean; update?: boolean; file?: string; workers?: string; scenario?: string }) => {
      if (opts.check && opts.update) throw usageError('--check and --update exclude each other');
      const file = opts.file ?? GOLDEN_FILE;
      const workers = opts.workers === undefined ? os.availableParallelism() : Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1) throw usageError(`--workers must be a positive integer, got '${opts.workers}'`);
      const scope = opts.scenario === undefined ? ALL_SCENARIOS : scenarioScope(opts.scenario);
      if (opts.scenario !== undefined && goldenTasks(scope).length === 0) {
        throw usageError(`--scenario '${opts.scenario}' names no scenario (see: npx faultline list)`);
      }
      // A scoped update merges into the table, so it reads it like a check does.
      const needsTable = !opts.update || opts.scenario !== undefined;
      let table;
      try {
        table = needsTable ? readGolden(file) : undefined;
      } catch (err) {
        if (err instanceof GoldenFileError) throw dataError(err.message);
        throw err;
      }
      if (opts.update) assertWritable(file); // exit 73 now, not after every fixed seed has run
      // Checking against a table that is not there cannot succeed: say so before running anything.
      if (needsTable && table === undefined) throw noInputError(`cannot read ${displayPath(file)}: no such file (write one with --update)`);
      const bar = progress({ label: 'golden', total: goldenTasks(scope).length });
      let done = 0;
      let failures = 0;
      const fresh = await computeGolden(workers, (l) => {
        done++;
        if (!l.met) failures++;
        bar.update(done, { failures });
      }, scope);
      bar.stop();
      const bad = unmet(fresh);
      if (opts.update) {
        const entries = table === undefined ? fresh : mergeGolden(table, fresh, scope);
        writeFileAtomic(file, formatGolden(entries));
        const scoped = table === undefined ? '' : ` (${fresh.length} re-run)`;
        process.stdout.write(`wrote ${displayPath(file)}: ${entries.length} entries${scoped}\n`);
        if (bad.length > 0) process.stdout.write(chalk.red(describeUnmet(bad)) + '\n');
        setExit(bad.length > 0 ? Exit.UNEXPECTED : Exit.OK);
        return;
      }
      const drift = compareGolden(table, fresh, scope);
      if (drift.length === 0 && bad.length === 0) {
        process.stdout.write(chalk.green(`golden: ${fresh.length} fixed-seed runs match ${displayPath(file)} and are as their scenarios expect`) + '\n');
        setExit(Exit.OK);
        return;
      }
      if (drift.length > 0) process.stdout.write(chalk.red(describeDrift(drift, displayPath(file))) + '\n');
      if (bad.length > 0) process.stdout.write(chalk.red(describeUnmet(bad)) + '\n');
      setExit(Exit.UNEXPECTED);
    });
};
