/**
 * How short the shrunk stories are (issue 11, item 6): every planted (`bug:*`) and as-written
 * failure a scenario declares, on its first fixed seed, is run, shrunk, and the shrunk repro
 * replayed; per design it prints the distribution (median, p90, max) of client operations and
 * faults left, and the wall time shrinking took. A shrunk repro that does not replay to the
 * same trace, or no longer fails its check, is counted and named.
 *
 *   npx tsx bin/dev/shrink-distribution.ts [--designs karaoke,waddle] [--max-runs 200] [--time-limit 20] [--out file.jsonl]
 *
 * Not part of `npm test`: it runs every declared failure (about 100) and shrinks each one, which
 * takes minutes. The time limit is per failure, as `faultline shrink --time-limit` has it.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { scenarios } from '../../scenarios/index.ts';
import { runScenario } from '../../sim/run.ts';
import { applyOverrides } from '../../sim/replay/overrides.ts';
import { failingCheck } from '../../sim/replay/repro.ts';
import { shrinkFailure } from '../../sim/replay/shrink.ts';

interface Row {
  readonly design: string;
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly check: string;
  readonly beforeOps: number;
  readonly beforeFaults: number;
  readonly ops: number;
  readonly faults: number;
  readonly runs: number;
  readonly ms: number;
  readonly stopped: boolean;
  readonly replays: boolean;
}

const program = new Command()
  .option('--designs <list>', 'comma-separated scenario name prefixes (default: every design)')
  .option('--max-runs <n>', 'most candidate runs per failure', '200')
  .option('--time-limit <s>', 'seconds of shrinking per failure', '20')
  .option('--out <file>', 'also write one JSON line per failure here')
  .parse();
const opts = program.opts<{ designs?: string; maxRuns: string; timeLimit: string; out?: string }>();
const designs = opts.designs?.split(',').map((d) => d.trim()).filter(Boolean);
const maxRuns = Number(opts.maxRuns);
const limitMs = Number(opts.timeLimit) * 1000;
if (opts.out) writeFileSync(opts.out, '');

const designOf = (name: string): string => name.split('-')[0] as string;
const cases = scenarios.flatMap((s) =>
  s.variants
    .filter((v) => 'violates' in (s.expect[v] ?? { holds: true }))
    .filter(() => !designs || designs.some((d) => s.name.startsWith(d)))
    .map((v) => ({ s, v })),
);

const rows: Row[] = [];
const started = performance.now();
for (const { s, v } of cases) {
  const seed = s.seeds[0] as number;
  const r = runScenario(s, { seed, variant: v, record: true });
  const e = s.expect[v] as { violates: readonly string[] };
  const check = failingCheck(r, e.violates)?.name;
  if (check === undefined) {
    process.stderr.write(`${s.name} ${v} seed ${seed}: fails no check, skipped\n`);
    continue;
  }
  const t0 = performance.now();
  const o = shrinkFailure({ scenario: s, variant: v, seed, check, choices: r.choices ?? [], overrides: {} }, { maxRuns, shouldStop: () => performance.now() - t0 > limitMs });
  const ms = Math.round(performance.now() - t0);
  const again = runScenario(applyOverrides(s, o.overrides), { seed, variant: v, replay: o.choices });
  const replays = again.traceHash === o.result.traceHash && again.checks.some((c) => c.name === check && c.verdict === 'violation');
  const row: Row = {
    design: designOf(s.name),
    scenario: s.name,
    variant: v,
    seed,
    check,
    beforeOps: o.before.ops,
    beforeFaults: o.before.faults,
    ops: o.after.ops,
    faults: o.after.faults,
    runs: o.runs,
    ms,
    stopped: o.stopped,
    replays,
  };
  rows.push(row);
  if (opts.out) appendFileSync(opts.out, JSON.stringify(row) + '\n');
  process.stderr.write(`${s.name} ${v}: ${row.beforeOps} -> ${row.ops} ops, ${row.beforeFaults} -> ${row.faults} faults, ${row.runs} runs, ${(ms / 1000).toFixed(1)} s${o.stopped ? ' (stopped on the time limit)' : ''}${replays ? '' : ', DOES NOT REPLAY'}\n`);
}

/** The q-quantile by nearest rank (q = 0.5: the median; of an even count, the lower middle). */
const quantile = (xs: readonly number[], q: number): number => {
  const a = [...xs].sort((x, y) => x - y);
  return a.length === 0 ? NaN : (a[Math.max(0, Math.ceil(q * a.length) - 1)] as number);
};
const stats = (xs: readonly number[]) => `${quantile(xs, 0.5)} / ${quantile(xs, 0.9)} / ${Math.max(...xs)}`;

const groups = new Map<string, Row[]>();
for (const r of rows) groups.set(r.design, [...(groups.get(r.design) ?? []), r]);
groups.set('all', rows);
const lines = ['| design | failures | ops before (median) | ops median / p90 / max | faults median / p90 / max | shrink s median / p90 / max | stopped on the limit | not replaying |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
for (const [d, rs] of groups) {
  lines.push(
    `| ${d} | ${rs.length} | ${quantile(rs.map((r) => r.beforeOps), 0.5)} | ${stats(rs.map((r) => r.ops))} | ${stats(rs.map((r) => r.faults))} | ${stats(rs.map((r) => Math.round(r.ms / 100) / 10))} | ${rs.filter((r) => r.stopped).length} | ${rs.filter((r) => !r.replays).length} |`,
  );
}
process.stdout.write(lines.join('\n') + '\n');
process.stdout.write(`\nwall time of the whole run: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
const bad = rows.filter((r) => !r.replays);
if (bad.length > 0) {
  process.stdout.write(`\nshrunk repros that do not replay: ${bad.map((r) => `${r.scenario} ${r.variant}`).join(', ')}\n`);
  process.exitCode = 1;
}
