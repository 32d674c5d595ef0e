import { findScenario, scenarios } from '../scenarios/index.ts';
import type { Scenario } from '../sim/scenario.ts';
import { dataError, usageError } from './exit-codes.ts';

/**
 * Looks a scenario up by name. A name the user typed that does not exist is a usage error (64)
 * listing near names; a name read from a file (`source`: a repro or results file) is malformed
 * data (65): the command line was right, the file is not.
 */
export function resolveScenario(name: string, source?: string): Scenario {
  const s = findScenario(name);
  if (s) return s;
  if (source !== undefined) throw dataError(`${source} names scenario '${name}', which this faultline does not have ('faultline list' shows them all)`);
  const near = scenarios.filter((x) => x.name.includes(name) || name.includes(x.name.split('-')[0] ?? '')).map((x) => x.name);
  const hint = near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(', ')}?)` : '';
  throw usageError(`unknown scenario '${name}'${hint}; 'faultline list' shows them all`);
}

/**
 * The variant to run: the one named (it must be one the scenario declares) or the default. As
 * with scenarios, a variant read from a file (`source`) that does not exist is malformed data.
 */
export function resolveVariant(s: Scenario, variant: string | undefined, source?: string): string {
  if (variant === undefined) return s.defaultVariant;
  if (s.variants.includes(variant)) return variant;
  if (source !== undefined) throw dataError(`${source} names variant '${variant}' of scenario '${s.name}', which runs only ${s.variants.join(', ')}`);
  throw usageError(`scenario '${s.name}' has no variant '${variant}'; it runs: ${s.variants.join(', ')}`);
}
