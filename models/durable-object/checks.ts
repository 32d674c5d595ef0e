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
 * When the run's last fault healed, read from the run's fault record: the latest `until` of any
 * fault (a fault without an end heals with everything else at `duration`); 0 when the run
 * injected none. Never a time written into a scenario, so a shrunk run (fewer faults, a shorter
 * fault phase) is judged by the same rule as the run it came from.
 */
export function lastHeal(input: CheckInput): Micros {
  const duration = input.duration ?? Infinity;
  let heal = 0;
  for (const f of input.faults ?? []) heal = Math.max(heal, Math.min(f.until, duration));
  return heal;
}

/**
 * Liveness after a heal: every client node that issued operations gets at least one `ok`
 * completion whose invocation starts within [healAt, healAt + within], where healAt is the last
 * heal in the run's fault record (lastHeal). When that window does not fit in the workload phase
 * (the run stops issuing operations before it closes) nothing can be asked and the check is ok.
 */
export function servedAfterHeal(options: { name?: string; within: Micros; ops?: readonly string[] }): Checker {
  const name = options.name ?? 'served-after-heal';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const healAt = lastHeal(input);
      if (input.duration !== undefined && healAt + options.within > input.duration) {
        return { name, verdict: 'ok', summary: `the last heal at ${healAt / 1000} ms leaves less than ${options.within / 1000} ms of workload: nothing to ask` };
      }
      const ops = pairOperations(input.history).filter((o) => !options.ops || options.ops.includes(o.f));
      const nodes = new Set<string>();
      for (const o of ops) if (o.node !== undefined) nodes.add(o.node);
      const lag: Record<string, Value> = {};
      const starved: string[] = [];
      for (const n of [...nodes].sort()) {
        const first = ops
          .filter((o) => o.node === n && o.status === 'ok' && o.invokeTime >= healAt)
          .reduce((m, o) => Math.min(m, o.completeTime), Infinity);
        lag[n] = first === Infinity ? null : first - healAt;
        if (!(first - healAt <= options.within)) starved.push(n);
      }
      if (starved.length === 0) {
        return { name, verdict: 'ok', summary: `every client served within ${options.within / 1000} ms of the heal at ${healAt / 1000} ms`, evidence: { healAt, lag } };
      }
      return {
        name,
        verdict: 'violation',
        summary: `${starved.length} client(s) not served within ${options.within / 1000} ms of the heal at ${healAt / 1000} ms: ${starved.join(', ')}`,
        evidence: { healAt, starved, lag },
      };
    },
  };
}
