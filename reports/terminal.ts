import chalk from 'chalk';
import type { RunSummary } from './summary.ts';

/** Pads a table of strings into aligned columns (ANSI colour codes do not count as width). */
export function table(rows: readonly (readonly string[])[]): string {
  // biome-ignore lint: the escape character is the point of this pattern
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(c))));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - visible(c))).join('  ').trimEnd()).join('\n');
}

const verdictColour = (v: string) => (v === 'ok' ? chalk.green(v) : v === 'violation' ? chalk.red(v) : chalk.yellow(v));

/** The human summary `faultline run` prints. Respects NO_COLOR through chalk. */
export function renderRunSummary(s: RunSummary): string {
  const out: string[] = [];
  out.push(chalk.bold(`${s.scenario}  variant ${s.variant}  seed ${s.seed}`) + chalk.dim(`  trace ${s.traceHash}`));
  out.push(
    `simulated ${(s.simTimeMs / 1000).toFixed(1)} s, ${s.events} events; ops ${s.ops.total}: ` +
      `${chalk.green(`${s.ops.ok} ok`)}, ${s.ops.fail} fail, ${chalk.yellow(`${s.ops.info} info`)}`,
  );
  out.push('');
  const rows: string[][] = [['op', 'ok', 'fail', 'info', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms']];
  for (const [f, l] of Object.entries(s.latency)) {
    const c = s.opsByF[f];
    rows.push([f, String(c?.ok ?? 0), String(c?.fail ?? 0), String(c?.info ?? 0), fmt(l.p50), fmt(l.p95), fmt(l.p99), fmt(l.max)]);
  }
  // Percentiles do not add up across kinds, so the all-kinds row is its own figure.
  if (rows.length > 2) {
    const l = s.latencyAll;
    rows.push(['(all)', String(s.ops.ok), String(s.ops.fail), String(s.ops.info), fmt(l.p50), fmt(l.p95), fmt(l.p99), fmt(l.max)]);
  }
  out.push(table(rows));
  out.push('');
  out.push(
    `availability ${(s.availability.fractionOk * 100).toFixed(1)}% ok; longest stretch with no ok op ${fmt(s.availability.longestGapMs)} ms; ` +
      `throughput ${s.throughput} ok/s`,
  );
  const m = s.messages;
  out.push(`messages ${m.sent} sent, ${m.delivered} delivered, ${m.dropped} dropped (partition ${m.droppedPartition}, loss ${m.droppedLoss}, node down ${m.droppedDown}), ${m.duplicated} duplicated`);
  const fi = s.faultImpact;
  if (fi && fi.inside.ops > 0) {
    out.push(
      `in fault windows ${(fi.inside.fractionOk * 100).toFixed(1)}% ok, p99 ${fmt(fi.inside.p99)} ms, ${fi.inside.throughput} ok/s; ` +
        `outside ${(fi.outside.fractionOk * 100).toFixed(1)}% ok, p99 ${fmt(fi.outside.p99)} ms, ${fi.outside.throughput} ok/s`,
    );
  }
  const fk = Object.entries(s.faults.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  out.push(`faults ${s.faults.total}${fk ? `: ${fk}` : ''}`);
  out.push('');
  out.push(table([['check', 'verdict', 'summary'], ...s.checks.map((c) => [c.name, verdictColour(c.verdict), c.summary])]));
  out.push('');
  const e = s.expectation;
  out.push(
    e.met
      ? chalk.green(`as expected (${e.expected})`)
      : e.outcome === 'unknown'
        ? chalk.yellow(`no verdict: a check ran out of budget (expected ${e.expected})`)
        : chalk.red(`NOT as expected: expected ${e.expected}`),
  );
  return out.join('\n');
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
