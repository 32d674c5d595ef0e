import type { Command } from 'commander';
import * as path from 'node:path';
import { summarize } from '../../reports/summary.ts';
import { renderRunSummary } from '../../reports/terminal.ts';
import { writeJsonl } from '../../sim/check/readers/index.ts';
import { runScenario, type RunResult } from '../../sim/run.ts';
import { Exit, parseSeed, usageError } from '../exit-codes.ts';
import { assertWritable, FileTraceSink, writeOutputs } from '../output.ts';
import { findScenario } from '../../scenarios/index.ts';
import { renderHtml } from '../../reports/html.ts';
import { buildRunReport } from '../../reports/run-report.ts';
import { MemoryTraceSink, teeSink } from '../../reports/sequence-data.ts';
import type { TraceSink } from '../../sim/trace.ts';
import { resolveScenario, resolveVariant } from '../resolve.ts';
import { DEFAULT_REPRO_DIR, replayCommandFor, saveRunRepro } from '../repro-file.ts';
import type { RegisterCommand } from './types.ts';

export interface RunCliOptions {
  seed?: string;
  variant?: string;
  json?: boolean;
  trace?: string;
  /** Write the run's client history here, in the JSONL format `check` reads (docs/history-format.md). */
  history?: string;
  budgetMs?: string;
  html?: string;
  /** Where to write a repro when a check reports a violation. */
  reproDir?: string;
  /** false with --no-repro. */
  repro?: boolean;
}

/** Exit code for a finished run: 0 as expected, 2 no verdict, 1 anything else. */
export function exitCodeFor(r: RunResult): number {
  if (r.expectation.met) return Exit.OK;
  return r.expectation.outcome === 'unknown' ? Exit.UNKNOWN : Exit.UNEXPECTED;
}

/** The command line that reruns exactly this run. */
export function replayCommand(r: RunResult): string {
  return `npx faultline run ${r.scenario} --seed ${r.seed} --variant ${r.variant}`;
}

/** A wall-clock limit for checkers, measured here in bin/ (sim/ never reads host time). */
export function budgetFrom(ms: string | undefined): { steps: number; expired?: () => boolean } {
  if (ms === undefined) return { steps: 2_000_000 };
  if (!/^\d+$/.test(ms) || Number(ms) <= 0) throw usageError(`--budget-ms must be a positive integer, got '${ms}'`);
  const deadline = performance.now() + Number(ms);
  return { steps: Number.MAX_SAFE_INTEGER, expired: () => performance.now() > deadline };
}

/** Runs one scenario as the CLI was asked to; shared by `run` and the commands built on it. */
export function runFromCli(name: string, opts: RunCliOptions, extraSink?: TraceSink, beforeCommit?: (r: RunResult) => void): RunResult {
  const scenario = resolveScenario(name);
  const variant = resolveVariant(scenario, opts.variant);
  const seed = opts.seed === undefined ? (scenario.seeds[0] as number) : parseSeed(opts.seed);
  const sink = opts.trace ? new FileTraceSink(opts.trace) : undefined;
  const traceSink = sink && extraSink ? teeSink(sink, extraSink) : (sink ?? extraSink);
  try {
    // Recording the draws is cheap and makes any violation a repro file that replays exactly.
    const r = runScenario(scenario, { seed, variant, record: true, ...(traceSink ? { traceSink } : {}), budget: budgetFrom(opts.budgetMs) });
    // A trace into a device is finished first (a full one fails before anything else is
    // written); a trace file last, so a failing other output leaves the file that was there.
    if (sink?.inPlace) sink.commit();
    beforeCommit?.(r);
    if (sink && !sink.inPlace) sink.commit();
    return r;
  } catch (err) {
    sink?.abort();
    throw err;
  }
}

export const register: RegisterCommand = (program: Command, setExit) => {
  program
    .command('run')
    .description('run a named scenario on one seed and print what clients saw and what the checks found')
    .argument('<scenario>', "scenario name (see 'faultline list')")
    .option('--seed <n>', "non-negative integer seed (default: the scenario's first fixed seed)")
    .option('--variant <v>', 'design variant: as-written, corrected, bug:<name> (default: the scenario\'s first)')
    .option('--json', 'print one JSON object instead of tables')
    .option('--trace <file>', 'stream the structured trace to FILE as JSON lines')
    .option('--history <file>', "write the clients' history to FILE as JSON lines, the format 'check' reads (docs/history-format.md)")
    .option('--budget-ms <n>', 'wall-clock budget for the checkers (default: a fixed step budget)')
    .option('--repro-dir <dir>', `write a repro file here when a check reports a violation (default: ${DEFAULT_REPRO_DIR})`)
    .option('--no-repro', 'do not write a repro file')
    .option('--html <file>', 'also write a self-contained HTML report of the run to FILE')
    .action((name: string, opts: RunCliOptions) => {
      const outputs = [opts.trace, opts.html, opts.history].filter((f): f is string => f !== undefined).map((f) => path.resolve(f));
      if (new Set(outputs).size < outputs.length) throw usageError('--trace, --html and --history must name different files');
      if (opts.html) assertWritable(opts.html);
      if (opts.history) assertWritable(opts.history);
      const memory = opts.html ? new MemoryTraceSink() : undefined;
      const r = runFromCli(name, opts, memory, (run) => {
        const scenario = findScenario(run.scenario) as NonNullable<ReturnType<typeof findScenario>>;
        writeOutputs([
          ...(opts.html && memory ? [{ file: opts.html, content: renderHtml([buildRunReport({ result: run, scenario, trace: memory.lines, replay: replayCommand(run) })]) }] : []),
          ...(opts.history ? [{ file: opts.history, content: writeJsonl(run.history) }] : []),
        ]);
      });
      const summary = summarize(r);
      if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else process.stdout.write(renderRunSummary(summary) + '\n');
      const code = exitCodeFor(r);
      if (code !== Exit.OK || r.checks.some((c) => c.verdict === 'violation')) {
        process.stderr.write(`replay: ${replayCommand(r)}\n`);
      }
      if (opts.repro !== false) {
        const file = saveRunRepro(opts.reproDir ?? DEFAULT_REPRO_DIR, r, 'run');
        if (file) process.stderr.write(`repro: ${file}  (replay it: ${replayCommandFor(file)})\n`);
      }
      setExit(code);
    });
};
