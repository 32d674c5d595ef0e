import chalk from 'chalk';
import type { Command } from 'commander';
import * as os from 'node:os';
import {
  compareGolden,
  computeGolden,
  describeDrift,
  describeUnmet,
  formatGolden,
  GOLDEN_FILE,
  goldenTasks,
  GoldenFileError,
  readGolden,
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
    .action(async (opts: { check?: boolean; update?: boolean; file?: string; workers?: string }) => {
      if (opts.check && opts.update) throw usageError('--check and --update exclude each other');
      const file = opts.file ?? GOLDEN_FILE;
      const workers = opts.workers === undefined ? os.availableParallelism() : Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1) throw usageError(`--workers must be a positive integer, got '${opts.workers}'`);
      let table;
      try {
        table = opts.update ? undefined : readGolden(file);
      } catch (err) {
        if (err instanceof GoldenFileError) throw dataError(err.message);
        throw err;
      }
      if (opts.update) assertWritable(file); // exit 73 now, not after every fixed seed has run
      // Checking against a table that is not there cannot succeed: say so before running anything.
      if (!opts.update && table === undefined) throw noInputError(`cannot read ${displayPath(file)}: no such file (write one with --update)`);
      const bar = progress({ label: 'golden', total: goldenTasks().length });
      let done = 0;
      let failures = 0;
      const fresh = await computeGolden(workers, (l) => {
        done++;
        if (!l.met) failures++;
        bar.update(done, { failures });
      });
      bar.stop();
      const bad = unmet(fresh);
      if (opts.update) {
        writeFileAtomic(file, formatGolden(fresh));
        process.stdout.write(`wrote ${displayPath(file)}: ${fresh.length} entries\n`);
        if (bad.length > 0) process.stdout.write(chalk.red(describeUnmet(bad)) + '\n');
        setExit(bad.length > 0 ? Exit.UNEXPECTED : Exit.OK);
        return;
      }
      const drift = compareGolden(table, fresh);
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
