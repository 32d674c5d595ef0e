/**
 * The OCC contention table (issue 14): writers 1, 2, 5, 10, 20 on one DO, as-written (retry at
 * once) against corrected (exponential backoff, full jitter), over seeds 1..5. Figures come from
 * the clients' `occ-update` probes (virtual time), so the table is the same on every machine.
 *
 * Printed by `npx tsx bin/dev/occ-contention-table.ts [--seeds 5]` (models/ may not print).
 */
import occContention, { occParams } from '../../scenarios/occ-contention.ts';
import { runScenario } from '../../sim/run.ts';
import { defineScenario } from '../../sim/scenario.ts';
import { occModel, type OccParams } from './index.ts';

interface Update {
  readonly node: string;
  readonly tries: number;
  readonly ok: boolean;
  readonly latency: number;
}

const pct = (xs: readonly number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
};

export function contentionRow(variant: string, writers: number, seeds: number) {
  const params: OccParams = occParams({ clients: writers, workload: { mix: { incr: 1 }, keys: 1, think: { min: 0, max: 10_000 }, opsPerClient: 20 } });
  const s = defineScenario({ ...occContention, model: occModel, params, expect: { [variant]: { holds: true } } } as never);
  const ups: Update[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const r = runScenario(s, { seed, variant });
    for (const p of r.probes) {
      if (p.name !== 'occ-update') continue;
      const d = p.detail as { tries: number; ok: boolean; latency: number };
      ups.push({ node: `${seed}/${p.node}`, ...d });
    }
  }
  const ok = ups.filter((u) => u.ok);
  const tries = ups.reduce((n, u) => n + u.tries, 0);
  const byClient = new Map<string, boolean>();
  for (const u of ups) byClient.set(u.node, (byClient.get(u.node) ?? false) || u.ok);
  const starved = [...byClient.values()].filter((v) => !v).length;
  return {
    variant,
    writers,
    updates: ups.length,
    successRate: ok.length / ups.length,
    retriesPerSuccess: (tries - ok.length) / Math.max(1, ok.length),
    p50ms: pct(ok.map((u) => u.latency), 0.5) / 1000,
    p99ms: pct(ok.map((u) => u.latency), 0.99) / 1000,
    starvation: starved / byClient.size,
  };
}
