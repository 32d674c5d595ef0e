import type { Value } from '../sim/value.ts';
import { availabilityChart } from './charts/availability.ts';
import { cdfChart } from './charts/cdf.ts';
import { sequenceChart } from './charts/sequence.ts';
import { timelineChart } from './charts/timeline.ts';
import { escapeHtml as e } from './escape.ts';
import type { LatencyStats, WindowMetrics } from './metrics.ts';
import type { RunReport } from './run-report.ts';

/**
 * The report page: one self-contained HTML file (inline CSS, inline SVG, no script, no URL).
 * The first screen answers: which design, under which faults, what broke, why, and how to
 * reproduce it. Every string that came from a scenario, history, check or file is escaped.
 */
const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:#1c1c1c;margin:0;background:#fafafa}
main{max-width:1000px;margin:0 auto;padding:18px 20px 60px}
h1{font-size:21px;margin:4px 0 6px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:3px}
h3{font-size:14px;margin:14px 0 6px}
.badge{display:inline-block;padding:2px 9px;border-radius:10px;font-weight:600;font-size:12px;color:#fff;vertical-align:middle}
.tone-good{background:#2e7d32}.tone-caught{background:#6a1b9a}.tone-bad{background:#c62828}.tone-unknown{background:#f9a825;color:#222}
.verdict{border-left:5px solid #999;background:#fff;padding:10px 14px;margin:10px 0}
.verdict.tone-good{border-color:#2e7d32}.verdict.tone-caught{border-color:#6a1b9a}.verdict.tone-bad{border-color:#c62828}.verdict.tone-unknown{border-color:#f9a825}
.verdict{color:#1c1c1c;background:#fff}.verdict strong{font-size:15px}
.cols{display:flex;gap:18px;flex-wrap:wrap}.cols>div{flex:1 1 300px;min-width:0}
pre.cmd{background:#263238;color:#eceff1;padding:8px 10px;border-radius:4px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;font-size:13px;background:#fff}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff8e1;border:1px solid #f9a825;padding:6px 10px;margin:8px 0}
.muted{color:#666}.chart{display:block;max-width:100%;height:auto;background:#fff;border:1px solid #e0e0e0;margin:6px 0}
.v-ok{color:#2e7d32;font-weight:600}.v-violation{color:#c62828;font-weight:600}.v-unknown{color:#b26a00;font-weight:600}
details pre{max-height:420px;overflow:auto;background:#fff;border:1px solid #ddd;padding:8px;font-size:12px}
.run{border-top:3px solid #455a64;margin-top:34px}
`;

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const sec = (us: number) => (Number.isFinite(us) ? `${(us / 1e6).toFixed(3)} s` : 'end');

function faultTable(r: RunReport, limit: number): string {
  if (r.faults.length === 0) return '<p>No faults were injected.</p>';
  const rows = r.faults.map((f) => `<tr><td>${e(f.kind)}</td><td class="num">${sec(f.at)}</td><td class="num">${f.until > f.at ? sec(f.until) : '(instant)'}</td><td>${e(f.description)}</td></tr>`);
  const head = '<tr><th>fault</th><th>from</th><th>to</th><th>what</th></tr>';
  const first = `<table>${head}${rows.slice(0, limit).join('')}</table>`;
  if (rows.length <= limit) return first;
  return `${first}<details><summary>${rows.length - limit} more faults</summary><table>${head}${rows.slice(limit).join('')}</table></details>`;
}

function latencyRow(name: string, l: LatencyStats, extra = ''): string {
  return `<tr><td>${e(name)}</td>${extra}<td class="num">${l.count}</td><td class="num">${ms(l.p50)}</td><td class="num">${ms(l.p90)}</td><td class="num">${ms(l.p99)}</td><td class="num">${ms(l.max)}</td></tr>`;
}

function windowRow(name: string, w: WindowMetrics): string {
  return `<tr><td>${e(name)}</td><td class="num">${ms(w.spanUs / 1000)}</td><td class="num">${w.ops.total}</td><td class="num">${pct(w.fractionOk)}</td><td class="num">${ms(w.latency.p50)}</td><td class="num">${ms(w.latency.p99)}</td><td class="num">${w.throughput.toFixed(1)}</td></tr>`;
}

/** Evidence as indented JSON, cut at `max` characters so a huge witness cannot swamp the page. */
function evidenceText(v: Value, max = 40_000): string {
  const s = JSON.stringify(v, null, 1) ?? 'null';
  return s.length <= max ? s : `${s.slice(0, max)}\n… (${s.length - max} more characters; the full evidence is in 'faultline run --json')`;
}

/** One run's section. `idSuffix` keeps SVG ids unique when a page holds several runs. */
export function runSection(r: RunReport, idSuffix: string): string {
  const m = r.metrics;
  const s = r.summary;
  const out: string[] = [];
  out.push(`<section class="run" id="run-${e(idSuffix)}">`);
  out.push(`<h1>${e(r.title)} <span class="badge tone-${r.verdict.tone}">${e(r.verdict.tone === 'caught' ? 'defect caught' : r.verdict.tone === 'good' ? 'held' : r.verdict.tone === 'bad' ? 'unexpected' : 'no verdict')}</span></h1>`);
  for (const n of r.notes) out.push(`<p class="note">${e(n)}</p>`);
  out.push(`<div class="verdict tone-${r.verdict.tone}"><p><strong>${e(r.verdict.headline)}</strong></p><p>${e(r.verdict.paragraph)}</p></div>`);
  out.push('<div class="cols"><div>');
  out.push(`<h3>Fault schedule (${r.faults.length} injected)</h3>${faultTable(r, 8)}`);
  out.push('</div><div>');
  out.push(`<h3>Reproduce</h3><pre class="cmd">${e(r.replay)}</pre>`);
  out.push(`<p class="muted">Runs are deterministic: this command replays the same run, trace hash <code>${e(s.traceHash)}</code>. Add <code>--trace FILE</code> for every event.</p>`);
  out.push(`<h3>Design and scenario</h3><p><b>${e(r.scenario.design)}</b>: ${e(r.scenario.designDoc)}</p>`);
  out.push(`<p>Expectation for <b>${e(r.scenario.variant)}</b>: ${e(r.scenario.expectation)}.</p>`);
  out.push('</div></div>');
  out.push(`<h3>Why this scenario</h3><p>${e(r.scenario.description)}</p>`);

  out.push('<h2>What broke: history around the first violation</h2>');
  out.push(`<p class="muted">${e(r.timeline.caption)} One lane per client; bars run from invocation to completion: green ok, red fail, amber info (timed out, outcome unknown). ${r.timeline.focusKey !== null ? `Solid bars touch key ${e(JSON.stringify(r.timeline.focusKey))}; the black-outlined one cannot be placed in any linearization, dashed purple ones could not be placed either.` : ''} Hover a bar for details.</p>`);
  out.push(timelineChart(r.timeline));
  out.push('<h2>Messages of the counterexample</h2>');
  if (r.sequence) {
    out.push(
      `<p class="muted">Messages sent or received by the clients above while their operations on the violating key were in flight, messages between servers, and node faults, in order (rows are instants, not to scale). Send times are inferred from message order. ${r.sequence.omitted > 0 ? `${r.sequence.omitted} earlier messages are not drawn.` : ''}</p>`,
    );
    out.push(sequenceChart(r.sequence, idSuffix));
  } else out.push('<p class="muted">No trace was kept for this run.</p>');

  out.push('<h2>Availability and throughput over time</h2>');
  out.push(
    `<p>${pct(m.availability.fractionOk)} of ${m.ops.total} operations succeeded (${m.ops.ok} ok, ${m.ops.fail} fail, ${m.ops.info} info); ${s.throughput} ok operations per second; longest stretch with no successful operation ${ms(m.availability.longestGapMs)} ms.</p>`,
  );
  out.push(availabilityChart(r.series, r.faults, r.duration));
  out.push('<h2>Latency</h2><div class="cols"><div>');
  out.push(cdfChart(r.cdfs));
  out.push('</div><div>');
  out.push('<table><tr><th>op</th><th>answered</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th></tr>');
  for (const [f, l] of Object.entries(m.latency)) out.push(latencyRow(f, l));
  if (Object.keys(m.latency).length > 1) out.push(latencyRow('(all)', m.latencyAll));
  out.push('</table><p class="muted">Latencies are simulated time, over operations that got an answer (ok or fail).</p>');
  out.push('<h3>Inside vs outside fault windows</h3><table><tr><th>operations invoked</th><th>span ms</th><th>ops</th><th>ok</th><th>p50 ms</th><th>p99 ms</th><th>ok/s</th></tr>');
  out.push(windowRow('inside any fault window', m.faultImpact.inside) + windowRow('outside all fault windows', m.faultImpact.outside));
  out.push('</table></div></div>');
  if (m.faultImpact.windows.length > 0) {
    out.push(`<details><summary>Per fault window (${m.faultImpact.windows.length})</summary><table><tr><th>fault</th><th>span ms</th><th>ops</th><th>ok</th><th>p50 ms</th><th>p99 ms</th><th>ok/s</th></tr>`);
    for (const w of m.faultImpact.windows) out.push(windowRow(`${w.description} @ ${sec(w.from)}`, w));
    out.push('</table></details>');
  }
  const n = s.messages;
  out.push(`<h3>Messages</h3><p>${n.sent} sent, ${n.delivered} delivered, ${n.dropped} dropped (partition ${n.droppedPartition}, loss ${n.droppedLoss}, node down ${n.droppedDown}), ${n.duplicated} duplicated.</p>`);

  out.push('<h2>Checks</h2>');
  for (const c of s.checks) {
    out.push(`<h3>${e(c.name)}: <span class="v-${e(c.verdict)}">${e(c.verdict)}</span></h3><p>${e(c.summary)}</p>`);
    out.push(`<details><summary>evidence</summary><pre>${e(evidenceText(c.evidence))}</pre></details>`);
  }
  out.push(`<p class="muted">Expected: ${e(s.expectation.expected)} — ${s.expectation.met ? 'met' : `not met (${e(s.expectation.outcome)})`}.</p>`);
  out.push('</section>');
  return out.join('\n');
}

/** A whole page: one run, or several (an index table first, then a section per run). */
export function renderHtml(reports: readonly RunReport[], title?: string): string {
  const pageTitle = title ?? (reports.length === 1 ? `faultline: ${reports[0]?.title ?? ''}` : `faultline report: ${reports.length} runs`);
  const body: string[] = [];
  if (reports.length > 1) {
    body.push(`<h1>${e(pageTitle)}</h1><table><tr><th>run</th><th>verdict</th><th>ok</th><th>faults</th></tr>`);
    reports.forEach((r, i) => {
      body.push(`<tr><td><a href="#run-${i}">${e(r.title)}</a></td><td>${e(r.verdict.headline)}</td><td class="num">${pct(r.metrics.availability.fractionOk)}</td><td class="num">${r.faults.length}</td></tr>`);
    });
    body.push('</table>');
  }
  reports.forEach((r, i) => body.push(runSection(r, String(i))));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(pageTitle)}</title>
<style>${CSS}</style></head>
<body><main>
${body.join('\n')}
<p class="muted">Generated by faultline. Self-contained: no scripts, no network.</p>
</main></body></html>
`;
}
