import { findScenario, scenarios } from '../scenarios/index.ts';
import type { Scenario } from '../sim/scenario.ts';
import { usageError } from './exit-codes.ts';

/** Looks a scenario up by name, or fails with a usage error that lists what exists. */
export function resolveScenario(name: string): Scenario {
  const s = findScenario(name);
  if (!s) {
    const near = scenarios.filter((x) => x.name.includes(name) || name.includes(x.name.split('-')[0] ?? '')).map((x) => x.name);
    const hint = near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(', ')}?)` : '';
    throw usageError(`unknown scenario '${name}'${hint}; 'faultline list' shows them all`);
  }
  return s;
}

/** The variant to run: the one named (it must be one the scenario declares) or the default. */
export function resolveVariant(s: Scenario, variant: string | undefined): string {
  if (variant === undefined) return s.defaultVariant;
  if (!s.variants.includes(variant)) {
    throw usageError(`scenario '${s.name}' has no variant '${variant}'; it runs: ${s.variants.join(', ')}`);
  }
  return variant;
}
