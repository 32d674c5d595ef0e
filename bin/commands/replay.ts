import chalk from 'chalk';
import type { Command } from 'commander';
import { summarize } from '../../reports/summary.ts';
import { renderRunSummary } from '../../reports/terminal.ts';
import { applyOverrides } from '../../sim/replay/overrides.ts';
import { choicesIntact, type Repro } from '../../sim/replay/repro.ts';
import { runScenario, type RunResult } from '../../sim/run.ts';
import { Exit } from '../exit-codes.ts';
import { gitCommit, readRepro } from '../repro-file.ts';
import { resolveScenario, resolveVariant } from '../resolve.ts';
import { budgetFrom } from './run.ts';
import type { RegisterCommand } from './types.ts';
import type { TraceSink } from '../../sim/trace.ts';
import { MemoryTraceSink } from '../../reports/sequence-data.ts';
import { renderHtml } from '../../reports/html.ts';
import { buildRunReport } from '../../reports/run-report.ts';
import { assertWritable, writeFileAtomic } from '../output.ts';
import { replayCommandFor } from '../repro-file.ts';

/** What a replay found, beside the run itself. */
export interface ReplayVerdict {
  /** Same trace hash as when the repro was written: the run is the same run. */
  readonly exact: boolean;
  /** The repro's choices still match the digest it was written with (false: the file was edited). */
  readonly intact: boolean;
  readonly expectedTraceHash: string;
  readonly traceHash: string;
  /** The repro's failing check still reports a violation. */
  readonly failureReproduced: boolean;
  readonly check: string;
  readonly verdict: string;
  readonly reproCommit: string;
  readonly currentCommit: string;
}

/** Loads a repro (exit 66/65/64 on a bad file) and reruns it from its recorded choices. */
export function replayRepro(file: string, budgetMs?: string, traceSink?: TraceSink): { repro: Repro; result: RunResult; verdict: ReplayVerdict } {
  const repro = readRepro(file);
  const scenario = resolveScenario(repro.scenario, file);
  const variant = resolveVariant(scenario, repro.variant, file);
  const result = runScenario(applyOverrides(scenario, repro.overrides), {
    seed: repro.seed,
    variant,
    replay: repro.choices,
    budget: budgetFrom(budgetMs),
    ...(traceSink ? { traceSink } : {}),
  });
  const c = result.checks.find((x) => x.name === repro.failure.check);
  return {
    repro,
    result,
    verdict: {
      exact: result.traceHash === repro.traceHash,
      intact: choicesIntact(repro),
      expectedTraceHash: repro.traceHash,
      traceHash: result.traceHash,
      failureReproduced: c?.verdict === 'violation',
      check: repro.failure.check,
      verdict: c?.verdict ?? 'no such check',
      reproCommit: repro.faultline.commit,
      currentCommit: gitCommit(),
    },
  };
}

/** Exit 0 only when the run is the same run and the same check fails. */
export function replayExitCode(v: ReplayVerdict): number {
  return v.exact && v.failureReproduced ? Exit.OK : Exit.UNEXPECTED;
}

/** The plain-words lines under the run summary. */
export function describeReplay(v: ReplayVerdict): string[] {
  const out: string[] = [];
  if (v.exact) out.push(chalk.green(`replayed exactly: trace ${v.traceHash} matches the repro`));
  else if (!v.intact) {
    out.push(chalk.red(`NOT the same run: trace ${v.traceHash} differs from the repro's ${v.expectedTraceHash}, and the file's choices do not match the digest it was written with: the repro was edited after it was written`));
  } else {
    const commits = v.reproCommit === v.currentCommit ? `at the same commit ${short(v.currentCommit)}` : `written at ${short(v.reproCommit)}, now ${short(v.currentCommit)}`;
    out.push(chalk.red(`NOT the same run: trace ${v.traceHash} differs from the repro's ${v.expectedTraceHash} (${commits}); the code changed since the repro was written`));
  }
  if (v.failureReproduced) out.push(chalk.green(`'${v.check}' still reports a violation`));
  else out.push(chalk.red(`'${v.check}' no longer reports a violation (verdict now: ${v.verdict})`));
  return out;
}

const short = (c: string) => (c.length > 12 ? c.slice(0, 12) : c);

export const register: RegisterCommand = (program: Command, setExit) => {
  program
    .command('replay')
    .description('rerun a repro file exactly and say whether the same run fails the same check')
    .argument('<repro.json>', 'a repro written by run, sweep or shrink')
    .option('--json', 'print one JSON object: {replay, run}')
    .option('--budget-ms <n>', 'wall-clock budget for the checkers (default: a fixed step budget)')
    .option('--html <file>', 'also write the HTML report of the replayed run to FILE (any repro: run, sweep, shrink, explore)')
    .action((file: string, opts: { json?: boolean; budgetMs?: string; html?: string }) => {
      if (opts.html) assertWritable(opts.html);
      const memory = opts.html ? new MemoryTraceSink() : undefined;
      const { result, verdict } = replayRepro(file, opts.budgetMs, memory);
      if (opts.html && memory) {
        const scenario = resolveScenario(result.scenario);
        writeFileAtomic(opts.html, renderHtml([buildRunReport({ result, scenario, trace: memory.lines, replay: replayCommandFor(file) })]));
      }
      const summary = summarize(result);
      if (opts.json) process.stdout.write(JSON.stringify({ replay: verdict, run: summary }) + '\n');
      else process.stdout.write(`${renderRunSummary(summary)}\n\n${describeReplay(verdict).join('\n')}\n`);
      setExit(replayExitCode(verdict));
    });
};
