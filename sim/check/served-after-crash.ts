import { pairOperations } from '../history.ts';
import type { Checker, CheckInput, CheckResult } from './types.ts';
import type { Micros, Value } from '../value.ts';

/**
 * Liveness after a crash: a crashed lock holder's objects are served again within `ttl` plus
 * `bound`. For every crash in the run's fault record (its time read from CheckInput.faults,
 * never fixed in the scenario) that no other fault overlaps in [at, at + ttl + bound], every
 * key that clients asked for in [at, at + ttl] must have an operation that completed ok in
 * (at, at + ttl + bound]. Keys are filtered with `keep` (e.g. the objects, not the locks).
 */
export function servedAfterCrash(options: { name?: string; ttl: Micros; bound: Micros; keep?: (key: string | undefined) => boolean }): Checker {
  const name = options.name ?? 'served-after-crash';
  const keep = options.keep ?? (() => true);
  return {
    name,
    check(input: CheckInput): CheckResult {
      const faults = input.faults ?? [];
      const ops = pairOperations(input.history.filter((e) => keep(e.key)));
      const horizon = options.ttl + options.bound;
      const judged: Value[] = [];
      const starved: Value[] = [];
      for (const c of faults) {
        if (c.kind !== 'crash') continue;
        const end = c.at + horizon;
        const overlapped = faults.some((f) => f !== c && f.at < end && f.until > c.at);
        if (overlapped) continue;
        const asked = new Set<string>();
        for (const o of ops) if (o.invokeTime >= c.at && o.invokeTime <= c.at + options.ttl) asked.add(o.key ?? '');
        const late: string[] = [];
        for (const k of [...asked].sort()) {
          const served = ops.some((o) => (o.key ?? '') === k && o.status === 'ok' && o.completeTime > c.at && o.completeTime <= end);
          if (!served) late.push(k);
        }
        judged.push({ crash: c.description, at: c.at, keys: asked.size });
        if (late.length > 0) starved.push({ crash: c.description, at: c.at, deadline: end, unserved: late.slice(0, 20) });
      }
      if (starved.length === 0) {
        return { name, verdict: 'ok', summary: `${judged.length} isolated crashes judged; every key asked for was served within ${horizon / 1000} ms`, evidence: { judged } };
      }
      const f = starved[0] as { crash: string; unserved: string[] };
      return {
        name,
        verdict: 'violation',
        summary: `${starved.length} of ${judged.length} crashes left keys unserved past ttl+bound; first: ${f.crash}, ${f.unserved.join(', ')}`,
        evidence: { starved, judged },
      };
    },
  };
}
