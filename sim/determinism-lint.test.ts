import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Determinism is the product: code in sim/ and models/ may not read host time, host
 * randomness, real timers or do real I/O. Tests and benchmarks may.
 */
const root = new URL('..', import.meta.url).pathname;
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bMath\.random\b/, 'Math.random'],
  [/\bDate\.now\b|\bnew Date\b|\bDate\(/, 'Date'],
  [/\bperformance\.now\b/, 'performance.now'],
  [/\bsetTimeout\s*\(|\bsetInterval\s*\(|\bsetImmediate\s*\(/, 'real timers'],
  [/\bprocess\.hrtime\b/, 'process.hrtime'],
  [/from\s+['"](node:)?(fs|fs\/promises|net|http|https|dgram|child_process|worker_threads|readline)['"]/, 'real I/O module'],
  [/\brequire\s*\(\s*['"](node:)?(fs|net|http|https|child_process)['"]/, 'real I/O module'],
  [/\bprocess\.(stdout|stderr|stdin|env)\b/, 'process I/O or environment'],
  [/\bconsole\.(log|error|warn|info)\b/, 'console output'],
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.ts$/.test(name) && !/\.(test|bench)\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/** Removes comments so prose about Date or timers does not trip the check. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('determinism lint', () => {
  it('sim/ and models/ read no host time, randomness, timers or I/O', () => {
    const hits: string[] = [];
    const files = [...sourceFiles(join(root, 'sim')), ...sourceFiles(join(root, 'models'))];
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const lines = stripComments(readFileSync(f, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        for (const [re, what] of FORBIDDEN) if (re.test(line)) hits.push(`${relative(root, f)}:${i + 1}: ${what}: ${line.trim()}`);
      });
    }
    expect(hits, hits.join('\n')).toEqual([]);
  });

  it('the lint itself catches a planted violation', () => {
    const planted = 'const t = Date.now(); setTimeout(() => 1, 5); import * as fs from "node:fs";';
    const found = FORBIDDEN.filter(([re]) => re.test(planted)).map(([, w]) => w);
    expect(found).toEqual(expect.arrayContaining(['Date', 'real timers', 'real I/O module']));
  });
});
