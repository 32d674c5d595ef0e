import chalk from 'chalk';
import { scenarios } from '../../scenarios/index.ts';
import type { Expectation } from '../../sim/scenario.ts';
import { table } from '../../reports/terminal.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program) => {
  program
    .command('list')
    .description('list the named scenarios: design, variants and what each must show')
    .option('--json', 'print one JSON array')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        const out = scenarios.map((s) => ({
          name: s.name,
          doc: s.doc,
          design: s.model.name,
          variants: s.variants,
          expect: s.expect as Record<string, Expectation>,
          seeds: s.seeds,
          durationMs: s.duration / 1000,
          checks: s.checkers.map((c) => c.name),
        }));
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      const rows = [['scenario', 'design', 'variants', 'description'].map((h) => chalk.bold(h))];
      for (const s of scenarios) rows.push([s.name, s.model.name, s.variants.join(', '), s.doc]);
      process.stdout.write(table(rows) + '\n');
      process.stdout.write(chalk.dim(`\n${scenarios.length} scenarios. Expectations: 'faultline list --json'. Run one: faultline run <scenario> --seed N --variant V\n`));
    });
};
