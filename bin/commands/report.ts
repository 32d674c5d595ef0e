import { renderHtml } from '../../reports/html.ts';
import { renderRunMarkdown } from '../../reports/markdown.ts';
import { parseResults, ResultsFormatError, type ResultRef } from '../../reports/results-file.ts';
import { buildRunReport, type RunReport } from '../../reports/run-report.ts';
import { MemoryTraceSink } from '../../reports/sequence-data.ts';
import { runScenario } from '../../sim/run.ts';
import { dataError, usageError } from '../exit-codes.ts';
import { readTextInput } from '../read-input.ts';
import { assertWritable, writeOutputs } from '../output.ts';
import { resolveScenario, resolveVariant } from '../resolve.ts';
import { replayCommand } from './run.ts';
import type { RegisterCommand } from './types.ts';

interface ReportOptions {
  html?: string;
  md?: string;
  max?: string;
}

function readResults(file: string): ResultRef[] {
  const text = readTextInput(file);
  try {
    return parseResults(text, file);
  } catch (err) {
    if (err instanceof ResultsFormatError) throw dataError(err.message);
    throw err;
  }
}

/** Runs worth a reader's time first: unexpected outcomes, then violations, then the rest. */
function interest(r: RunReport): number {
  return r.verdict.tone === 'bad' ? 0 : r.verdict.tone === 'unknown' ? 1 : r.verdict.tone === 'caught' ? 2 : 3;
}

/** Re-runs one named run (exact: runs are deterministic) and builds its report. */
function rerun(ref: ResultRef): RunReport {
  const scenario = resolveScenario(ref.scenario, ref.source);
  const variant = resolveVariant(scenario, ref.variant, ref.source);
  const sink = new MemoryTraceSink();
  const result = runScenario(scenario, { seed: ref.seed, variant, traceSink: sink });
  const notes =
    ref.traceHash !== undefined && ref.traceHash !== result.traceHash
      ? [`${ref.source} recorded trace hash ${ref.traceHash}, but re-running gives ${result.traceHash}: the code changed since the results were written, so this report shows today's behaviour.`]
      : [];
  return buildRunReport({ result, scenario, trace: sink.lines, replay: replayCommand(result), notes });
}

export const register: RegisterCommand = (program) => {
  program
    .command('report')
    .description('turn results files (run --json output, sweep JSON lines) into a self-contained HTML page or markdown')
    .argument('<results...>', 'results files: run --json objects, arrays of them, or JSON lines with scenario/variant/seed')
    .option('--html <file>', 'write one self-contained HTML page to FILE')
    .option('--md <file>', 'write markdown to FILE')
    .option('--max <n>', 'at most N runs in detail, most interesting first (default 10)')
    .action((files: string[], opts: ReportOptions) => {
      if (!opts.html && !opts.md) throw usageError('report needs --html FILE or --md FILE');
      const max = opts.max === undefined ? 10 : Number(opts.max);
      if (!Number.isSafeInteger(max) || max <= 0) throw usageError(`--max must be a positive integer, got '${opts.max}'`);
      const refs = files.flatMap(readResults);
      if (opts.html) assertWritable(opts.html);
      if (opts.md) assertWritable(opts.md);
      // Dedupe identical runs (a sweep can list a seed twice); order: most interesting first, stable.
      const seen = new Set<string>();
      const unique = refs.filter((r) => {
        const k = `${r.scenario}\u0000${r.variant ?? ''}\u0000${r.seed}`;
        return seen.has(k) ? false : (seen.add(k), true);
      });
      const reports = unique.map(rerun).map((r, i) => ({ r, i }));
      reports.sort((a, b) => interest(a.r) - interest(b.r) || a.i - b.i);
      const shown = reports.slice(0, max).map((x) => x.r);
      if (reports.length > max) process.stderr.write(`report: ${reports.length} runs; showing the ${max} most interesting (--max to change)\n`);
      writeOutputs([
        ...(opts.html ? [{ file: opts.html, content: renderHtml(shown) }] : []),
        ...(opts.md ? [{ file: opts.md, content: shown.map(renderRunMarkdown).join('\n---\n\n') }] : []),
      ]);
      for (const f of [opts.html, opts.md]) if (f) process.stderr.write(`wrote ${f}\n`);
    });
};
