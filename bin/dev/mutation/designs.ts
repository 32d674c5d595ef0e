import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../../../sim/scenario.ts';

/**
 * Which scenarios test a design, for the mutation score: the scenarios whose model is the design;
 * for a folder no scenario names (a runtime such as durable-object), the scenarios of every model
 * whose sources import it. Generic, so a new design needs nothing here.
 */
export function modelsTesting(design: string, all: readonly Scenario[], modelsDir: string): string[] {
  if (all.some((s) => s.model.name === design)) return [design];
  const users: string[] = [];
  for (const dir of readdirSync(modelsDir, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === design) continue;
    const files = readdirSync(join(modelsDir, dir.name)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    if (files.some((f) => readFileSync(join(modelsDir, dir.name, f), 'utf8').includes(`'../${design}/`))) users.push(dir.name);
  }
  // A folder's name is its model's name by convention; keep the ones that have scenarios.
  return users.filter((m) => all.some((s) => s.model.name === m)).sort();
}

/** `A..B` (inclusive) or a single seed. */
export function parseSeeds(s: string): number[] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(s.trim());
  if (!m) throw new Error(`seeds must be A..B or N, not '${s}'`);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (b < a) throw new Error(`empty seed range '${s}'`);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
