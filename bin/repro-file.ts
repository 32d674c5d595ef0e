import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Repro, ReproFormatError, validateRepro } from '../sim/replay/repro.ts';
import type { RunResult } from '../sim/run.ts';
import { buildRepro } from '../sim/replay/repro.ts';
import type { Overrides } from '../sim/replay/overrides.ts';
import { dataError, cantCreateError } from './exit-codes.ts';
import { readTextInput } from './read-input.ts';
import { writeFileAtomic } from './output.ts';

/** Where `run` and `sweep` put repros unless told otherwise (relative to the working directory). */
export const DEFAULT_REPRO_DIR = path.join('.faultline', 'repros');

/**
 * faultline's checkout: the nearest directory above this module whose package.json is
 * faultline's. Searched for rather than fixed relative to this file, because sweep workers run
 * this code from a bundle under node_modules/.cache (bin/sweep/worker-entry.ts).
 */
const repoRoot = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'faultline') return dir;
    } catch {
      // No package.json here, or not JSON: keep climbing.
    }
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    dir = up;
  }
})();

let cachedVersion: string | undefined;
/** faultline's version, from its package.json. */
export function faultlineVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown };
      cachedVersion = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      cachedVersion = 'unknown';
    }
  }
  return cachedVersion;
}

let cachedCommit: string | undefined;
/** The git commit faultline runs from, or "unknown" outside a checkout (or without git). */
export function gitCommit(): string {
  if (cachedCommit === undefined) {
    try {
      cachedCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
        .toString()
        .trim();
      if (!/^[0-9a-f]{7,64}$/.test(cachedCommit)) cachedCommit = 'unknown';
    } catch {
      cachedCommit = 'unknown';
    }
  }
  return cachedCommit;
}

/** A file name that says what failed and where: `<scenario>.<variant>.seed<N>.<check>.json`. */
export function reproFileName(r: { scenario: string; variant: string; seed: number }, check: string, suffix = ''): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${safe(r.scenario)}.${safe(r.variant)}.seed${r.seed}.${safe(check)}${suffix}.json`;
}

/** A path as the user should type it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function replayCommandFor(file: string): string {
  const p = displayPath(file);
  return `npx faultline replay ${/^[A-Za-z0-9._/:@-]+$/.test(p) ? p : JSON.stringify(p)}`;
}

/** Creates the repro directory (exit 73 if it cannot be). */
export function ensureDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw cantCreateError(`cannot create directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Writes `repro` atomically to `file` (exit 73 if it cannot be written). */
export function writeRepro(file: string, repro: Repro): void {
  writeFileAtomic(file, JSON.stringify(repro, null, 1) + '\n');
}

/**
 * Builds and writes the repro of a recorded run that violated a check; returns its path, or
 * undefined when no check was violated. The file name is deterministic, so running the same
 * failing seed again rewrites the same file (atomically) instead of piling up copies.
 */
export function saveRunRepro(
  dir: string,
  r: RunResult,
  createdBy: string,
  extra: { overrides?: Overrides; check?: string; file?: string } = {},
): string | undefined {
  const check = extra.check ?? r.checks.find((c) => c.verdict === 'violation')?.name;
  if (!check) return undefined;
  const file = extra.file ?? path.join(dir, reproFileName(r, check));
  const repro = buildRepro(r, {
    version: faultlineVersion(),
    commit: gitCommit(),
    createdBy,
    replay: replayCommandFor(file),
    check,
    ...(extra.overrides ? { overrides: extra.overrides } : {}),
  });
  if (!repro) return undefined;
  if (!extra.file) ensureDir(dir);
  writeRepro(file, repro);
  return file;
}

/**
 * Reads and validates a repro: exit 66 if the file cannot be read, 65 if it is not a well-formed
 * repro. (An unknown scenario or variant, also 65, is the caller's check: it needs the scenario
 * list; see resolveScenario's `source`.)
 */
export function readRepro(file: string): Repro {
  const text = readTextInput(file, 'repro');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw dataError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return validateRepro(parsed);
  } catch (err) {
    if (err instanceof ReproFormatError) throw dataError(`${file} is not a faultline repro: ${err.message}`);
    throw err;
  }
}
