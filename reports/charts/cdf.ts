import type { CdfPoint } from '../series.ts';
import { renderChart } from './svg.ts';

/** Latency CDF, one step line per operation kind. */
export function cdfChart(cdfs: Readonly<Record<string, readonly CdfPoint[]>>): string {
  const kinds = Object.keys(cdfs);
  return renderChart('cdf', 'Latency CDF per operation kind', { width: 460, height: 280 }, { top: 12, right: 90, bottom: 36, left: 44 }, ({ d3, plot, width, height }) => {
    const max = Math.max(1, ...kinds.flatMap((k) => (cdfs[k] ?? []).map((p) => p.ms)));
    const x = d3.scaleLinear().domain([0, max]).nice().range([0, width]);
    const y = d3.scaleLinear().domain([0, 1]).range([height, 0]);
    const colour = d3.scaleOrdinal<string, string>().domain(kinds).range(d3.schemeTableau10);
    plot.append('g').attr('class', 'axis x').attr('transform', `translate(0,${height})`).call(d3.axisBottom(x).ticks(6));
    plot.append('g').attr('class', 'axis y').call(d3.axisLeft(y).ticks(5, '%'));
    plot.append('text').attr('x', width / 2).attr('y', height + 30).attr('text-anchor', 'middle').text('latency (ms, simulated)');
    if (kinds.length === 0) {
      plot.append('text').attr('class', 'empty').attr('x', width / 2).attr('y', height / 2).attr('text-anchor', 'middle').text('no operation got an answer');
      return;
    }
    const line = d3
      .line<CdfPoint>()
      .x((p) => x(p.ms))
      .y((p) => y(p.fraction))
      .curve(d3.curveStepAfter);
    kinds.forEach((k, i) => {
      const pts = [{ ms: 0, fraction: 0 }, ...(cdfs[k] ?? [])];
      plot.append('path').attr('class', 'cdf').attr('fill', 'none').attr('stroke', colour(k)).attr('stroke-width', 2).attr('d', line(pts) ?? '');
      const lg = plot.append('g').attr('class', 'legend').attr('transform', `translate(${width + 10},${10 + i * 16})`);
      lg.append('rect').attr('width', 10).attr('height', 10).attr('fill', colour(k));
      lg.append('text').attr('x', 14).attr('y', 9).text(k);
    });
  });
}
