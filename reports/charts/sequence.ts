import type { SequenceData } from '../sequence-data.ts';
import { clip, renderChart } from './svg.ts';

const ROW = 14;

/**
 * Message sequence diagram of the counterexample: one lifeline per node, time flowing down.
 * Rows are distinct instants in order (not to scale), so bursts stay readable; the left axis
 * gives each row's time. Lost and dropped messages end in a red cross.
 */
export function sequenceChart(s: SequenceData, idSuffix: string): string {
  const times = new Set<number>();
  for (const m of s.messages) {
    times.add(m.sendT);
    if (m.recvT !== null) times.add(m.recvT);
  }
  for (const e of s.events) times.add(e.t);
  const rows = [...times].sort((a, b) => a - b);
  const rowOf = new Map(rows.map((t, i) => [t, i]));
  const height = Math.max(120, rows.length * ROW + 80);
  const arrowId = `arrow-${idSuffix}`;
  return renderChart('sequence', 'Message sequence diagram of the counterexample', { width: 960, height }, { top: 40, right: 20, bottom: 20, left: 90 }, ({ d3, svg, plot, width, height: h }) => {
    svg
      .append('defs')
      .append('marker')
      .attr('id', arrowId)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M0,0L10,5L0,10z')
      .attr('fill', '#37474f');
    const x = d3.scalePoint<string>().domain([...s.nodes]).range([0, width]).padding(0.5);
    const y = (t: number) => (rowOf.get(t) ?? 0) * ROW + 8;
    const life = plot.append('g').attr('class', 'lifelines');
    for (const n of s.nodes) {
      const xx = x(n) ?? 0;
      life.append('line').attr('class', 'lifeline').attr('x1', xx).attr('x2', xx).attr('y1', 0).attr('y2', h).attr('stroke', '#b0bec5').attr('stroke-width', 1.5);
      life.append('text').attr('x', xx).attr('y', -10).attr('text-anchor', 'middle').attr('font-weight', 'bold').text(n);
    }
    const axis = plot.append('g').attr('class', 'times');
    rows.forEach((t, i) => {
      if (i % 2 === 0 || rows.length < 30) axis.append('text').attr('x', -8).attr('y', i * ROW + 11).attr('text-anchor', 'end').attr('fill', '#607d8b').attr('font-size', 9).text(`${(t / 1000).toFixed(3)} ms`);
    });
    for (const e of s.events) {
      const g = plot.append('g').attr('class', `event event-${e.kind}`);
      const yy = y(e.t);
      if (e.node) {
        const xx = x(e.node) ?? 0;
        g.append('rect').attr('x', xx - 34).attr('y', yy - 6).attr('width', 68).attr('height', 13).attr('rx', 3).attr('fill', e.kind === 'crash' ? '#c62828' : '#ef6c00');
        g.append('text').attr('x', xx).attr('y', yy + 4).attr('text-anchor', 'middle').attr('fill', '#fff').attr('font-weight', 'bold').text(e.kind.toUpperCase());
      } else {
        g.append('line').attr('x1', 0).attr('x2', width).attr('y1', yy).attr('y2', yy).attr('stroke', '#ef6c00').attr('stroke-dasharray', '6,3');
        g.append('text').attr('x', width).attr('y', yy - 3).attr('text-anchor', 'end').attr('fill', '#ef6c00').text(clip(e.label, 60));
      }
      g.append('title').text(`${(e.t / 1000).toFixed(3)} ms: ${e.label}${e.node ? ` at ${e.node}` : ''}`);
    }
    const msgs = plot.append('g').attr('class', 'messages');
    for (const m of s.messages) {
      const x1 = x(m.from) ?? 0;
      const x2 = x(m.to) ?? 0;
      const y1 = y(m.sendT);
      const delivered = m.fate === 'delivered';
      // A lost message stops half-way; a dropped one reaches the receiver's lifeline and dies there.
      const y2 = m.recvT === null ? y1 + ROW : y(m.recvT);
      const xe = m.recvT === null ? (x1 + x2) / 2 : x2;
      const ye = m.recvT === null ? (y1 + y2) / 2 : y2;
      const g = msgs.append('g').attr('class', `message msg-${m.fate}`);
      g.append('line')
        .attr('x1', x1)
        .attr('y1', y1)
        .attr('x2', xe)
        .attr('y2', ye)
        .attr('stroke', delivered ? '#37474f' : '#c62828')
        .attr('stroke-width', 1.2)
        .attr('stroke-dasharray', delivered ? null : '4,2')
        .attr('marker-end', delivered ? `url(#${arrowId})` : null);
      if (!delivered) {
        g.append('path').attr('d', `M${xe - 4},${ye - 4}L${xe + 4},${ye + 4}M${xe - 4},${ye + 4}L${xe + 4},${ye - 4}`).attr('stroke', '#c62828').attr('stroke-width', 2);
      }
      const lx = x1 + (xe - x1) * 0.5;
      const ly = y1 + (ye - y1) * 0.5 - 2;
      g.append('text').attr('x', lx).attr('y', ly).attr('text-anchor', 'middle').attr('font-size', 9).attr('fill', delivered ? '#263238' : '#c62828').text(clip(m.label, 34));
      g.append('title').text(`message ${m.id} ${m.from} → ${m.to} (${m.fate}), sent ≈${(m.sendT / 1000).toFixed(3)} ms${m.recvT !== null ? `, arrived ${(m.recvT / 1000).toFixed(3)} ms` : ''}: ${m.label}`);
    }
    if (s.messages.length === 0) plot.append('text').attr('class', 'empty').attr('x', width / 2).attr('y', 30).attr('text-anchor', 'middle').text('no messages in this window');
  });
}
