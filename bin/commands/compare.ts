import { compareVariant, type ScenarioComparison } from '../../reports/compare.ts';
import { renderCompareHtml, renderCompareMarkdown, renderCompareTerminal } from '../../reports/compare-render.ts';
import { familyRow, type FamilyComparison, type FamilySpec } from '../../reports/family.ts';
import { renderFamilyHtml, renderFamilyMarkdown, renderFamilyTerminal } from '../../reports/family-render.ts';
import { FAMILIES, findFamily } from './compare-families.ts';
import { runScenario, type RunResult } from '../../sim/run.ts';
import { Exit, usageError } from '../exit-codes.ts';
import { assertWritable, writeFileAtomic } from '../output.ts';
import { resolveScenario, resolveVariant } from '../resolve.ts';
import { budgetFrom } from './run.ts';
import { progress } from '../progress.ts';
import type { RegisterCommand } from './types.ts';

interface CompareOptions {
  seeds?: string;
  variants?: string;
  md?: boolean;
  json?: boolean;
  html?: string;
  budgetMs?: string;
}

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('compare')
    .description(
      'run every variant of each scenario over the same seeds (same faults) and show them side by side; ' +
        `or, given a family (${FAMILIES.map((f) => f.name).join(', ')}), one row per design of the family`,
    )
    .argument('<scenario...>', "scenario names (see 'faultline list'), or one family name")
    .option('--seeds <n>', "seeds 1..N (default: the scenario's fixed seeds)")
    .option('--variants <list>', 'comma-separated variants to compare (default: all the scenario runs)')
    .option('--md', 'print markdown tables')
    .option('--json', 'print one JSON array')
    .option('--html <file>', 'write a self-contained HTML page to FILE')
    .option('--budget-ms <n>', 'wall-clock budget for the checkers of each run')
    .action((names: string[], opts: CompareOptions) => {
      if (opts.md && opts.json) throw usageError('choose one of --md and --json');
      let n: number | undefined;
      if (opts.seeds !== undefined) {
        n = Number(opts.seeds);
        if (!/^\d+$/.test(opts.seeds) || n <= 0 || n > 10_000) throw usageError(`--seeds must be an integer from 1 to 10000, got '${opts.seeds}'`);
      }
      let worst: number = Exit.OK;
      const family = names.length === 1 ? findFamily(names[0] as string) : undefined;
      if (opts.html) assertWritable(opts.html);
      if (family) {
        if (opts.variants !== undefined) throw usageError('--variants does not apply to a family: each row names its variant');
        const f = compareFamily(family, n, opts.budgetMs, (code) => (worst = Math.max(worst, code)));
        if (opts.json) process.stdout.write(JSON.stringify({ ...f, rows: f.rows.map(({ cdfs: _cdfs, ...r }) => r) }) + '\n');
        else if (opts.md) process.stdout.write(renderFamilyMarkdown(f));
        else process.stdout.write(renderFamilyTerminal(f) + '\n');
        if (opts.html) {
          writeFileAtomic(opts.html, renderFamilyHtml(f));
          process.stderr.write(`wrote ${opts.html}\n`);
        }
        return setExit(worst === Exit.UNEXPECTED ? Exit.UNEXPECTED : worst);
      }
      const scenarios = names.map((n) => resolveScenario(n));
      const wanted = opts.variants?.split(',').map((v) => v.trim()).filter((v) => v !== '');
      const seedsOf = (s: (typeof scenarios)[number]): number[] => (n !== undefined ? Array.from({ length: n }, (_, i) => i + 1) : [...s.seeds]);
      const total = scenarios.reduce((sum, s) => sum + seedsOf(s).length * (wanted ? wanted.length : s.variants.length), 0);
      const bar = progress({ label: 'compare', total });
      let done = 0;
      let failures = 0;
      const out: ScenarioComparison[] = scenarios.map((s) => {
        const variants = wanted ? wanted.map((v) => resolveVariant(s, v)) : s.variants;
        const seeds = seedsOf(s);
        return {
          scenario: s.name,
          design: s.model.name,
          seeds,
          variants: variants.map((variant) => {
            const runs: RunResult[] = seeds.map((seed) => {
              const r = runScenario(s, { seed, variant, budget: budgetFrom(opts.budgetMs) });
              if (!r.expectation.met) {
                worst = Math.max(worst, r.expectation.outcome === 'unknown' ? Exit.UNKNOWN : Exit.UNEXPECTED);
                failures++;
              }
              bar.update(++done, { failures });
              return r;
            });
            return compareVariant(s.model.name, runs, undefined, s.model.metrics);
          }),
        };
      });
      bar.stop();
      if (opts.json) process.stdout.write(JSON.stringify(out.map((c) => ({ ...c, variants: c.variants.map(({ cdfs: _cdfs, ...v }) => v) }))) + '\n');
      else if (opts.md) process.stdout.write(renderCompareMarkdown(out));
      else process.stdout.write(renderCompareTerminal(out) + '\n');
      if (opts.html) {
        writeFileAtomic(opts.html, renderCompareHtml(out));
        process.stderr.write(`wrote ${opts.html}\n`);
      }
      // 1 if some run did not do what its scenario expects (2 if only for lack of budget).
      setExit(worst === Exit.UNEXPECTED ? Exit.UNEXPECTED : worst);
    });
};

/**
 * Runs every row of a family over the same seeds (1..n, or each row's scenario's fixed seeds)
 * and aggregates each row; `seen` gets an exit code for every run that missed its expectation.
 */
function compareFamily(family: FamilySpec, n: number | undefined, budgetMs: string | undefined, seen: (code: number) => void): FamilyComparison {
  const resolved = family.rows.map((row) => ({ row, s: resolveScenario(row.scenario, `family ${family.name}`) }));
  const seedsOf = (s: (typeof resolved)[number]['s']): number[] => (n !== undefined ? Array.from({ length: n }, (_, i) => i + 1) : [...s.seeds]);
  const total = resolved.reduce((sum, { s }) => sum + seedsOf(s).length, 0);
  const bar = progress({ label: `compare ${family.name}`, total });
  let done = 0;
  let failures = 0;
  const rows = resolved.map(({ row, s }) => {
    const variant = resolveVariant(s, row.variant);
    const runs = seedsOf(s).map((seed) => {
      const r = runScenario(s, { seed, variant, budget: budgetFrom(budgetMs) });
      if (!r.expectation.met) {
        seen(r.expectation.outcome === 'unknown' ? Exit.UNKNOWN : Exit.UNEXPECTED);
        failures++;
      }
      bar.update(++done, { failures });
      return r;
    });
    return familyRow({ ...row, variant }, s.model.name, runs, family.window, family.claimSource);
  });
  bar.stop();
  return { family: family.name, title: family.title, claimSource: family.claimSource, window: family.window, rows };
}
