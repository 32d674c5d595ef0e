import { createRequire } from 'node:module';
import type * as D3 from 'd3';
import type { D3Node as D3NodeClass } from 'd3-node';

/**
 * d3-node brings jsdom, about a second of loading; every CLI command imports this file through
 * the report code, but only the ones that draw need it. Loaded on the first chart, synchronously
 * (d3-node is CommonJS), so `faultline list` or a usage error starts in a fraction of that.
 */
let D3NodeCtor: typeof D3NodeClass | undefined;
function newD3Node(): D3NodeClass {
  D3NodeCtor ??= (createRequire(import.meta.url)('d3-node') as { D3Node: typeof D3NodeClass }).D3Node;
  return new D3NodeCtor();
}

/**
 * Every chart is drawn server-side into its own detached DOM and returned as an SVG string, so
 * the page needs no script and no network. Text reaches the DOM only through d3's .text() and
 * .attr(), which the serializer escapes: a `<script>` in a history value stays text.
 */
export type Svg = D3.Selection<SVGSVGElement, unknown, null, undefined>;
export type G = D3.Selection<SVGGElement, unknown, null, undefined>;
export type D3Module = typeof D3;

export interface ChartFrame {
  readonly svg: Svg;
  readonly d3: D3Module;
  /** The plot area, translated by the margins. */
  readonly plot: G;
  readonly width: number;
  readonly height: number;
}

export interface Margins {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/** Draws one chart; `kind` names it (class `chart chart-<kind>`, data-chart) for styles and tests. */
export function renderChart(kind: string, title: string, outer: { width: number; height: number }, m: Margins, draw: (f: ChartFrame) => void): string {
  const node = newD3Node();
  const svg = node.createSVG(outer.width, outer.height, {
    viewBox: `0 0 ${outer.width} ${outer.height}`,
    class: `chart chart-${kind}`,
    'data-chart': kind,
    role: 'img',
    'aria-label': title,
    'font-family': 'system-ui, sans-serif',
    'font-size': 11,
  });
  svg.append('title').text(title);
  const plot = svg.append('g').attr('transform', `translate(${m.left},${m.top})`);
  draw({ svg, d3: node.d3, plot, width: outer.width - m.left - m.right, height: outer.height - m.top - m.bottom });
  return node.svgString();
}

export const STATUS_COLOUR: Readonly<Record<string, string>> = { ok: '#2e7d32', fail: '#c62828', info: '#f9a825', pending: '#9e9e9e' };
export const FAULT_FILL = '#ef5350';

/** Keeps labels short enough to sit on a chart; the full text goes in a <title>. */
export function clip(s: string, n = 28): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** Seconds with millisecond precision, for axes and labels. */
export const secs = (us: number): string => `${(us / 1e6).toFixed(3)} s`;
