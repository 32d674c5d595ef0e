import type { Checker, CheckInput, CheckResult } from './types.ts';

/**
 * The design's own invariants, as the design probed them during the run (for example "at most
 * one lock holder", "sequence numbers are gapless"). A false probe is a violation; evidence is
 * the first failing probes with where and when they were observed.
 */
export function invariants(options: { name?: string; only?: readonly string[] } = {}): Checker {
  const name = options.name ?? 'invariants';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const relevant = options.only ? input.probes.filter((p) => options.only?.includes(p.name)) : input.probes;
      const failed = relevant.filter((p) => !p.ok);
      if (failed.length === 0) {
        return { name, verdict: 'ok', summary: `${relevant.length} invariant probes, all held` };
      }
      const first = failed[0];
      return {
        name,
        verdict: 'violation',
        summary: `${failed.length} of ${relevant.length} probes failed; first: ${first?.name} on ${first?.node} at ${((first?.time ?? 0) / 1000).toFixed(3)} ms`,
        evidence: {
          failed: failed.slice(0, 20).map((p) => ({ name: p.name, node: p.node, time: p.time, detail: p.detail })),
          total: failed.length,
        },
      };
    },
  };
}
