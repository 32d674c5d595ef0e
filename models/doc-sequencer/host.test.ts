import { describe, expect, it } from 'vitest';
import { convergence } from '../../sim/check/convergence.ts';
import { sequencer } from '../../sim/check/sequencer.ts';
import { runScenario } from '../../sim/run.ts';
import { defineScenario } from '../../sim/scenario.ts';
import type { Value } from '../../sim/value.ts';
import { ackedKept, appliedOnceInText, intentionPreserved } from './checks.ts';
import { type DocParams, docNodes, variantNames } from './nodes.ts';
import { singleLog } from './single-log.test-helper.ts';

/**
 * The host and clients over a stand-in log (one always-leader node, no Raft): the document's
 * client/server protocol alone, with STALE_BASE resyncs from frequent compaction.
 */
const scenario = (variants: readonly string[]) =>
  defineScenario<DocParams>({
    name: 'doc-host-test',
    doc: 'host and clients on a stand-in log',
    model: { name: 'doc-sequencer', doc: 'test', variants: variantNames(), build: (v, p) => docNodes(v, p, singleLog) },
    params: { servers: 1, clients: 4, think: { min: 30_000, max: 200_000 }, compactEvery: 20 },
    expect: Object.fromEntries(variants.map((v) => [v, { holds: true }])),
    network: { default: { latency: { kind: 'lognormal', median: 20_000, sigma: 0.6, min: 2_000 } } },
    faults: {},
    checkers: [
      sequencer(),
      convergence({ project: (_r, s) => (s as { text: Value }).text }),
      intentionPreserved(),
      appliedOnceInText(),
      ackedKept(),
    ],
    duration: 6_000_000,
    settle: 3_000_000,
    seeds: [1],
  });

describe('document host and clients (stand-in log)', () => {
  const s = scenario(['corrected', 'corrected/yjs', 'corrected/rga', 'as-written']);
  for (const v of ['corrected', 'corrected/yjs', 'corrected/rga']) {
    it(`${v}: every check holds with concurrent typing and STALE_BASE resyncs`, () => {
      for (const seed of [1, 2]) {
        const r = runScenario(s, { seed, variant: v });
        const bad = r.checks.filter((c) => c.verdict !== 'ok').map((c) => `${c.name}: ${c.summary}`);
        expect(bad, `seed ${seed}`).toEqual([]);
        const resyncs = Object.values(r.finalStates).reduce<number>((n, st) => n + ((st as { stats?: { resyncs: number } }).stats?.resyncs ?? 0), 0);
        expect(resyncs).toBeGreaterThan(0);
      }
    });
  }

  it('as-written OT breaks intention (multi-op in flight) and numbers STALE ops into holes', () => {
    const r = runScenario(s, { seed: 1, variant: 'as-written' });
    const verdict = (n: string) => r.checks.find((c) => c.name === n)?.verdict;
    expect(verdict('intention')).toBe('violation');
    expect(verdict('sequencer')).toBe('violation');
  });

  it('the same seed gives the same run (yjs and RGA included)', () => {
    for (const v of ['corrected/yjs', 'corrected/rga']) {
      const a = runScenario(s, { seed: 3, variant: v });
      const b = runScenario(s, { seed: 3, variant: v });
      expect(a.traceHash).toBe(b.traceHash);
    }
  });
});
