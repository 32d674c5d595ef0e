import chalk from 'chalk';
import { cdfChart } from './charts/cdf.ts';
import { escapeHtml as e } from './escape.ts';
import type { Column, FamilyClaim, FamilyComparison, FamilyRow } from './family.ts';
import { mdTable } from './markdown.ts';
import type { CdfPoint } from './series.ts';
import { table } from './terminal.ts';

/** Terminal, markdown and HTML views of a family comparison; all draw the same rows. */
const n1 = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (r: FamilyRow, which: 'write' | 'read', stat: 'p50' | 'p99') => (r[which] ? n1(r[which][stat]) : '-');

function violationText(r: FamilyRow): string {
  const found = Object.entries(r.violations).filter(([, seeds]) => seeds.length > 0);
  const parts = found.map(([name, seeds]) => `${name} on ${seeds.length}/${r.seeds.length}`);
  if (r.unknown.length > 0) parts.push(`no verdict on ${r.unknown.length}/${r.seeds.length}`);
  return parts.length > 0 ? parts.join('; ') : 'none';
}

const claimed = (r: FamilyRow, c: Column, mark: (j: FamilyClaim['judgement']) => string = (j) => j): string => {
  const cs = r.claims.filter((k) => k.column === c);
  return cs.length === 0 ? '-' : cs.map((k) => `${k.claim}: ${mark(k.judgement)}`).join('; ');
};

const HEAD = ['approach', 'failure', 'write p50', 'write p99', 'claimed write', 'read p50', 'read p99', 'claimed read', 'ok', 'ok in failure', 'claimed availability', 'violations'];

function rows(f: FamilyComparison, mark?: (j: FamilyClaim['judgement']) => string): string[][] {
  return f.rows.map((r) => [
    r.approach,
    r.failure,
    ms(r, 'write', 'p50'),
    ms(r, 'write', 'p99'),
    claimed(r, 'write', mark),
    ms(r, 'read', 'p50'),
    ms(r, 'read', 'p99'),
    claimed(r, 'read', mark),
    pct(r.okShare),
    r.okShareInWindow === null ? '-' : pct(r.okShareInWindow),
    claimed(r, 'availability', mark),
    violationText(r),
  ]);
}

const DETAIL_HEAD = ['approach', 'scenario', 'metric', 'claimed', 'measured', 'verdict'];
function detailRows(f: FamilyComparison, mark?: (j: FamilyClaim['judgement']) => string): string[][] {
  return f.rows.flatMap((r) =>
    r.claims.map((k) => [
      r.approach,
      `${r.scenario} (${r.design} ${r.variant})`,
      k.metric,
      k.claim,
      k.measured === null ? '-' : k.column === 'availability' ? pct(k.measured) : n1(k.measured),
      mark ? mark(k.judgement) : k.judgement,
    ]),
  );
}

const caption = (f: FamilyComparison) =>
  `${f.title}: same workload and seeds (${f.rows[0]?.seeds.join(', ') ?? ''}), each approach under its own failure from ${f.window.from / 1e6} s to ${f.window.to / 1e6} s; ` +
  `latency in simulated ms over ok writes and reads, pooled over seeds; ok = share of writes and reads that succeeded; claims from ${f.claimSource}`;

const colour = (j: FamilyClaim['judgement']) => (j === 'contradicted' ? chalk.red(j) : j === 'holds' ? chalk.green(j) : j);

export function renderFamilyTerminal(f: FamilyComparison): string {
  return [chalk.bold(caption(f)), table([HEAD.map((h) => chalk.dim(h)), ...rows(f, colour)]), '', chalk.bold('claims vs measured'), table([DETAIL_HEAD, ...detailRows(f, colour)])].join('\n');
}

export function renderFamilyMarkdown(f: FamilyComparison): string {
  const esc = (s: string) => s.replace(/([\\`*_[\]|<>#])/g, '\\$1');
  return [`## ${esc(f.title)}`, '', esc(caption(f)), '', mdTable(HEAD, rows(f).map((r) => r.map(esc))), '', '### Claims vs measured', '', mdTable(DETAIL_HEAD, detailRows(f).map((r) => r.map(esc)))].join('\n') + '\n';
}

function htmlTable(head: readonly string[], body: readonly (readonly string[])[]): string {
  const cell = (x: string) => e(x).replace(/\b(holds|contradicted)\b/g, (m) => `<span class="${m}">${m}</span>`);
  return `<table><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr>${body.map((r) => `<tr>${r.map((x) => `<td>${cell(x)}</td>`).join('')}</tr>`).join('')}</table>`;
}

export function renderFamilyHtml(f: FamilyComparison): string {
  const cdfs: Record<string, readonly CdfPoint[]> = {};
  for (const r of f.rows) for (const [k, pts] of Object.entries(r.cdfs)) cdfs[k] = pts;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>faultline compare: ${e(f.title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#fafafa;color:#1c1c1c}main{max-width:1200px;margin:0 auto;padding:18px}
table{border-collapse:collapse;background:#fff;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left}th{background:#f0f0f0}
.muted{color:#666}.holds{color:#17702a;font-weight:600}.contradicted{color:#b3261e;font-weight:600}.chart{max-width:100%;height:auto;background:#fff;border:1px solid #e0e0e0}</style></head>
<body><main><h1>${e(f.title)}</h1>
<p class="muted">${e(caption(f))}</p>
${htmlTable(HEAD, rows(f))}
<h2>Claims vs measured</h2>
${htmlTable(DETAIL_HEAD, detailRows(f))}
<h2>Latency CDF (writes and reads per approach)</h2>
${cdfChart(cdfs)}
</main></body></html>
`;
}
