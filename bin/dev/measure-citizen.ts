/**
 * Measures the document's option-1 claims on the citizen-partition workload (seed 1..3):
 * encoded state bytes per variant for the same kind of final contents against the baseline
 * (document: "memory usage typically 2-4x baseline"), and network bytes of delta-state sync vs
 * full-state sync. Run: npx tsx bin/dev/measure-citizen.ts
 */
import partition from '../../scenarios/citizen-partition.ts';
import { runScenario } from '../../sim/run.ts';
import { defineScenario } from '../../sim/scenario.ts';
import type { Value } from '../../sim/value.ts';
import type { CitizenParams } from '../../models/model-citizen/index.ts';

interface Stats { readonly bytes: { readonly [kind: string]: number }; readonly state: number }

function lastStats(probes: readonly { name: string; node: string; detail: Value }[]): Map<string, Stats> {
  const out = new Map<string, Stats>();
  for (const p of probes) if (p.name === 'citizen.stats') out.set(p.node, p.detail as unknown as Stats);
  return out;
}

function measure(variant: string, fullStateSync = false): { state: number; net: number } {
  const s = defineScenario({
    name: 'citizen-measure',
    doc: 'measurement',
    model: { ...partitionModel(), name: 'model-citizen' },
    params: { ...(partition.params as CitizenParams), fullStateSync },
    expect: { [variant]: { holds: true } },
    network: partition.network,
    faults: partition.faults,
    targets: partition.targets,
    checkers: [],
    duration: partition.duration,
    settle: partition.settle,
    seeds: [1],
  });
  let state = 0;
  let net = 0;
  for (const seed of [1, 2, 3]) {
    const r = runScenario(s, { seed, variant });
    const st = lastStats(r.probes as never);
    for (const v of st.values()) {
      state += v.state / st.size / 3;
      net += Object.values(v.bytes).reduce((a, b) => a + b, 0) / 3;
    }
  }
  return { state: Math.round(state), net: Math.round(net) };
}

import { modelCitizen } from '../../models/model-citizen/index.ts';
function partitionModel() { return modelCitizen; }

const base = measure('as-written');
console.log('| variant | encoded state bytes per replica | x baseline | network bytes (all replicas) |');
console.log('| --- | --- | --- | --- |');
for (const [v, full] of [['as-written', false], ['corrected', false], ['corrected', true], ['yjs', false], ['automerge', false]] as const) {
  const m = v === 'as-written' ? base : measure(v, full);
  console.log(`| ${v}${full ? ' (full-state sync)' : ''} | ${m.state} | ${(m.state / base.state).toFixed(1)} | ${m.net} |`);
}
