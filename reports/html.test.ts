import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape.ts';
import { renderHtml } from './html.ts';
import { plantedRun } from './fixtures.test-helper.ts';

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters and nothing else', () => {
    expect(escapeHtml(`<a href="x">'&'</a> é`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; é');
  });
});

describe('HTML report', () => {
  const { report } = plantedRun();
  const html = renderHtml([report]);

  it('contains no script element: planted script tags from history, checks and scenario are text', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;window.__pwned=1');
    // In the SVG timeline too (the culprit's bar label or tooltip).
    const timeline = html.slice(html.indexOf('data-chart="timeline"'));
    expect(timeline.slice(0, timeline.indexOf('</svg>'))).toContain('&lt;script&gt;');
  });

  it('is self-contained: no URL but the SVG namespace', () => {
    const urls = html.match(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"')]*/gi) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
  });

  it('answers the first-screen questions before any chart', () => {
    const firstChart = html.indexOf('<svg');
    const head = html.slice(0, firstChart);
    expect(head).toContain('kv-crash-restart');
    expect(head).toContain('as-written');
    expect(head).toContain('linearizable violated on key');
    expect(head).toContain('crash s0');
    expect(head).toContain('npx faultline run kv-crash-restart --seed 1 --variant as-written');
    expect(head).toContain('Fault schedule');
  });

  it('draws the four charts', () => {
    for (const kind of ['timeline', 'sequence', 'availability', 'cdf']) expect(html).toContain(`data-chart="${kind}"`);
    expect(report.sequence?.messages.length).toBeGreaterThan(0);
    expect(report.timeline.bars.some((b) => b.role === 'culprit')).toBe(true);
  });
});
