import * as path from 'node:path';
import chalk from 'chalk';
import type { Command } from 'commander';
import { exploreExit, exploreScenario, type ExploreReport, STRATEGIES, type Strategy } from '../../sim/explore/explore.ts';
import { ReductionError } from '../../sim/explore/scenario-space.ts';
import { failingCheck } from '../../sim/replay/repro.ts';
import { parseSeed, usageError } from '../exit-codes.ts';
import { DEFAULT_REPRO_DIR, ensureDir, replayCommandFor, reproFileName, saveRunRepro } from '../repro-file.ts';
import { resolveScenario, resolveVariant } from '../resolve.ts';
import type { RegisterCommand } from './types.ts';

interface ExploreCliOptions {
  variant?: string;
  strategy?: string;
  depth?: string;
  maxStates?: string;
  maxRuns?: string;
  budgetMs?: string;
  seed?: string;
  json?: boolean;
  reproDir?: string;
  repro?: boolean;
  reduce?: boolean;
  prune?: boolean;
}

const positive = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0 || !Number.isSafeInteger(Number(v))) throw usageError(`${flag} must be a positive integer, got '${v}'`);
  return Number(v);
};

/** What `explore` prints and `--json` emits: the report without the run, plus wall-clock figures. */
export function summarizeExplore(r: ExploreReport, elapsedMs: number, repro: string | undefined) {
  const { found, ...rest } = r;
  const secs = Math.max(elapsedMs, 1) / 1000;
  return {
    ...rest,
    elapsedMs: Math.round(elapsedMs),
    statesPerSecond: Math.round(r.visited / secs),
    distinctPerSecond: r.distinct === null ? null : Math.round(r.distinct / secs),
    runsPerSecond: Math.round(r.runs / secs),
    ...(found ? { foundChecks: found.checks.filter((c) => c.verdict === 'violation').map((c) => c.name), traceHash: found.traceHash } : {}),
    ...(repro ? { repro } : {}),
  };
}

function render(s: ReturnType<typeof summarizeExplore>): string {
  const lines: string[] = [];
  lines.push(chalk.bold(`explore ${s.scenario} --variant ${s.variant} --strategy ${s.strategy}`) + `  (expected: ${s.expected})`);
  const verdict =
    s.outcome === 'found'
      ? `found a run with ${(s.foundChecks ?? []).join(', ') || 'no violation'} violated (${s.nonZeroChoices ?? 0} non-zero choices)`
      : s.outcome === 'exhausted'
        ? 'space exhausted: nothing found, proved for this configuration'
        : `cut off by ${s.cutOff.join(', ') || (s.undecided > 0 ? 'checker budget' : 'a bound')} before it could decide`;
  lines.push(s.outcome === 'cut-off' ? chalk.yellow(verdict) : verdict);
  lines.push(`states visited ${s.visited}, distinct ${s.distinct ?? 'n/a'}, runs ${s.runs}, deepest ${s.maxDepth} choices`);
  lines.push(`${s.elapsedMs} ms: ${s.statesPerSecond} states/s, ${s.distinctPerSecond ?? 'n/a'} distinct/s, ${s.runsPerSecond} runs/s`);
  lines.push(`pruning: ${s.pruning}${s.undecided > 0 ? `; ${s.undecided} runs undecided (checker budget)` : ''}`);
  if (s.pct) lines.push(`pct: n=${s.pct.n} threads, k=${s.pct.k} steps, d=${s.pct.d}: each run finds a depth-${s.pct.d} bug with p >= 1/(n k^(d-1)) = ${(1 / (s.pct.n * s.pct.k ** (s.pct.d - 1))).toExponential(2)}`);
  return lines.join('\n');
}

export const register: RegisterCommand = (program: Command, setExit) => {
  program
    .command('explore')
    .description('model-check a scenario: enumerate its runs (dfs, bfs) or sample them (pct, random)')
    .argument('<scenario>', "scenario name (see 'faultline list')")
    .option('--variant <v>', "design variant (default: the scenario's first)")
    .option('--strategy <s>', `${STRATEGIES.join(' | ')} (default dfs)`)
    .option('--depth <n>', 'dfs/bfs: branch on the first N draws only; pct: the bug depth d (default 2)')
    .option('--max-states <n>', 'stop once this many distinct states are known')
    .option('--max-runs <n>', 'stop after this many runs (pct/random default 1000)')
    .option('--budget-ms <n>', 'stop after this much wall-clock time')
    .option('--seed <n>', 'seed of the pct/random runs (default 1)')
    .option('--json', 'print one JSON object')
    .option('--repro-dir <dir>', `write the run found here (default: ${DEFAULT_REPRO_DIR})`)
    .option('--no-repro', 'do not write a repro file')
    .option('--no-reduce', 'dfs/bfs: branch on every order of same-instant events')
    .option('--no-prune', 'dfs/bfs: do not prune revisited states')
    .action((name: string, opts: ExploreCliOptions) => {
      const scenario = resolveScenario(name);
      const variant = resolveVariant(scenario, opts.variant);
      const strategy = (opts.strategy ?? 'dfs') as Strategy;
      if (!STRATEGIES.includes(strategy)) throw usageError(`--strategy must be one of ${STRATEGIES.join(', ')}, got '${opts.strategy}'`);
      const depth = positive('--depth', opts.depth);
      const maxStates = positive('--max-states', opts.maxStates);
      const maxRuns = positive('--max-runs', opts.maxRuns);
      const budgetMs = positive('--budget-ms', opts.budgetMs);
      const seed = opts.seed === undefined ? undefined : parseSeed(opts.seed);
      // Host time is read here, never in sim/.
      const start = performance.now();
      const deadline = budgetMs === undefined ? undefined : start + budgetMs;
      let report: ExploreReport;
      try {
        report = exploreScenario(scenario, {
          variant,
          strategy,
          ...(depth !== undefined ? { depth } : {}),
          ...(maxStates !== undefined ? { maxStates } : {}),
          ...(maxRuns !== undefined ? { maxRuns } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(deadline !== undefined ? { shouldStop: () => performance.now() > deadline } : {}),
          ...(opts.reduce === false ? { reduce: false } : {}),
          ...(opts.prune === false ? { prune: false } : {}),
        });
      } catch (err) {
        if (err instanceof ReductionError) throw usageError(err.message);
        throw err;
      }
      const elapsed = performance.now() - start;
      let repro: string | undefined;
      const found = report.found;
      if (found && opts.repro !== false) {
        const e = scenario.expect[variant];
        const check = failingCheck(found, e && 'violates' in e ? e.violates : [])?.name;
        if (check) {
          const dir = opts.reproDir ?? DEFAULT_REPRO_DIR;
          ensureDir(dir);
          repro = saveRunRepro(dir, found, `explore --strategy ${strategy}`, { check, file: path.join(dir, reproFileName(found, check, `.explore-${strategy}`)) });
        }
      }
      const summary = summarizeExplore(report, elapsed, repro);
      if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else process.stdout.write(render(summary) + '\n');
      if (repro) process.stderr.write(`repro: ${repro}  (replay it: ${replayCommandFor(repro)})\n`);
      const e = scenario.expect[variant];
      setExit(exploreExit(report, e !== undefined && 'holds' in e));
    });
};
