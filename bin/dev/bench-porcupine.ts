/**
 * Benchmark against Porcupine v1.3.0: `npx tsx bin/dev/bench-porcupine.ts [runs]`.
 *
 * Median check time per file, excluding parsing (evidence shrinking included, since a verdict
 * without it is not what `faultline check` prints). Porcupine's figures are fixed reference
 * numbers measured on this machine kind (2 cores, single thread, Go 1.19): Go is not installed
 * here, so they cannot be re-measured side by side. Ratio = ours / Porcupine; below 1 is faster.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { checkLinearizability } from '../../sim/check/linearizability.ts';
import { modelByName } from '../../sim/check/models/index.ts';
import { readPorcupineEtcd, readPorcupineKv } from '../../sim/check/readers/index.ts';

const DATA = fileURLToPath(new URL('../../../shared/data/porcupine', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

function time(events: ReturnType<typeof readPorcupineEtcd>, model: string, n = runs, shrink = true): { ms: number; verdict: string; bare?: number } {
  const m = modelByName(model);
  const ts: number[] = [];
  let verdict = '';
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    verdict = checkLinearizability(events, m, { steps: Number.MAX_SAFE_INTEGER }, { shrink }).verdict;
    ts.push(performance.now() - t);
  }
  if (!shrink || verdict !== 'violation') return { ms: median(ts), verdict };
  // Porcupine's figure is a verdict without partial-linearization evidence: time that too.
  return { ms: median(ts), verdict, bare: time(events, model, n, false).ms };
}

const etcd = (name: string) => readPorcupineEtcd(readFileSync(`${DATA}/jepsen/${name}.log`, 'utf8'));
const kv = (name: string) => readPorcupineKv(readFileSync(`${DATA}/kv/${name}.txt`, 'utf8'));

const rows: [string, number, () => ReturnType<typeof time>][] = [
  ['etcd_002', 0.185, () => time(etcd('etcd_002'), 'register')],
  ['etcd_007', 0.112, () => time(etcd('etcd_007'), 'register')],
  ['etcd_057', 0.051, () => time(etcd('etcd_057'), 'register')],
  ['etcd_099', 0.051, () => time(etcd('etcd_099'), 'register')],
  ['etcd_075', 0.02, () => time(etcd('etcd_075'), 'register')],
  ['kv c50-ok (per key)', 0.199, () => time(kv('c50-ok'), 'kv')],
  ['kv c50-bad (per key)', 0.033, () => time(kv('c50-bad'), 'kv')],
  ['kv c10-ok (one partition)', 2.43, () => time(kv('c10-ok'), 'kv-map', Math.min(runs, 5))],
  ['kv c10-bad (one partition)', 2.9, () => time(kv('c10-bad'), 'kv-map', Math.min(runs, 5))],
  [
    'all 102 etcd files',
    0.45,
    () => {
      const files = readdirSync(`${DATA}/jepsen`).filter((f) => f.endsWith('.log') && f !== 'etcd_095.log').sort();
      const hist = files.map((f) => etcd(f.slice(0, -4)));
      const m = modelByName('register');
      // Like the other rows: the verdict-only time is the one compared with Porcupine's figure.
      const all = (shrink: boolean): number => {
        const ts: number[] = [];
        for (let i = 0; i < Math.min(runs, 5); i++) {
          const t = performance.now();
          for (const h of hist) checkLinearizability(h, m, { steps: Number.MAX_SAFE_INTEGER }, { shrink });
          ts.push(performance.now() - t);
        }
        return median(ts);
      };
      return { ms: all(true), verdict: '-', bare: all(false) };
    },
  ],
];

// Warm the JIT on a mid-size file so the first row is not charged for compilation.
time(etcd('etcd_040'), 'register', 3);
console.log(`median of ${runs} runs; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| file | Porcupine (s) | ours, verdict only (s) | ratio | ours with shortest failing prefix (s) | verdict |');
console.log('| --- | ---: | ---: | ---: | ---: | --- |');
for (const [name, ref, fn] of rows) {
  const { ms, verdict, bare } = fn();
  const v = bare ?? ms;
  console.log(`| ${name} | ${ref.toFixed(3)} | ${(v / 1000).toFixed(3)} | ${(v / 1000 / ref).toFixed(2)} | ${(ms / 1000).toFixed(3)} | ${verdict} |`);
}
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
