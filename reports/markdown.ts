import type { LatencyStats, WindowMetrics } from './metrics.ts';
import type { RunReport } from './run-report.ts';

/**
 * Markdown for one run: the same first-screen story as the HTML page (verdict, faults,
 * reproduction) and the metrics tables, for pasting into an issue or a design review doc.
 */
const md = (s: string) => s.replace(/([\\`*_[\]|<>#])/g, '\\$1').replace(/\n/g, ' ');
const n1 = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const latencyCells = (l: LatencyStats) => [String(l.count), n1(l.p50), n1(l.p90), n1(l.p99), n1(l.max)];
const windowCells = (w: WindowMetrics) => [n1(w.spanUs / 1000), String(w.ops.total), pct(w.fractionOk), n1(w.latency.p50), n1(w.latency.p99), w.throughput.toFixed(1)];

export function renderRunMarkdown(r: RunReport): string {
  const m = r.metrics;
  const out: string[] = [];
  out.push(`# ${md(r.title)}`, '', `**${md(r.verdict.headline)}**`, '', md(r.verdict.paragraph), '');
  out.push('## Reproduce', '', '```', r.replay, '```', '');
  out.push(`## Faults (${r.faults.length})`, '');
  out.push(r.faults.length === 0 ? 'No faults were injected.' : mdTable(['fault', 'from s', 'to s', 'what'], r.faults.map((f) => [f.kind, (f.at / 1e6).toFixed(3), f.until > f.at ? (f.until / 1e6).toFixed(3) : '(instant)', md(f.description)])));
  out.push('', '## Why this scenario', '', md(r.scenario.description), '');
  out.push('## Latency (ms, simulated)', '', mdTable(['op', 'answered', 'p50', 'p90', 'p99', 'max'], [...Object.entries(m.latency), ...(Object.keys(m.latency).length > 1 ? [['(all)', m.latencyAll] as const] : [])].map(([f, l]) => [md(f), ...latencyCells(l)])), '');
  out.push(`Availability ${pct(m.availability.fractionOk)} ok of ${m.ops.total} ops; longest stretch with no ok op ${n1(m.availability.longestGapMs)} ms; ${r.summary.throughput} ok/s.`, '');
  out.push('## Inside vs outside fault windows', '');
  out.push(mdTable(['operations invoked', 'span ms', 'ops', 'ok', 'p50 ms', 'p99 ms', 'ok/s'], [['inside any fault window', ...windowCells(m.faultImpact.inside)], ['outside all fault windows', ...windowCells(m.faultImpact.outside)], ...m.faultImpact.windows.map((w) => [md(`${w.description} @ ${(w.from / 1e6).toFixed(3)} s`), ...windowCells(w)])]));
  const n = r.summary.messages;
  out.push('', `Messages: ${n.sent} sent, ${n.delivered} delivered, ${n.dropped} dropped, ${n.duplicated} duplicated.`, '');
  out.push('## Checks', '', mdTable(['check', 'verdict', 'summary'], r.summary.checks.map((c) => [md(c.name), c.verdict, md(c.summary)])), '');
  return out.join('\n');
}
