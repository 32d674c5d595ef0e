import type { TimelineBar, TimelineData } from '../timeline-data.ts';
import { opLabel } from '../timeline-data.ts';
import { clip, FAULT_FILL, renderChart, STATUS_COLOUR } from './svg.ts';

const LANE = 22;

function describeBar(b: TimelineBar): string {
  const key = b.key !== null ? ` key ${JSON.stringify(b.key)}` : '';
  const end = b.end === null ? 'never completed' : `${(b.end / 1e6).toFixed(6)} s`;
  const role = b.role === 'culprit' ? ' — cannot be placed (culprit)' : b.role === 'unplaced' ? ' — not placed by the longest linearization' : '';
  return `op ${b.id}, process ${b.process}, ${b.lane}${key}: ${opLabel(b)} [${b.status}] invoked ${(b.start / 1e6).toFixed(6)} s, ${end}${role}`;
}

/**
 * History timeline around the first violation: one lane per client, one bar per operation from
 * invocation to completion, coloured ok / fail / info. Operations on the violating key are
 * solid and labelled; others are faint. A vertical line marks where the violation showed.
 */
export function timelineChart(t: TimelineData): string {
  const height = Math.max(80, t.lanes.length * LANE) + 60;
  return renderChart('timeline', 'History timeline around the first violation', { width: 960, height }, { top: 28, right: 16, bottom: 32, left: 70 }, ({ d3, plot, width, height: h }) => {
    const x = d3.scaleLinear().domain([t.from / 1000, t.to / 1000]).range([0, width]);
    const y = d3.scaleBand<string>().domain([...t.lanes]).range([0, h]).padding(0.25);
    const clampX = (us: number) => x(Math.max(t.from, Math.min(t.to, us)) / 1000);
    for (const f of t.faults) {
      const x0 = clampX(f.at);
      const x1 = Math.max(x0 + 2, clampX(f.until));
      const g = plot.append('g').attr('class', `fault fault-${f.kind}`);
      g.append('rect').attr('x', x0).attr('y', -6).attr('width', x1 - x0).attr('height', h + 6).attr('fill', FAULT_FILL).attr('fill-opacity', 0.1);
      g.append('text').attr('x', x0 + 3).attr('y', -10).attr('fill', FAULT_FILL).text(clip(f.description, 30));
      g.append('title').text(f.description);
    }
    plot.append('g').attr('class', 'axis x').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(8));
    plot.append('g').attr('class', 'axis y').call(d3.axisLeft(y));
    plot.append('text').attr('x', width / 2).attr('y', h + 28).attr('text-anchor', 'middle').text('simulated time (ms)');
    const bars = plot.append('g').attr('class', 'ops');
    for (const b of t.bars) {
      const yy = y(b.lane);
      if (yy === undefined) continue;
      const x0 = clampX(b.start);
      const x1 = Math.max(x0 + 2, b.end === null ? width : clampX(b.end));
      const g = bars.append('g').attr('class', `op op-${b.status} role-${b.role}`).attr('data-op', b.id);
      g.append('rect')
        .attr('x', x0)
        .attr('y', yy)
        .attr('width', x1 - x0)
        .attr('height', y.bandwidth())
        .attr('rx', 2)
        .attr('fill', STATUS_COLOUR[b.status] ?? '#999')
        .attr('fill-opacity', b.role === 'other' ? 0.25 : 0.85)
        .attr('stroke', b.role === 'culprit' ? '#000' : b.role === 'unplaced' ? '#6a1b9a' : 'none')
        .attr('stroke-width', b.role === 'culprit' ? 2.5 : 1.5)
        .attr('stroke-dasharray', b.role === 'unplaced' ? '3,2' : null);
      g.append('title').text(describeBar(b));
      if (b.role !== 'other') {
        g.append('text')
          .attr('class', 'op-label')
          .attr('x', x0 + 2)
          .attr('y', yy - 1)
          .attr('font-size', 9)
          .attr('fill', '#222')
          .text(clip(opLabel(b), Math.max(6, Math.floor((x1 - x0) / 5) + 6)));
      }
    }
    if (t.mark !== null) {
      const xm = clampX(t.mark);
      plot.append('line').attr('class', 'violation-mark').attr('x1', xm).attr('x2', xm).attr('y1', -18).attr('y2', h).attr('stroke', '#000').attr('stroke-width', 1.5).attr('stroke-dasharray', '4,3');
      plot.append('text').attr('x', xm - 4).attr('y', -18).attr('text-anchor', 'end').attr('font-weight', 'bold').text('violation visible here');
    }
  });
}
