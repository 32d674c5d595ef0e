/**
 * Which checker catches which planted bug, and on how many seeds: runs every variant of the
 * raft-kv model (not only those a scenario lists) over a seed range of the named scenarios.
 *   npx tsx bin/dev/explore-raft-kv.ts raft-kv-nemesis [more scenarios] --seeds 1..50 [--variants bug:a,bug:b]
 * Prints, per scenario and variant, the seeds on which each checker found a violation.
 */
import { runScenario } from '../../sim/run.ts';
import type { Scenario } from '../../sim/scenario.ts';
import { findScenario } from '../../scenarios/index.ts';
import { raftKv } from '../../models/raft-kv/index.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const [lo, hi] = (flag('--seeds') ?? '1..20').split('..').map(Number) as [number, number];
const variants = flag('--variants')?.split(',') ?? raftKv.variants;
for (const name of args) {
  const s = findScenario(name);
  if (!s) throw new Error(`no scenario ${name}`);
  const all: Scenario = { ...s, expect: Object.fromEntries(variants.map((v) => [v, { holds: true }])) };
  for (const v of variants) {
    const caught = new Map<string, number[]>();
    let firstAny: number | undefined;
    let any = 0;
    for (let seed = lo; seed <= hi; seed++) {
      const r = runScenario(all, { seed, variant: v });
      let hit = false;
      for (const c of r.checks) {
        if (c.verdict !== 'violation') continue;
        hit = true;
        caught.set(c.name, [...(caught.get(c.name) ?? []), seed]);
      }
      if (hit) {
        any++;
        firstAny ??= seed;
      }
    }
    const per = [...caught].map(([c, seeds]) => `${c}: ${seeds.length} [${seeds.slice(0, 8).join(',')}${seeds.length > 8 ? ',..' : ''}]`).join('; ');
    console.log(`${name} ${v}: caught on ${any}/${hi - lo + 1} seeds (first ${firstAny ?? '-'}) ${per}`);
  }
}
