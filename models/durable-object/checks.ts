import { pairOperations } from '../../sim/history.ts';
import type { Checker, CheckInput, CheckResult } from '../../sim/check/types.ts';
import type { Micros, Value } from '../../sim/value.ts';

/**
 * Checkers shared by the Durable Object designs. They read only CheckInput (history, probes,
 * final states), never model code.
 */

/**
 * "No request applied twice": the design probes `probe` with `{ rid }` each time a request's
 * effect becomes durable; a request id seen twice is a violation.
 */
export function appliedOnce(options: { name?: string; probe: string }): Checker {
  const name = options.name ?? 'applied-once';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const seen = new Map<string, number[]>();
      for (const p of input.probes) {
        if (p.name !== options.probe) continue;
        const d = p.detail as { rid?: Value } | null;
        const rid = typeof d?.rid === 'string' ? d.rid : JSON.stringify(d);
        const list = seen.get(rid) ?? [];
        list.push(p.time);
        seen.set(rid, list);
      }
      const twice = [...seen.entries()].filter(([, ts]) => ts.length > 1);
      if (twice.length === 0) return { name, verdict: 'ok', summary: `${seen.size} requests applied, each once` };
      return {
        name,
        verdict: 'violation',
        summary: `${twice.length} of ${seen.size} requests applied more than once; first: ${twice[0]?.[0]} (${twice[0]?.[1].length} times)`,
        evidence: { requests: twice.slice(0, 20).map(([rid, ts]) => ({ rid, times: ts })) },
      };
    },
  };
}

/**
 * Liveness after a heal: every client node that issued operations gets at least one `ok`
 * completion whose invocation starts within [healAt, healAt + within]. `healAt` is when the
 * scenario's last fault ends (it must end before the workload does, or nothing is issued after).
 */
export function servedAfterHeal(options: { name?: string; healAt: Micros; within: Micros; ops?: readonly string[] }): Checker {
  const name = options.name ?? 'served-after-heal';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const ops = pairOperations(input.history).filter((o) => !options.ops || options.ops.includes(o.f));
      const nodes = new Set<string>();
      for (const o of ops) if (o.node !== undefined) nodes.add(o.node);
      const lag: Record<string, Value> = {};
      const starved: string[] = [];
      for (const n of [...nodes].sort()) {
        const first = ops
          .filter((o) => o.node === n && o.status === 'ok' && o.invokeTime >= options.healAt)
          .reduce((m, o) => Math.min(m, o.completeTime), Infinity);
        lag[n] = first === Infinity ? null : first - options.healAt;
        if (!(first - options.healAt <= options.within)) starved.push(n);
      }
      if (starved.length === 0) {
        return { name, verdict: 'ok', summary: `every client served within ${options.within / 1000} ms of the heal`, evidence: { lag } };
      }
      return {
        name,
        verdict: 'violation',
        summary: `${starved.length} client(s) not served within ${options.within / 1000} ms of the heal at ${options.healAt / 1000} ms: ${starved.join(', ')}`,
        evidence: { starved, lag },
      };
    },
  };
}
