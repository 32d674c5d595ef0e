/**
 * Moves a design's mutation.json line references (equivalent `at`, outOfScope ranges) along with
 * an edit of the files they point into, reading the edit from `git diff -U0 <rev>`:
 *
 *   npx tsx bin/dev/mutation/remap-lines.ts durable-object [--since HEAD]
 *
 * Equivalents and ranges are line numbers, so an edit above them silently points them at other
 * code (an equivalent judged for one mutant then excuses another). A reference on a line the edit
 * changed is not moved: it is listed, and the exit code is 1, since someone has to judge it again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';

/** One `@@ -a,b +c,d @@` hunk of a zero-context diff. */
export interface Hunk {
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newCount: number;
}

export function parseHunks(diff: string): Hunk[] {
  const hunks: Hunk[] = [];
  for (const m of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    hunks.push({ oldStart: Number(m[1]), oldCount: m[2] === undefined ? 1 : Number(m[2]), newCount: m[4] === undefined ? 1 : Number(m[4]) });
  }
  return hunks;
}

/** Where old line `line` is after the edit; undefined when the edit changed or removed it. */
export function mapLine(line: number, hunks: readonly Hunk[]): number | undefined {
  let delta = 0;
  for (const h of hunks) {
    if (h.oldCount === 0) {
      // A pure insertion after old line oldStart.
      if (line > h.oldStart) delta += h.newCount;
    } else if (line >= h.oldStart + h.oldCount) delta += h.newCount - h.oldCount;
    else if (line >= h.oldStart) return undefined;
  }
  return line + delta;
}

const root = resolve(import.meta.dirname, '../../..');

/**
 * `text` (a mutation.json) with every `"at": "file:line[-line]"` moved through `hunksOf(file)`;
 * the text is edited in place, one pass, so the file keeps its own layout.
 */
export function remapText(text: string, hunksOf: (file: string) => readonly Hunk[]): { text: string; moved: number; stale: string[] } {
  let moved = 0;
  const stale: string[] = [];
  const out = text.replace(/"at":(\s*)"([^"]*)"/g, (whole, space: string, at: string) => {
    const m = /^(.*):(\d+)(?:-(\d+))?$/.exec(at);
    if (!m) return whole;
    const file = m[1] as string;
    const from = mapLine(Number(m[2]), hunksOf(file));
    const to = m[3] === undefined ? from : mapLine(Number(m[3]), hunksOf(file));
    if (from === undefined || to === undefined) {
      stale.push(`${at}: the edit changed this line; judge it again`);
      return whole;
    }
    const next = m[3] === undefined ? `${file}:${from}` : `${file}:${from}-${to}`;
    if (next !== at) moved++;
    return `"at":${space}"${next}"`;
  });
  return { text: out, moved, stale };
}

function main(): void {
  const program = new Command().argument('<design>', 'a folder under models/').option('--since <rev>', 'the revision the line numbers were written against', 'HEAD').parse();
  const design = program.args[0] as string;
  const { since } = program.opts<{ since: string }>();
  const path = join(root, 'models', design, 'mutation.json');
  if (!existsSync(path)) {
    console.error(`no models/${design}/mutation.json`);
    process.exit(64);
  }
  const cache = new Map<string, Hunk[]>();
  const hunksOf = (file: string): Hunk[] => {
    let h = cache.get(file);
    if (!h) cache.set(file, (h = parseHunks(execFileSync('git', ['diff', '-U0', since, '--', file], { cwd: root, encoding: 'utf8' }))));
    return h;
  };
  const { text, moved, stale } = remapText(readFileSync(path, 'utf8'), hunksOf);
  writeFileSync(path, text);
  console.log(`models/${design}/mutation.json: ${moved} reference(s) moved since ${since}`);
  for (const s of stale) console.log(`  ${s}`);
  if (stale.length > 0) process.exit(1);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
