import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inertLine } from './cli.ts';
import { faultline as faultlineIn } from './testing/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-errors-'));
const faultline = (...args: string[]) => faultlineIn(dir, ...args);
const write = (name: string, content: string | Buffer): string => {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
};

/** One line on stderr, no escape byte, no stack trace. */
function expectOneInertLine(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n'), stderr).toHaveLength(1);
  expect(stderr).not.toContain('\u001b');
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('errors are one line and inert', () => {
  it('inertLine escapes control characters and cuts long messages', () => {
    expect(inertLine('a\u001b[31mb\nc\td\u0007')).toBe('a\\x1b[31mb\\nc\\td\\x07');
    const long = inertLine('x'.repeat(5000));
    expect(long.length).toBeLessThanOrEqual(300);
    expect(long.endsWith('…')).toBe(true);
  });

  it('malformed files that echo their content reach the terminal as one escaped line', async () => {
    const junk = `{"kind":"faultline-repro", \u001b[31mRED\n\n${'z'.repeat(4000)}`;
    for (const args of [['replay', write('bad-repro.json', junk)], ['report', write('bad-results.jsonl', junk), '--md', join(dir, 'out.md')], ['golden', '--check', '--file', write('bad-golden.json', junk)]]) {
      const r = await faultline(...args);
      expect(r.code, args.join(' ')).toBe(65);
      expectOneInertLine(r.stderr);
      expect(r.stderr.length).toBeLessThan(340);
    }
  }, 120_000);

  it('a repro or results file naming an unknown scenario or variant is malformed data (65)', async () => {
    const results = write('unknown.jsonl', JSON.stringify({ scenario: '\u001b[2Jnope', seed: 1 }) + '\n');
    const r1 = await faultline('report', results, '--md', join(dir, 'o.md'));
    expect(r1.code).toBe(65);
    expectOneInertLine(r1.stderr);
    const variant = write('unknown-variant.jsonl', JSON.stringify({ scenario: 'kv-calm', variant: 'bug:nope', seed: 1 }) + '\n');
    expect((await faultline('report', variant, '--md', join(dir, 'o.md'))).code).toBe(65);
    // A typed-in unknown scenario stays a usage error.
    expect((await faultline('run', 'nope')).code).toBe(64);
  }, 120_000);

  it('golden --check with a missing table stops at once with 66', async () => {
    const r = await faultline('golden', '--check', '--file', join(dir, 'missing.json'));
    expect(r.code).toBe(66);
    expectOneInertLine(r.stderr);
  }, 60_000);

  it('non-UTF-8 input is 65 naming the line; a seed past 2^53-1 names the limit', async () => {
    const hist = write('latin1.jsonl', Buffer.concat([Buffer.from('{"process":0,"type":"invoke","f":"read"}\n{"process":0,"type":"ok","f":"read","value":"'), Buffer.from([0xe9, 0xff]), Buffer.from('"}\n')]));
    const r = await faultline('check', hist, '--model', 'register');
    expect(r.code).toBe(65);
    expect(r.stderr).toBe(`faultline: ${hist}:2: not valid UTF-8\n`);
    const seed = await faultline('run', 'kv-calm', '--seed', '9007199254740992');
    expect(seed.code).toBe(64);
    expect(seed.stderr).toContain('9007199254740991 (2^53-1)');
  }, 60_000);

  it('a repro whose choices were edited says the file was edited, not that the code changed', async () => {
    const run = await faultline('run', 'kv-crash-restart', '--variant', 'as-written', '--seed', '1');
    expect(run.code).toBe(0);
    const reproDir = join(dir, '.faultline', 'repros');
    const file = join(reproDir, readdirSync(reproDir).find((f) => f.includes('kv-crash-restart')) as string);
    const repro = JSON.parse(readFileSync(file, 'utf8')) as { choices: number[] };
    const intact = await faultline('replay', file);
    expect(intact.code).toBe(0);
    repro.choices[0] = (repro.choices[0] ?? 0) + 1;
    const edited = write('edited.json', JSON.stringify(repro));
    const r = await faultline('replay', edited);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the repro was edited after it was written');
    expect(r.stdout).not.toContain('the code changed');
  }, 120_000);
});
