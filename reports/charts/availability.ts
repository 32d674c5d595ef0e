import type { FaultRecord } from '../../sim/faults.ts';
import type { Bucket } from '../series.ts';
import { FAULT_FILL, renderChart } from './svg.ts';

/**
 * Throughput (bars, ok completions per second) and availability (line, fraction of completions
 * that were ok) over the workload phase, with every injected fault window shaded.
 */
export function availabilityChart(series: readonly Bucket[], faults: readonly FaultRecord[], duration: number): string {
  return renderChart('availability', 'Throughput and availability over time, fault windows shaded', { width: 960, height: 260 }, { top: 26, right: 56, bottom: 36, left: 52 }, ({ d3, plot, width, height }) => {
    const x = d3.scaleLinear().domain([0, duration / 1e6]).range([0, width]);
    const maxT = Math.max(1, ...series.map((b) => b.throughput));
    const yT = d3.scaleLinear().domain([0, maxT]).nice().range([height, 0]);
    const yA = d3.scaleLinear().domain([0, 1]).range([height, 0]);
    const faultG = plot.append('g').attr('class', 'faults');
    const lanes = new Map<string, number>();
    for (const f of faults) {
      const x0 = x(f.at / 1e6);
      const x1 = Math.max(x0 + 2, x(Math.min(f.until, duration) / 1e6));
      const g = faultG.append('g').attr('class', `fault fault-${f.kind}`);
      g.append('rect').attr('x', x0).attr('y', 0).attr('width', x1 - x0).attr('height', height).attr('fill', FAULT_FILL).attr('fill-opacity', 0.12);
      g.append('title').text(`${f.description}: ${(f.at / 1e6).toFixed(3)} s to ${(Math.min(f.until, duration) / 1e6).toFixed(3)} s`);
      if (!lanes.has(f.kind)) lanes.set(f.kind, lanes.size);
    }
    plot
      .append('g')
      .attr('class', 'throughput')
      .selectAll('rect')
      .data(series)
      .join('rect')
      .attr('class', 'bar')
      .attr('x', (b) => x(b.from / 1e6))
      .attr('width', (b) => Math.max(0.5, x(b.to / 1e6) - x(b.from / 1e6) - 0.5))
      .attr('y', (b) => yT(b.throughput))
      .attr('height', (b) => height - yT(b.throughput))
      .attr('fill', '#90a4ae');
    const line = d3
      .line<Bucket>()
      .defined((b) => b.availability !== null)
      .x((b) => x((b.from + b.to) / 2e6))
      .y((b) => yA(b.availability ?? 0));
    plot.append('path').attr('class', 'availability').attr('fill', 'none').attr('stroke', '#1565c0').attr('stroke-width', 2).attr('d', line([...series]) ?? '');
    plot.append('g').attr('class', 'axis x').attr('transform', `translate(0,${height})`).call(d3.axisBottom(x).ticks(10));
    plot.append('g').attr('class', 'axis y').call(d3.axisLeft(yT).ticks(5));
    plot.append('g').attr('class', 'axis y2').attr('transform', `translate(${width},0)`).call(d3.axisRight(yA).ticks(5, '%'));
    plot.append('text').attr('x', width / 2).attr('y', height + 30).attr('text-anchor', 'middle').text('simulated time (s)');
    plot.append('text').attr('x', -40).attr('y', -10).text('ok ops/s (grey bars)');
    plot.append('text').attr('x', width + 50).attr('y', -10).attr('text-anchor', 'end').attr('fill', '#1565c0').text('availability (blue line)');
    plot.append('text').attr('x', width / 2).attr('y', -10).attr('text-anchor', 'middle').attr('fill', FAULT_FILL).text(faults.length > 0 ? 'shaded: injected fault windows' : 'no faults injected');
  });
}
