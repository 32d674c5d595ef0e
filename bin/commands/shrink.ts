import chalk from 'chalk';
import type { Command } from 'commander';
import * as path from 'node:path';
import { table } from '../../reports/terminal.ts';
import { ShrinkError, shrinkFailure, type ShrinkOutcome } from '../../sim/replay/shrink.ts';
import type { RunSize } from '../../sim/replay/size.ts';
import { Exit, usageError } from '../exit-codes.ts';
import { assertWritable } from '../output.ts';
import { readRepro, replayCommandFor, saveRunRepro } from '../repro-file.ts';
import { resolveScenario, resolveVariant } from '../resolve.ts';
import { progress } from '../progress.ts';
import type { RegisterCommand } from './types.ts';

/** Enough for the kv planted failures to reach a short story in a few seconds each. */
export const DEFAULT_MAX_RUNS = 300;
/** A wall-clock cap as well, so a slow scenario (or a busy machine) still ends in under a minute. */
export const DEFAULT_TIME_LIMIT_S = 45;

interface ShrinkCliOptions {
  out?: string;
  maxRuns?: string;
  timeLimit?: string;
  json?: boolean;
}

const positiveInt = (flag: string, text: string): number => {
  if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) throw usageError(`${flag} must be a positive integer, got '${text}'`);
  return Number(text);
};

/** `x.json` → `x.shrunk.json`, beside the input. */
export function defaultShrunkPath(input: string): string {
  const base = path.basename(input).replace(/\.json$/i, '');
  return path.join(path.dirname(input), `${base}.shrunk.json`);
}

function sizeRows(o: ShrinkOutcome): string[][] {
  const row = (label: string, f: (s: RunSize) => number, unit = (n: number) => String(n)) => {
    const a = f(o.before);
    const b = f(o.after);
    return [label, unit(a), unit(b), a > 0 ? `${((b / a) * 100).toFixed(1)}%` : '-'];
  };
  return [
    ['', 'before', 'after', 'after/before'].map((h) => chalk.bold(h)),
    row('operations', (s) => s.ops),
    row('faults', (s) => s.faults),
    row('kernel events', (s) => s.events),
    row('simulated time', (s) => s.simTimeUs, (n) => `${(n / 1e6).toFixed(3)} s`),
    row('choices', (s) => s.choices),
    row('non-zero choices', (s) => s.nonZeroChoices),
  ];
}

export const register: RegisterCommand = (program: Command, setExit) => {
  program
    .command('shrink')
    .description('minimise a failing repro (fewer faults, operations, simulated time) while the same check keeps failing')
    .argument('<repro.json>', 'a repro written by run, sweep or shrink')
    .option('-o, --out <file>', 'where to write the shrunk repro (default: <repro>.shrunk.json beside the input)')
    .option('--max-runs <n>', `most candidate runs to try (default ${DEFAULT_MAX_RUNS})`)
    .option('--time-limit <s>', `stop after this many seconds with the best repro so far (default ${DEFAULT_TIME_LIMIT_S})`)
    .option('--json', 'print one JSON object: before, after, runs, phases, out')
    .action((file: string, opts: ShrinkCliOptions) => {
      const repro = readRepro(file);
      const scenario = resolveScenario(repro.scenario, file);
      const variant = resolveVariant(scenario, repro.variant, file);
      const maxRuns = opts.maxRuns === undefined ? DEFAULT_MAX_RUNS : positiveInt('--max-runs', opts.maxRuns);
      const timeLimit = opts.timeLimit === undefined ? DEFAULT_TIME_LIMIT_S : positiveInt('--time-limit', opts.timeLimit);
      const deadline = performance.now() + timeLimit * 1000;
      const out = opts.out ?? defaultShrunkPath(file);
      assertWritable(out); // exit 73 now, not after a minute of shrinking

      // A bar on a terminal; a plain line every 10 s in CI logs (none with --json on a terminal).
      const bar = opts.json && process.stderr.isTTY ? undefined : progress({ label: 'shrink', total: maxRuns, unit: 'candidate runs' });
      let outcome: ShrinkOutcome;
      try {
        outcome = shrinkFailure(
          { scenario, variant, seed: repro.seed, check: repro.failure.check, choices: repro.choices, overrides: repro.overrides },
          { maxRuns, shouldStop: () => performance.now() > deadline, onProgress: (runs, best, phase) => bar?.update(runs, { detail: `${phase}: ops ${best.ops}, faults ${best.faults}, choices ${best.choices}` }) },
        );
      } catch (err) {
        if (err instanceof ShrinkError) {
          bar?.stop();
          process.stderr.write(`faultline: cannot shrink ${file}: ${err.message}; replay it to see what changed\n`);
          setExit(Exit.UNEXPECTED);
          return;
        }
        throw err;
      } finally {
        bar?.stop();
      }
      const written = saveRunRepro(path.dirname(out), outcome.result, 'shrink', { overrides: outcome.overrides, check: repro.failure.check, file: out }) as string;
      if (opts.json) {
        process.stdout.write(
          JSON.stringify({ before: outcome.before, after: outcome.after, runs: outcome.runs, stopped: outcome.stopped, phases: outcome.phases, fcShrinks: outcome.fcShrinks, overrides: outcome.overrides, out: written }) + '\n',
        );
      } else {
        process.stdout.write(`${chalk.bold(`shrunk ${repro.scenario} ${repro.variant} seed ${repro.seed}`)}: '${repro.failure.check}' still fails\n\n`);
        process.stdout.write(table(sizeRows(outcome)) + '\n\n');
        process.stdout.write(
          chalk.dim(`${outcome.runs} candidate runs (${outcome.phases.map((p) => `${p.name} ${p.runs}`).join(', ')}); fast-check shrink steps ${outcome.fcShrinks}`) + '\n',
        );
        if (outcome.stopped) process.stdout.write(chalk.yellow(`stopped at the ${timeLimit} s time limit; --time-limit or --max-runs to go further (shrinking the shrunk file continues from here)`) + '\n');
        if (outcome.overrides.durationUs !== undefined) {
          process.stdout.write(`the fault phase now ends at ${(outcome.overrides.durationUs / 1e6).toFixed(3)} s (recorded in the repro's overrides)\n`);
        }
        process.stdout.write(`wrote ${written}\nreplay: ${replayCommandFor(written)}\n`);
      }
      setExit(Exit.OK);
    });
};
