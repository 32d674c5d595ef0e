/**
 * Explorer speed (issue 17): distinct states per second on TLA+'s TwoPhase (the engine alone,
 * states as packed integers) and runs and observed states per second on the karaoke
 * configuration (every state there is a whole simulated run's worth of kernel work).
 *
 *   npx tsx bin/dev/bench-explore.ts
 */
import karaokeExplore from '../../scenarios/karaoke-explore.ts';
import { exploreScenario } from '../../sim/explore/explore.ts';
import { twoPhase } from '../../sim/explore/specs/two-phase.ts';
import { exploreTransitionSystem } from '../../sim/explore/transition-system.ts';

/**
 * CPU time of this process (user + system), not wall time: on a shared machine the wall clock
 * measures the neighbours. Both are printed.
 */
const time = <T>(f: () => T): [T, number, number] => {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = f();
  const cpu = process.cpuUsage(c);
  return [r, (cpu.user + cpu.system) / 1000, performance.now() - t];
};

// Warm the engine up once so the figures are not the JIT's.
exploreTransitionSystem(twoPhase({ rms: 5 }));
for (const [rms, order, symmetry] of [
  [5, 'bfs', undefined],
  [7, 'bfs', undefined],
  [7, 'dfs', undefined],
  [7, 'dfs', 'full'],
] as const) {
  const [r, ms, wall] = time(() => exploreTransitionSystem(twoPhase({ rms, ...(symmetry ? { symmetry } : {}) }), { order }));
  console.log(
    `2PC ${rms} RMs ${order}${symmetry ? ` symmetry ${symmetry}` : ''}: ${r.distinct} distinct, ${r.visited} transitions in ${ms.toFixed(0)} ms CPU (${wall.toFixed(0)} wall) = ` +
      `${Math.round(r.distinct / (ms / 1000))} distinct/s, ${Math.round(r.visited / (ms / 1000))} transitions/s`,
  );
}
// The corrected configuration no longer exhausts in minutes (sim/explore/README.md): 2,000 runs.
for (const variant of ['as-written', 'corrected']) {
  const [r, ms, wall] = time(() => exploreScenario(karaokeExplore, { variant, strategy: 'dfs', ...(variant === 'corrected' ? { maxRuns: 2000 } : {}) }));
  console.log(
    `karaoke-explore ${variant} dfs: ${r.outcome}, ${r.runs} runs, ${r.visited} states observed, ${r.distinct ?? 'n/a'} distinct in ${ms.toFixed(0)} ms CPU (${wall.toFixed(0)} wall) = ` +
      `${Math.round(r.runs / (ms / 1000))} runs/s, ${Math.round(r.visited / (ms / 1000))} states/s, ${Math.round((r.distinct ?? 0) / (ms / 1000))} distinct/s`,
  );
}
