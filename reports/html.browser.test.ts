import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.ts';
import { PLANTED, plantedRun } from './fixtures.test-helper.ts';

/**
 * Opens a generated report in Debian's Chromium (see ../shared/TOOLCHAIN.md): no console
 * errors, every chart drew its elements, a script planted in a history value shows as text and
 * never runs. Keeps a screenshot under out/. CI installs chromium; elsewhere set
 * FAULTLINE_SKIP_BROWSER=1 to skip deliberately.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const skip = process.env['FAULTLINE_SKIP_BROWSER'] === '1';

describe.skipIf(skip)('HTML report in a real browser', () => {
  it('renders every chart, logs no error, and shows a planted script as text', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install it with 'apt-get update && apt-get install -y chromium' (.ci/run does), or set FAULTLINE_SKIP_BROWSER=1 to skip this test`);
    }
    const outDir = resolve('out');
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, 'report-browser-test.html');
    writeFileSync(file, renderHtml([plantedRun().report]));
    const profile = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
    const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 } });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (err) => errors.push(String(err)));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      const counts = await page.evaluate(() => {
        const n = (sel: string) => document.querySelectorAll(sel).length;
        return {
          charts: n('svg.chart'),
          timelineBars: n('svg[data-chart="timeline"] g.op rect'),
          culprit: n('svg[data-chart="timeline"] g.role-culprit rect'),
          sequenceArrows: n('svg[data-chart="sequence"] g.message line'),
          lifelines: n('svg[data-chart="sequence"] line.lifeline'),
          availabilityBars: n('svg[data-chart="availability"] g.throughput rect'),
          availabilityLine: n('svg[data-chart="availability"] path.availability'),
          faultBands: n('svg[data-chart="availability"] g.fault rect'),
          cdfLines: n('svg[data-chart="cdf"] path.cdf'),
          // Drawn, not just present: non-empty geometry for each chart's main marks.
          cdfPathLength: (document.querySelector('svg[data-chart="cdf"] path.cdf') as SVGPathElement | null)?.getTotalLength() ?? 0,
          pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
          title: document.title,
          text: document.body.innerText,
          firstScreen: document.elementFromPoint(10, 10) !== null,
        };
      });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(counts.charts).toBe(4);
      expect(counts.timelineBars).toBeGreaterThan(0);
      expect(counts.culprit).toBe(1);
      expect(counts.sequenceArrows).toBeGreaterThan(0);
      expect(counts.lifelines).toBeGreaterThan(1);
      expect(counts.availabilityBars).toBeGreaterThan(0);
      expect(counts.availabilityLine).toBe(1);
      expect(counts.faultBands).toBe(6);
      expect(counts.cdfLines).toBeGreaterThan(0);
      expect(counts.cdfPathLength).toBeGreaterThan(0);
      expect(counts.pwned).toBeNull();
      expect(counts.title).not.toContain('PWNED');
      expect(counts.text).toContain(PLANTED);

      const shot = join(outDir, 'report-browser-test.png');
      await page.screenshot({ path: shot, fullPage: true });
      const first = join(outDir, 'report-first-screen.png');
      await page.screenshot({ path: first });
      process.stdout.write(`report screenshot: ${shot} (first screen: ${first})\n`);
    } finally {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
