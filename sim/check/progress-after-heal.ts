import { pairOperations } from '../history.ts';
import type { Micros, Value } from '../value.ts';
import type { Checker, CheckInput, CheckResult } from './types.ts';

/**
 * Progress once the faults are over: every operation kind in `kinds` that clients invoked after
 * the last fault healed (the latest `until` in the run's fault record, or the start of a run
 * without faults) succeeds at least once among those invocations. Safety checks hold trivially on
 * a system that answers nothing ("refuse every frame" passed every libSQL check); this one does
 * not. The heal time is read from the run, so a shrunk run with fewer faults is judged by the same
 * rule. If no operation of a kind was invoked after the heal, that kind is not judged (said in the
 * summary), so a fault phase that runs to the end of the workload is not a failure.
 */
export function progressAfterHeal(options: { kinds: readonly string[]; name?: string }): Checker {
  const name = options.name ?? 'progress-after-heal';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const healed: Micros = (input.faults ?? []).reduce((m, f) => Math.max(m, f.until), 0);
      const ops = pairOperations(input.history).filter((o) => o.invokeTime >= healed);
      const judged: Value[] = [];
      const stuck: string[] = [];
      const unjudged: string[] = [];
      for (const f of options.kinds) {
        const mine = ops.filter((o) => o.f === f);
        if (mine.length === 0) {
          unjudged.push(f);
          continue;
        }
        const ok = mine.filter((o) => o.status === 'ok').length;
        judged.push({ f, invoked: mine.length, ok });
        if (ok === 0) stuck.push(`${f} (${mine.length} invoked, none ok)`);
      }
      const at = `${(healed / 1000).toFixed(0)} ms`;
      const none = unjudged.length > 0 ? `; not invoked after the heal: ${unjudged.join(', ')}` : '';
      if (stuck.length === 0) {
        return { name, verdict: 'ok', summary: `after the last heal at ${at}, every judged kind succeeded at least once${none}`, evidence: { healed, judged } };
      }
      return { name, verdict: 'violation', summary: `no progress after the last heal at ${at}: ${stuck.join(', ')}${none}`, evidence: { healed, judged } };
    },
  };
}
