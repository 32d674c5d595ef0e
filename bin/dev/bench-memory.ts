// Peak memory of a 10-million-event run with the trace streamed to disk (goal < 200 MB):
//   npx tsx bin/dev/bench-memory.ts [events] [trace-file]
// 200 nodes exchange small messages over a lossy, duplicating network; every event is written
// to the trace file as a JSON line. Memory is sampled between chunks of one million events.
import { statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomChoices } from '../../sim/choices.ts';
import { Kernel } from '../../sim/kernel.ts';
import type { NodeSpec } from '../../sim/process.ts';
import { FileTraceSink } from '../output.ts';

const events = Number(process.argv[2] ?? 10_000_000);
const file = process.argv[3] ?? join(tmpdir(), 'faultline-bench-trace.jsonl');
const n = 200;
const ids = Array.from({ length: n }, (_, i) => `n${i}`);
const nodes: NodeSpec[] = ids.map((id, i) => ({
  id,
  role: 'server',
  create: (ctx) => {
    let seq = 0;
    return {
      onStart: () => void ctx.setTimer(1000 + i, 'tick'),
      onTimer() {
        ctx.send(ctx.choices.pick(ids, 'bench.to'), { seq: seq++, from: id });
        ctx.setTimer(1000, 'tick');
      },
      onMessage() {},
    };
  },
}));
const sink = new FileTraceSink(file);
const k = new Kernel({
  nodes,
  network: { default: { latency: { kind: 'lognormal', median: 800, sigma: 0.6, min: 100 }, loss: 0.01, duplicate: 0.01 } },
  choices: new RandomChoices(1),
  traceSink: sink,
});
k.start();
let peak = process.memoryUsage().rss;
const t0 = performance.now();
while (k.steps < events) {
  k.runUntil(Infinity, Math.min(events, k.steps + 1_000_000));
  peak = Math.max(peak, process.memoryUsage().rss);
}
sink.commit();
const secs = (performance.now() - t0) / 1000;
const mb = (b: number) => (b / 2 ** 20).toFixed(0);
console.log(
  `${k.steps} events (${k.trace.count} trace lines, ${mb(statSync(file).size)} MB on disk) in ${secs.toFixed(1)} s ` +
    `(${(k.steps / secs / 1e6).toFixed(2)} M events/s); simulated ${(k.now / 1e6).toFixed(1)} s; peak RSS ${mb(peak)} MB (goal < 200 MB)`,
);
if (!process.argv[3]) rmSync(file, { force: true });
