/**
 * PCT against random walks (issue 17): how many runs each needs to find the same bugs, over
 * several seeds. Prints a markdown table.
 *
 *   npx tsx bin/dev/explore-compare.ts [seeds=10] [maxRuns=200] [only bugs whose scenario name contains this]
 *
 * Bugs: karaoke-explore as-written (the lost update, in every order); the same configuration
 * with the second phone's uplink 91 ms slower, so that its add reaches the room at the very
 * instant the first add's read completes, and the update is lost only in some orders of that
 * instant (a depth-1 ordering bug); kv-crash-restart as-written (random latencies, 4 clients,
 * six crashes), with fewer seeds because its runs are long; raft-kv-explore bug:reply-before-sync
 * (three servers, one power loss).
 */
import karaokeExplore from '../../scenarios/karaoke-explore.ts';
import kvCrashRestart from '../../scenarios/kv-crash-restart.ts';
import raftKvExplore from '../../scenarios/raft-kv-explore.ts';
import { sampleScenario, type SampleStrategy } from '../../sim/explore/sampling.ts';
import type { Scenario } from '../../sim/scenario.ts';
import { MS } from '../../sim/value.ts';

const seeds = Number(process.argv[2] ?? 10);
const maxRuns = Number(process.argv[3] ?? 200);
const only = process.argv[4];

const karaokeRace: Scenario = {
  ...karaokeExplore,
  name: 'karaoke-explore (c1 uplink +91 ms)',
  network: { default: karaokeExplore.network.default, links: [{ from: 'c1', to: 'worker', latency: { kind: 'fixed', us: 1 * MS + 91 * MS } }] },
};

const bugs: { scenario: Scenario; variant: string; seeds: number }[] = [
  { scenario: karaokeExplore, variant: 'as-written', seeds },
  { scenario: karaokeRace, variant: 'as-written', seeds },
  { scenario: kvCrashRestart, variant: 'as-written', seeds: Math.min(seeds, 5) },
  { scenario: raftKvExplore, variant: 'bug:reply-before-sync', seeds },
].filter((b) => only === undefined || b.scenario.name.includes(only));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

console.log(`| bug | strategy | found (seeds) | runs to find: median / mean / max | per seed |`);
console.log(`| --- | --- | --- | --- | --- |`);
for (const b of bugs) {
  for (const strategy of ['pct', 'random'] as SampleStrategy[]) {
    const runs: number[] = [];
    const per: string[] = [];
    for (let seed = 1; seed <= b.seeds; seed++) {
      const r = sampleScenario(b.scenario, { variant: b.variant, strategy, seed, maxRuns });
      if (r.found) runs.push(r.runs);
      per.push(r.found ? String(r.runs) : `>${maxRuns}`);
    }
    const mean = runs.reduce((a, x) => a + x, 0) / Math.max(1, runs.length);
    console.log(`| ${b.scenario.name} ${b.variant} | ${strategy} | ${runs.length}/${b.seeds} | ${median(runs)} / ${mean.toFixed(1)} / ${Math.max(...runs)} | ${per.join(' ')} |`);
  }
}
