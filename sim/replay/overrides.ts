import { ReplayChoices } from '../choices.ts';
import { planNemesis } from '../faults.ts';
import type { Scenario } from '../scenario.ts';
import type { Micros } from '../value.ts';

/**
 * Departures from a scenario as declared, recorded in a repro so replay reproduces them.
 * Today only one: a shorter workload-and-faults phase. A scenario's duration is fixed, so
 * without it a shrunk run could only become quieter, never shorter; ending the workload soon
 * after the failure is what turns ten seconds of traffic into a short story.
 */
export interface Overrides {
  /** End of the workload-and-faults phase, in virtual microseconds (at most the scenario's). */
  readonly durationUs?: Micros;
}

/** Checks a parsed `overrides` object; returns an error message instead of throwing. */
export function validateOverrides(x: unknown): Overrides | string {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return "field 'overrides' must be an object";
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'durationUs') return `field 'overrides.${k}' is not one this faultline knows`;
  const d = o['durationUs'];
  if (d === undefined) return {};
  if (typeof d !== 'number' || !Number.isSafeInteger(d) || d <= 0) return "field 'overrides.durationUs' must be a positive integer";
  return { durationUs: d };
}

/**
 * The scenario with the overrides applied. runScenario takes the scenario as data, so this needs
 * no kernel change: scheduled faults past the new end are dropped (they would otherwise fire
 * during the settle phase, which the declared scenario never does).
 */
export function applyOverrides(s: Scenario, o: Overrides): Scenario {
  if (o.durationUs === undefined || o.durationUs >= s.duration) return s;
  const duration = o.durationUs;
  const schedule = s.faults.schedule?.filter((f) => f.at < duration);
  return { ...s, duration, faults: { ...s.faults, ...(schedule ? { schedule } : {}) } };
}

/**
 * How many draws the nemesis plan takes from the front of `seq` when the fault phase lasts
 * `duration`. runScenario plans the nemesis before the kernel starts, so these draws are the
 * first ones of every run; a shorter phase plans fewer intervals and therefore takes fewer.
 */
export function nemesisDraws(s: Scenario, variant: string, seq: readonly number[], duration: Micros): number {
  const spec = s.faults.nemesis;
  if (!spec) return 0;
  const servers = s.targets ?? s.buildNodes(variant).filter((n) => n.role === 'server').map((n) => n.id);
  const c = new ReplayChoices(seq);
  planNemesis(spec, duration, servers, c);
  return c.consumed;
}

/**
 * Realigns a choice sequence recorded with one phase length for a run with a shorter one: the
 * nemesis draws of the dropped intervals are cut out, so every later draw (network, workload,
 * storage) still lands on the decision it was recorded for, and the run is unchanged up to the
 * new end.
 */
export function alignForDuration(s: Scenario, variant: string, seq: readonly number[], from: Micros, to: Micros): number[] {
  const a = nemesisDraws(s, variant, seq, from);
  const b = nemesisDraws(s, variant, seq, to);
  if (a === b) return [...seq];
  return [...seq.slice(0, b), ...seq.slice(a)];
}
