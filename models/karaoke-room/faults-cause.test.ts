import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import type { FaultPlan } from '../../sim/faults.ts';
import { defineScenario, type Expectation, type Scenario } from '../../sim/scenario.ts';
import clockStep, { clockStepSchedule } from '../../scenarios/karaoke-clock-step.ts';
import dupReorder, { dupReorderSchedule } from '../../scenarios/karaoke-dup-reorder.ts';
import { karaokeRoom, type KaraokeParams } from './index.ts';

/**
 * The fault a scenario is named after is what exposes its defect: the same scenario without
 * that one fault (same seeds, same workload, every other fault kept) must not show it. Without
 * this, a scenario could keep "catching" a defect that some other part of it provokes.
 */
function without(s: Scenario, faults: FaultPlan, expect: Readonly<Record<string, Expectation>>): Scenario {
  return defineScenario({
    name: `${s.name}-control`,
    doc: `${s.name} without its headline fault`,
    model: karaokeRoom,
    params: s.params as KaraokeParams,
    expect,
    network: s.network,
    faults,
    checkers: s.checkers,
    duration: s.duration,
    settle: s.settle,
    seeds: s.seeds,
  });
}

const verdicts = (s: Scenario, variant: string, seed: number) =>
  Object.fromEntries(runScenario(s, { seed, variant }).checks.map((c) => [c.name, c.verdict]));

describe('the headline fault is the cause', () => {
  it('karaoke-clock-step: without the clock steps no request is applied twice, as-written or bug:clock-ttl', () => {
    const control = without(clockStep, { schedule: clockStepSchedule(false) }, { 'as-written': { violates: ['linearizable'] }, 'bug:clock-ttl': { holds: true } });
    for (const seed of clockStep.seeds) {
      expect(verdicts(control, 'as-written', seed)['applied-once'], `as-written seed ${seed}`).toBe('ok');
      expect(verdicts(control, 'bug:clock-ttl', seed), `bug:clock-ttl seed ${seed}`).toEqual(Object.fromEntries(control.checkers.map((c) => [c.name, 'ok'])));
    }
  });

  it('karaoke-dup-reorder: on a clean network the as-written room applies every request once', () => {
    const control = without(dupReorder, { schedule: dupReorderSchedule(false) }, { 'as-written': { violates: ['linearizable'] } });
    for (const seed of dupReorder.seeds) expect(verdicts(control, 'as-written', seed)['applied-once'], `seed ${seed}`).toBe('ok');
  });
});
