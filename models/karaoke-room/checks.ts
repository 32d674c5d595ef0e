import type { Checker, CheckInput, CheckResult } from '../../sim/check/types.ts';
import { canonicalJson, type Value } from '../../sim/value.ts';

/**
 * "After faults heal every client converges to the DO's latest state": each client's final
 * state `{ room, state }` must equal the authority's `{ [room]: state }` on `authority`.
 * Reads finalStates only.
 */
export function clientsConverge(options: { name?: string; authority: string }): Checker {
  const name = options.name ?? 'clients-converge';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const auth = input.finalStates.get(options.authority) as { readonly [room: string]: Value } | undefined;
      if (!auth) return { name, verdict: 'violation', summary: `authority ${options.authority} has no final state` };
      const diverged: Value[] = [];
      let clients = 0;
      for (const [node, s] of input.finalStates) {
        const st = s as { room?: Value; state?: Value } | null;
        if (node === options.authority || typeof st?.room !== 'string') continue;
        clients++;
        const want = auth[st.room] ?? null;
        if (canonicalJson(want) !== canonicalJson(st.state ?? null)) diverged.push({ node, has: st.state ?? null, authority: want });
      }
      if (diverged.length === 0) return { name, verdict: 'ok', summary: `${clients} clients hold the authority's latest state` };
      return {
        name,
        verdict: 'violation',
        summary: `${diverged.length} of ${clients} clients differ from the authority's latest state`,
        evidence: { diverged: diverged.slice(0, 10) },
      };
    },
  };
}
