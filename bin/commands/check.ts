import { performance } from 'node:perf_hooks';
import chalk from 'chalk';
import type { Command } from 'commander';
import { HistoryError } from '../../sim/history.ts';
import { checkLinearizability, type LinearizabilityReport, type OpView } from '../../sim/check/linearizability.ts';
import { hasModel, modelByName, modelNames } from '../../sim/check/models/index.ts';
import { historyFormats, isHistoryFormat, ParseError, readHistory } from '../../sim/check/readers/index.ts';
import { dataError, Exit, usageError } from '../exit-codes.ts';
import { readTextInput } from '../read-input.ts';
import type { RegisterCommand } from './types.ts';

interface CheckOptions {
  readonly model: string;
  readonly format: string;
  readonly json?: boolean;
  readonly budgetMs?: string;
  readonly steps?: string;
}

function positiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) throw usageError(`${flag} must be a positive integer, got '${text}'`);
  return Number(text);
}

const show = (v: unknown): string => JSON.stringify(v ?? null);
const showArg = (v: unknown): string => (v === null || v === undefined ? '' : JSON.stringify(v));

function printHuman(report: LinearizabilityReport, file: string, format: string, timeMs: number): void {
  const color = report.verdict === 'ok' ? chalk.green : report.verdict === 'violation' ? chalk.red : chalk.yellow;
  const label = report.verdict === 'ok' ? 'LINEARIZABLE' : report.verdict === 'violation' ? 'NOT LINEARIZABLE' : 'UNKNOWN';
  const out: string[] = [];
  out.push(`${color.bold(label)}  ${file}  ${chalk.dim(`(model ${report.model}, format ${format}, ${report.ops} ops, ${report.partitions.length} partition${report.partitions.length === 1 ? '' : 's'}, ${report.steps} steps, ${timeMs.toFixed(1)} ms)`)}`);
  out.push(report.summary);
  if (report.partitions.length > 1) {
    const count = (v: string): number => report.partitions.filter((p) => p.verdict === v).length;
    out.push(chalk.dim(`partitions: ${count('ok')} ok, ${count('violation')} violation, ${count('unknown')} unknown`));
  }
  for (const p of report.partitions) {
    const v = p.violation;
    if (!v) continue;
    out.push('');
    out.push(chalk.bold(`Shortest failing prefix${p.key !== '' ? ` on key ${JSON.stringify(p.key)}` : ''}${v.shortest ? '' : ' (budget ran out while shrinking: may not be the shortest)'}:`));
    const placed = new Set(v.longest);
    const row = (o: OpView): string => {
      const mark = o.id === v.culprit.id ? chalk.red('✗') : placed.has(o.id) ? chalk.green('✓') : ' ';
      const span = `[${o.invokeTime}, ${o.completeTime ?? '…'}]`;
      const output = o.status === 'ok' ? ` -> ${show(o.output)}` : chalk.dim(` (${o.status})`);
      return `  ${mark} #${o.id} p${o.process} ${o.f}${o.key !== null ? `[${JSON.stringify(o.key)}]` : ''}(${showArg(o.input)})${output} ${chalk.dim(span)}`;
    };
    for (const o of v.failingPrefix) out.push(row(o));
    out.push(chalk.dim(`  ✓ in a longest partial linearization (${v.longest.length} ops), ✗ the operation that cannot be placed`));
  }
  process.stdout.write(out.join('\n') + '\n');
}

export const register: RegisterCommand = (program: Command, setExit) => {
  program
    .command('check')
    .description('check a recorded history for linearizability (exit 0 linearizable, 1 not, 2 unknown)')
    .argument('<file>', 'history file')
    .requiredOption('--model <name>', `sequential model: ${modelNames().join(', ')}`)
    .option('--format <format>', `history format: ${Object.keys(historyFormats).join(', ')}`, 'jsonl')
    .option('--json', 'print one JSON object instead of text')
    .option('--budget-ms <n>', 'wall-clock budget in milliseconds; past it the verdict is unknown')
    .option('--steps <n>', 'deterministic search-step budget; past it the verdict is unknown')
    .action((file: string, opts: CheckOptions) => {
      if (!hasModel(opts.model)) throw usageError(`unknown model '${opts.model}' (known: ${modelNames().join(', ')})`);
      if (!isHistoryFormat(opts.format)) throw usageError(`unknown format '${opts.format}' (known: ${Object.keys(historyFormats).join(', ')})`);
      const budgetMs = opts.budgetMs !== undefined ? positiveInt(opts.budgetMs, '--budget-ms') : undefined;
      const steps = opts.steps !== undefined ? positiveInt(opts.steps, '--steps') : Number.MAX_SAFE_INTEGER;
      const text = readTextInput(file);
      const model = modelByName(opts.model);
      let events;
      try {
        events = readHistory(opts.format, text, { model: model.name, ops: model.ops });
      } catch (err) {
        if (err instanceof ParseError) throw dataError(`${file}:${err.line}: ${err.reason}`);
        throw err;
      }
      const start = performance.now();
      const deadline = budgetMs !== undefined ? start + budgetMs : undefined;
      let report: LinearizabilityReport;
      try {
        report = checkLinearizability(events, model, { steps, ...(deadline !== undefined ? { expired: () => performance.now() > deadline } : {}) });
      } catch (err) {
        // Readers already enforce pairing; this only fires for histories built some other way.
        if (err instanceof HistoryError) throw dataError(`${file}: event ${err.index + 1}: ${err.message}`);
        throw err;
      }
      const timeMs = performance.now() - start;
      if (opts.json) {
        const result = {
          verdict: report.verdict,
          model: report.model,
          file,
          format: opts.format,
          ops: report.ops,
          steps: report.steps,
          summary: report.summary,
          timeMs: Math.round(timeMs * 1000) / 1000,
          partitions: report.partitions,
        };
        process.stdout.write(JSON.stringify(result) + '\n');
      } else printHuman(report, file, opts.format, timeMs);
      setExit(report.verdict === 'ok' ? Exit.OK : report.verdict === 'violation' ? Exit.UNEXPECTED : Exit.UNKNOWN);
    });
};
