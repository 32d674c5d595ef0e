import * as fs from 'node:fs';
import * as path from 'node:path';
import { scenarios } from '../scenarios/index.ts';
import type { Verdict } from '../sim/check/types.ts';
import { readTextInput } from '../bin/read-input.ts';
import { runAll } from '../bin/sweep/pool.ts';
import type { ResultLine, Task } from '../bin/sweep/task.ts';

/**
 * The golden table: for every scenario × variant × fixed seed, the trace hash and verdicts CI
 * must keep seeing. A drifted hash means behaviour changed (a kernel, model or scenario edit); a
 * drifted verdict means the bench now catches or misses something it did not before. Both are
 * fine when intended, and then the table is regenerated on purpose with UPDATE_COMMAND.
 */
export const GOLDEN_FORMAT_VERSION = 1;
export const UPDATE_COMMAND = 'npx faultline golden --update';
export const GOLDEN_FILE = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden.json');

export interface GoldenEntry {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  readonly traceHash: string;
  readonly outcome: ResultLine['outcome'];
  readonly met: boolean;
  readonly verdicts: Readonly<Record<string, Verdict>>;
}

export interface GoldenTable {
  readonly formatVersion: number;
  readonly about: string;
  readonly entries: readonly GoldenEntry[];
}

/**
 * Which scenarios a golden command covers: all of them, or those whose name is `prefix` or starts
 * with `prefix-` (`karaoke` is every karaoke-* scenario; `karaoke-nemesis` is that one).
 */
export type GoldenScope = (scenario: string) => boolean;
export const ALL_SCENARIOS: GoldenScope = () => true;
export function scenarioScope(prefix: string): GoldenScope {
  return (name) => name === prefix || name.startsWith(`${prefix}-`);
}

/** Every scenario × declared variant × fixed seed in scope, from the scenario list (never hard-coded). */
export function goldenTasks(scope: GoldenScope = ALL_SCENARIOS): Task[] {
  const tasks: Task[] = [];
  for (const s of scenarios) {
    if (!scope(s.name)) continue;
    for (const variant of s.variants) for (const seed of s.seeds) tasks.push({ scenario: s.name, variant, seed });
  }
  return tasks;
}

const keyOf = (e: { scenario: string; variant: string; seed: number }) => `${e.scenario} ${e.variant} seed ${e.seed}`;

/** Runs every golden task on worker threads; entries come back in table order. */
export async function computeGolden(workers: number, onResult?: (l: ResultLine) => void, scope: GoldenScope = ALL_SCENARIOS): Promise<GoldenEntry[]> {
  const tasks = goldenTasks(scope);
  const byKey = new Map<string, GoldenEntry>();
  await runAll(tasks, workers, { reproDir: null }, (l) => {
    byKey.set(keyOf(l), { scenario: l.scenario, variant: l.variant, seed: l.seed, traceHash: l.traceHash, outcome: l.outcome, met: l.met, verdicts: l.verdicts });
    onResult?.(l);
  });
  return tasks.map((t) => byKey.get(keyOf(t)) as GoldenEntry);
}

/** One entry per line, so a drift shows as a one-line diff in review. */
export function formatGolden(entries: readonly GoldenEntry[]): string {
  const about = `Fixed seeds of every scenario x variant with the trace hash and verdicts CI must keep seeing. Regenerate on purpose: ${UPDATE_COMMAND}`;
  const lines = entries.map((e) => '    ' + JSON.stringify(e));
  return `{\n  "formatVersion": ${GOLDEN_FORMAT_VERSION},\n  "about": ${JSON.stringify(about)},\n  "entries": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

export class GoldenFileError extends Error {}

export function readGolden(file: string): GoldenTable | undefined {
  if (!fs.existsSync(file)) return undefined;
  // Unreadable is exit 66 and non-UTF-8 is 65 with its line, as for every input file.
  const text = readTextInput(file, 'golden table');
  let t: unknown;
  try {
    t = JSON.parse(text);
  } catch (err) {
    throw new GoldenFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const o = t as Partial<GoldenTable> | null;
  if (!o || o.formatVersion !== GOLDEN_FORMAT_VERSION || !Array.isArray(o.entries)) {
    throw new GoldenFileError(`${file} is not a golden table of format ${GOLDEN_FORMAT_VERSION}`);
  }
  return o as GoldenTable;
}

export interface Drift {
  readonly key: string;
  /** missing: a new scenario/variant/seed not in the table; stale: in the table, no longer run. */
  readonly kind: 'missing' | 'stale' | 'changed';
  readonly detail: string;
}

/** Compares fresh entries with the table; every difference is one line a person can act on. */
export function compareGolden(table: GoldenTable | undefined, fresh: readonly GoldenEntry[], scope: GoldenScope = ALL_SCENARIOS): Drift[] {
  const inScope = (table?.entries ?? []).filter((e) => scope(e.scenario));
  const old = new Map(inScope.map((e) => [keyOf(e), e]));
  const now = new Map(fresh.map((e) => [keyOf(e), e]));
  const drift: Drift[] = [];
  for (const e of fresh) {
    const o = old.get(keyOf(e));
    if (!o) {
      drift.push({ key: keyOf(e), kind: 'missing', detail: 'not in the table (a new scenario, variant or seed?)' });
      continue;
    }
    const diffs: string[] = [];
    if (o.traceHash !== e.traceHash) diffs.push(`trace ${o.traceHash} -> ${e.traceHash}`);
    if (o.outcome !== e.outcome) diffs.push(`outcome ${o.outcome} -> ${e.outcome}`);
    for (const name of new Set([...Object.keys(o.verdicts), ...Object.keys(e.verdicts)])) {
      if (o.verdicts[name] !== e.verdicts[name]) diffs.push(`${name} ${o.verdicts[name] ?? 'absent'} -> ${e.verdicts[name] ?? 'absent'}`);
    }
    if (diffs.length > 0) drift.push({ key: keyOf(e), kind: 'changed', detail: diffs.join(', ') });
  }
  for (const o of inScope) if (!now.has(keyOf(o))) drift.push({ key: keyOf(o), kind: 'stale', detail: 'in the table but no longer run' });
  return drift;
}

/**
 * The table after re-running only the scenarios in scope: their entries are the fresh ones, every
 * other scenario keeps its recorded entry, in table order. Entries of scenarios no longer run are
 * dropped (they would be stale).
 */
export function mergeGolden(table: GoldenTable, fresh: readonly GoldenEntry[], scope: GoldenScope): GoldenEntry[] {
  const old = new Map(table.entries.map((e) => [keyOf(e), e]));
  const now = new Map(fresh.map((e) => [keyOf(e), e]));
  const merged: GoldenEntry[] = [];
  for (const t of goldenTasks()) {
    const e = scope(t.scenario) ? now.get(keyOf(t)) : old.get(keyOf(t));
    if (e) merged.push(e);
  }
  return merged;
}

/** Entries whose run is not what the scenario expects: CI checks both ways, whatever the table says. */
export function unmet(fresh: readonly GoldenEntry[]): GoldenEntry[] {
  return fresh.filter((e) => !e.met);
}

export function describeDrift(drift: readonly Drift[], file: string): string {
  const lines = drift.map((d) => `  ${d.kind.padEnd(7)} ${d.key}: ${d.detail}`);
  return (
    `golden table ${file} drifted in ${drift.length} entr${drift.length === 1 ? 'y' : 'ies'}:\n${lines.join('\n')}\n` +
    `If this change is intended, regenerate the table with '${UPDATE_COMMAND}' and commit golden/golden.json.`
  );
}

export function describeUnmet(bad: readonly GoldenEntry[]): string {
  const lines = bad.map((e) => `  ${keyOf(e)}: outcome ${e.outcome} (${Object.entries(e.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}); see: npx faultline run ${e.scenario} --seed ${e.seed} --variant ${e.variant}`);
  return `${bad.length} fixed-seed run${bad.length === 1 ? ' is' : 's are'} not what the scenario expects:\n${lines.join('\n')}`;
}
