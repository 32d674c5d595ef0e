/**
 * Prints the OCC contention table (issue 14): writers 1, 2, 5, 10, 20 on one DO, as-written and
 * corrected, from models/occ/contention.ts.
 *
 *   npx tsx bin/dev/occ-contention-table.ts [--seeds 5]
 */
import { contentionRow } from '../../models/occ/contention.ts';

const i = process.argv.indexOf('--seeds');
const seeds = i > 0 ? Number(process.argv[i + 1]) : 5;
console.log(`| variant | writers | updates | success rate | retries per success | p50 write ms | p99 write ms | starvation |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
for (const variant of ['as-written', 'corrected']) {
  for (const w of [1, 2, 5, 10, 20]) {
    const r = contentionRow(variant, w, seeds);
    console.log(`| ${variant} | ${w} | ${r.updates} | ${(100 * r.successRate).toFixed(1)}% | ${r.retriesPerSuccess.toFixed(2)} | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} | ${(100 * r.starvation).toFixed(0)}% |`);
  }
}
