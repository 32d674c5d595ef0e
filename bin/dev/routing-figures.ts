// Figures for seed 001 option C (models/hash-routing), deterministic (simulated time only):
//   npx tsx bin/dev/routing-figures.ts [seeds=20]
// Per routing scenario and variant, over seeds 1..N: the fraction of DOs that two workers served
// at once (the single-writer checker's keysServedTwice / keys, as the store saw it), the
// fraction of operations ok, and simulated seconds per wall second.
import { findScenario } from '../../scenarios/index.ts';
import { runScenario } from '../../sim/run.ts';

const seeds = Number(process.argv[2] ?? 20);
const SCENARIOS = ['routing-rolling-membership', 'routing-one-balancer-blind', 'routing-long-gossip-delay', 'routing-nemesis'];
console.log('| scenario | variant | DOs served twice (mean) | seeds with any | ops ok | sim s / wall s |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const name of SCENARIOS) {
  const sc = findScenario(name);
  if (!sc) throw new Error(`no scenario ${name}`);
  for (const variant of ['as-written', 'corrected']) {
    let frac = 0;
    let any = 0;
    let ok = 0;
    let ops = 0;
    let sim = 0;
    const t0 = performance.now();
    for (let seed = 1; seed <= seeds; seed++) {
      const r = runScenario(sc, { seed, variant, onlyChecks: ['single-writer'] });
      const ev = r.checks[0]?.evidence as { keys: number; keysServedTwice: number };
      frac += ev.keys === 0 ? 0 : ev.keysServedTwice / ev.keys;
      if (ev.keysServedTwice > 0) any++;
      for (const e of r.history) if (e.type !== 'invoke') ops++, (ok += e.type === 'ok' ? 1 : 0);
      sim += r.simTime;
    }
    const wall = (performance.now() - t0) / 1000;
    console.log(`| ${name} | ${variant} | ${((100 * frac) / seeds).toFixed(1)}% | ${any}/${seeds} | ${((100 * ok) / ops).toFixed(1)}% | ${(sim / 1e6 / wall).toFixed(1)} |`);
  }
}
