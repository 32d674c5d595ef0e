import chalk from 'chalk';
import { cdfChart } from './charts/cdf.ts';
import type { CdfPoint } from './series.ts';
import type { ScenarioComparison, VariantComparison } from './compare.ts';
import { escapeHtml as e } from './escape.ts';
import { mdTable } from './markdown.ts';
import { table } from './terminal.ts';

/** Terminal, markdown and HTML views of a comparison; all draw the same rows. */
const n1 = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** Claims can be sub-microsecond host timings: keep two significant digits below 0.1. */
const claimNum = (x: number) => (x !== 0 && Math.abs(x) < 0.1 ? x.toPrecision(2) : n1(x));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function kinds(c: ScenarioComparison): string[] {
  return [...new Set(c.variants.flatMap((v) => Object.keys(v.latency)))].sort();
}

function violationText(v: VariantComparison): string {
  const found = Object.entries(v.violations).filter(([, seeds]) => seeds.length > 0);
  const parts = found.map(([name, seeds]) => `${name} on ${seeds.length}/${v.seeds.length} seeds (${seeds.join(', ')})`);
  if (v.unknown.length > 0) parts.push(`no verdict on seeds ${v.unknown.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'none';
}

/** One row per variant: header and cells, shared by every renderer. */
function rows(c: ScenarioComparison): { head: string[]; body: string[][] } {
  const ks = kinds(c);
  const ms = [...new Set(c.variants.flatMap((v) => Object.keys(v.model ?? {})))].sort();
  const head = ['variant', ...ks.flatMap((k) => [`${k} p50`, `${k} p99`]), 'ok', 'ok in faults', 'worst gap ms', 'ok/s', ...ms, 'violations', 'as expected'];
  const body = c.variants.map((v) => [
    v.variant,
    ...ks.flatMap((k) => {
      const l = v.latency[k];
      return l ? [n1(l.p50), n1(l.p99)] : ['-', '-'];
    }),
    pct(v.fractionOk),
    v.fractionOkInFaults === null ? '-' : pct(v.fractionOkInFaults),
    n1(v.worstGapMs),
    v.throughput.toFixed(1),
    ...ms.map((m) => (v.model?.[m] === undefined ? '-' : n1(v.model[m] as number))),
    violationText(v),
    `${v.expectationMet}/${v.seeds.length}`,
  ]);
  return { head, body };
}

function claimRows(c: ScenarioComparison): string[][] {
  return c.variants.flatMap((v) =>
    v.claims.map((k) => [v.variant, k.metric, k.claim, k.measured === null ? '-' : k.metric.includes('availability') ? pct(k.measured) : claimNum(k.measured), k.judgement, k.source]),
  );
}
const CLAIM_HEAD = ['variant', 'metric', 'claimed', 'measured', 'verdict', 'source'];

const caption = (c: ScenarioComparison) => `${c.scenario} (${c.design}), seeds ${c.seeds.join(', ')}: same seeds, same fault schedules; latency in simulated ms, pooled over seeds`;

export function renderCompareTerminal(cs: readonly ScenarioComparison[]): string {
  return cs
    .map((c) => {
      const { head, body } = rows(c);
      const out = [chalk.bold(caption(c)), table([head.map((h) => chalk.dim(h)), ...body])];
      const cr = claimRows(c);
      if (cr.length > 0) out.push('', chalk.bold('claims vs measured'), table([CLAIM_HEAD, ...cr.map((r) => r.map((x, i) => (i === 4 ? (x === 'refuted' ? chalk.red(x) : x === 'holds' ? chalk.green(x) : x) : x)))]));
      return out.join('\n');
    })
    .join('\n\n');
}

export function renderCompareMarkdown(cs: readonly ScenarioComparison[]): string {
  const esc = (s: string) => s.replace(/([\\`*_[\]|<>#])/g, '\\$1');
  return cs
    .map((c) => {
      const { head, body } = rows(c);
      const out = [`## ${esc(c.scenario)} (${esc(c.design)})`, '', esc(caption(c)), '', mdTable(head.map(esc), body.map((r) => r.map(esc)))];
      const cr = claimRows(c);
      if (cr.length > 0) out.push('', '### Claims vs measured', '', mdTable(CLAIM_HEAD, cr.map((r) => r.map(esc))));
      return out.join('\n');
    })
    .join('\n\n') + '\n';
}

function htmlTable(head: readonly string[], body: readonly (readonly string[])[]): string {
  return `<table><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr>${body.map((r) => `<tr>${r.map((x) => `<td>${e(x)}</td>`).join('')}</tr>`).join('')}</table>`;
}

export function renderCompareHtml(cs: readonly ScenarioComparison[]): string {
  const sections = cs.map((c) => {
    const { head, body } = rows(c);
    const cdfs: Record<string, readonly CdfPoint[]> = {};
    for (const v of c.variants) for (const [f, pts] of Object.entries(v.cdfs)) cdfs[`${v.variant} ${f}`] = pts;
    const cr = claimRows(c);
    return `<section><h2>${e(c.scenario)} <span class="muted">${e(c.design)}</span></h2><p class="muted">${e(caption(c))}</p>${htmlTable(head, body)}${
      cr.length > 0 ? `<h3>Claims vs measured</h3>${htmlTable(CLAIM_HEAD, cr)}` : '<p class="muted">No claimed figures are recorded for this design (reports/claims.ts).</p>'
    }<h3>Latency CDF</h3>${cdfChart(cdfs)}</section>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>faultline compare: ${e(cs.map((c) => c.scenario).join(', '))}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#fafafa;color:#1c1c1c}main{max-width:1100px;margin:0 auto;padding:18px}
table{border-collapse:collapse;background:#fff;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left}th{background:#f0f0f0}
.muted{color:#666}.chart{max-width:100%;height:auto;background:#fff;border:1px solid #e0e0e0}</style></head>
<body><main><h1>Designs side by side</h1>
<p>Each variant ran on the same seeds, so it met the same fault schedule. "ok in faults" is the fraction of operations invoked inside an injected fault window that succeeded; violations count the seeds on which a check failed.</p>
${sections.join('\n')}
</main></body></html>
`;
}
