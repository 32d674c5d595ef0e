// Prints "scenario variant seed traceHash" for every scenario's default variant on the given
// seeds. The determinism test runs this in two separate processes and compares the output.
import { scenarios } from '../../scenarios/index.ts';
import { runScenario } from '../../sim/run.ts';

const seeds = (process.argv[2] ?? '1,2').split(',').map(Number);
const only = process.argv[3];
for (const s of scenarios) {
  if (only && s.name !== only) continue;
  for (const seed of seeds) {
    const r = runScenario(s, { seed, variant: s.defaultVariant, budget: { steps: 1 } });
    process.stdout.write(`${s.name} ${r.variant} ${seed} ${r.traceHash}\n`);
  }
}
