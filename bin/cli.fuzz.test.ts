import fc from 'fast-check';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../scenarios/index.ts';
import { writeJsonl } from '../sim/check/readers/index.ts';
import { runScenario } from '../sim/run.ts';
import { main } from './cli.ts';
import { saveRunRepro } from './repro-file.ts';

/**
 * Fuzzes the CLI in-process: fast-check draws a command, its flags and their values, and the
 * content of an input file (a valid history, repro or results file, truncated, with bytes
 * flipped, with control characters or invalid UTF-8, or noise), over paths that are files,
 * directories, links (live and dangling), /dev/null, /dev/full, missing, or under a missing
 * directory. Whatever it draws, the CLI must answer with a documented exit code, one inert error
 * line (the last on stderr) when it fails, no stack trace, and leave every file that was already there as it
 * was when it fails. FIFOs are left out: opening one waits for the other end (output.test.ts
 * covers them). FAULTLINE_FUZZ_RUNS sets the number of cases (default 200).
 */
const RUNS = Number(process.env['FAULTLINE_FUZZ_RUNS'] ?? 200);
const CODES = [0, 1, 2, 64, 65, 66, 73];

const dir = fs.mkdtempSync(join(tmpdir(), 'faultline-fuzz-'));
const at = (p: string): string => (p.startsWith('/') ? p : join(dir, p));

interface Bases {
  readonly history: string;
  readonly repro: string;
  readonly results: string;
}
let bases: Bases;
const savedCwd = process.cwd();

beforeAll(() => {
  const calm = scenarios.find((s) => s.name === 'kv-calm')!;
  const crash = scenarios.find((s) => s.name === 'kv-crash-restart')!;
  const history = writeJsonl(runScenario(calm, { seed: 1 }).history);
  const reproFile = saveRunRepro(join(dir, 'repros'), runScenario(crash, { seed: 1, variant: 'as-written', record: true }), 'run') as string;
  const repro = fs.readFileSync(reproFile, 'utf8');
  const results = [1, 2].map((seed) => JSON.stringify({ scenario: 'kv-calm', variant: 'corrected', seed })).join('\n') + '\n';
  bases = { history, repro, results };
  fs.writeFileSync(at('hist.jsonl'), history);
  fs.writeFileSync(at('repro.json'), repro);
  fs.writeFileSync(at('results.jsonl'), results);
  fs.writeFileSync(at('case.txt'), '');
  fs.mkdirSync(at('adir'));
  fs.symlinkSync('hist.jsonl', at('link.jsonl'));
  fs.symlinkSync('gone.json', at('dangling.json'));
  process.chdir(dir); // repros and sweep results land in the scratch directory
});
afterAll(() => process.chdir(savedCwd));

/** Everything under the scratch dir as (path -> type and bytes), to tell whether a command changed it. */
function snapshot(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = join(d, name);
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out.set(p, `link ${fs.readlinkSync(p)}`);
      else if (st.isDirectory()) walk(p);
      else out.set(p, `file ${fs.readFileSync(p).toString('base64')}`);
    }
  };
  walk(dir);
  return out;
}

/** Runs the CLI in this process, capturing what it writes. */
async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'faultline', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const paths = fc.constantFrom('hist.jsonl', 'repro.json', 'results.jsonl', 'case.txt', 'adir', 'link.jsonl', 'dangling.json', 'missing.json', 'nodir/x.json', '/dev/null', '/dev/full');
const outPaths = fc.constantFrom('out.html', 'link.jsonl', 'dangling.json', 'adir', 'nodir/x.html', '/dev/null', '/dev/full', 'hist.jsonl');
const seeds = fc.constantFrom('1', '2', '0', '-1', '1.5', 'abc', '9007199254740992', '');
const scenarioNames = fc.constantFrom('kv-calm', 'kv-crash-restart', 'nope', '');
const variants = fc.constantFrom('corrected', 'as-written', 'bug:nope', '');
const nums = fc.constantFrom('1', '2', '0', '-3', 'x', '50');

/** An optional flag with a value drawn from `value`. */
const opt = (flag: string, value: fc.Arbitrary<string>): fc.Arbitrary<string[]> => fc.option(value.map((v) => [flag, v]), { nil: undefined }).map((x) => x ?? []);
const flag = (f: string): fc.Arbitrary<string[]> => fc.boolean().map((b) => (b ? [f] : []));
const junk = fc.option(fc.constantFrom('--frobnicate', 'extra', '-', '--', '--seed'), { freq: 4, nil: undefined }).map((x) => (x ? [x] : []));

function command(name: string, parts: fc.Arbitrary<string[]>[], forced: string[] = []): fc.Arbitrary<string[]> {
  return fc.tuple(...parts, junk).map((xs) => [name, ...xs.flat(), ...forced]);
}

const argv: fc.Arbitrary<string[]> = fc.oneof(
  command('list', [flag('--json')]),
  command('run', [scenarioNames.map((s) => [s]), opt('--seed', seeds), opt('--variant', variants), flag('--json'), opt('--trace', outPaths), opt('--history', outPaths), opt('--html', outPaths), opt('--budget-ms', nums), flag('--no-repro')]),
  command('check', [paths.map((p) => [p]), opt('--model', fc.constantFrom('register', 'kv', 'kv-map', 'queue', 'nope')), opt('--format', fc.constantFrom('jsonl', 'porcupine-etcd', 'porcupine-kv', 'nope')), flag('--json'), opt('--steps', nums), opt('--budget-ms', nums)]),
  command('replay', [paths.map((p) => [p]), flag('--json'), opt('--budget-ms', nums)]),
  // Shrinking is bounded so a valid repro does not take a minute.
  command('shrink', [paths.map((p) => [p]), opt('-o', outPaths), flag('--json')], ['--max-runs', '3', '--time-limit', '1']),
  command('report', [fc.array(paths, { minLength: 0, maxLength: 2 }), opt('--html', outPaths), opt('--md', outPaths), opt('--max', nums)]),
  command('compare', [scenarioNames.map((s) => [s]), opt('--seeds', fc.constantFrom('1', '2', '0', 'x', '10001')), opt('--variants', fc.constantFrom('corrected', 'corrected,as-written', 'nope', ',')), flag('--md'), flag('--json'), opt('--html', outPaths)]),
  // Never --update: a writable path would rerun every fixed seed. The table is always one of ours.
  command('golden', [flag('--check'), opt('--workers', nums)], []).chain((a) => paths.map((p) => [...a, '--file', p])),
  command('sweep', [scenarioNames.map((s) => [s]), opt('--seeds', fc.constantFrom('1', '1..2', 'x', '5..1', '')), opt('--variant', variants), opt('--out', outPaths), flag('--no-repro')], ['--workers', '1']),
);

/** The content of case.txt: one of the valid inputs, damaged, or noise. */
const content: fc.Arbitrary<Buffer> = fc.oneof(
  fc.tuple(fc.constantFrom<keyof Bases>('history', 'repro', 'results'), fc.nat(), fc.nat(255), fc.constantFrom('truncate', 'flip', 'control', 'latin1', 'as-is')).map(([which, pos, byte, how]) => {
    const base = Buffer.from(bases[which]);
    const i = base.length === 0 ? 0 : pos % base.length;
    if (how === 'truncate') return base.subarray(0, i);
    if (how === 'flip') return Buffer.concat([base.subarray(0, i), Buffer.from([byte]), base.subarray(i + 1)]);
    if (how === 'control') return Buffer.concat([base.subarray(0, i), Buffer.from('\u001b[31m\r\u0007\n'), base.subarray(i)]);
    if (how === 'latin1') return Buffer.concat([base.subarray(0, i), Buffer.from([0xe9, 0xc3]), base.subarray(i)]);
    return base;
  }),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
);

describe('CLI fuzz', () => {
  it(`${RUNS} drawn commands: documented exit codes, one inert error line, no stack trace, nothing clobbered`, async () => {
    await fc.assert(
      fc.asyncProperty(argv, content, async (args, body) => {
        fs.writeFileSync(at('case.txt'), body);
        const before = snapshot();
        const r = await cli(args);
        const what = `faultline ${args.join(' ')} -> ${r.code}: ${r.stderr.slice(0, 300)}`;
        expect(CODES, what).toContain(r.code);
        expect(r.stderr, what).not.toMatch(/\n\s+at \S/);
        expect(r.stderr, what).not.toContain('internal error');
        if (r.code >= 64) {
          // Progress lines (a sweep's header) may come first; the error is one line, the last.
          const lines = r.stderr.trimEnd().split('\n');
          expect(lines.filter((l) => l.startsWith('faultline: ')), what).toHaveLength(1);
          expect(lines[lines.length - 1], what).toMatch(/^faultline: /);
          expect(r.stderr, what).not.toContain('\u001b');
          // A failed command changed nothing that was there (new repros or results are fine).
          const after = snapshot();
          for (const [p, v] of before) expect(after.get(p), `${what}: ${p}`).toBe(v);
        }
        // No temporary output file is left behind, whatever happened.
        for (const p of snapshot().keys()) expect(p, what).not.toMatch(/\.tmp$/);
      }),
      { seed: 20261202, numRuns: RUNS },
    );
  }, 900_000);
});
