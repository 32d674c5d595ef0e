import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { faultline } from '../testing/cli.ts';

// A planted bug with the shortest fault phase, from the scenario list.
const planted = scenarios
  .flatMap((s) => s.variants.filter((v) => v.startsWith('bug:') && 'violates' in (s.expect[v] ?? { holds: true })).map((v) => ({ s, v })))
  .sort((a, b) => a.s.duration - b.s.duration)[0];
if (!planted) throw new Error('no planted bug among the scenarios');
const { s, v } = planted;
const seed = String(s.seeds[0]);

describe('repro, replay and shrink from the command line', () => {
  it('run writes a repro and prints its replay command; replay is exact; shrink writes a smaller repro that replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-repro-'));
    const run = await faultline(dir, 'run', s.name, '--variant', v, '--seed', seed);
    expect(run.code).toBe(0);
    const files = readdirSync(join(dir, '.faultline', 'repros'));
    expect(files).toHaveLength(1);
    const file = join('.faultline', 'repros', files[0] as string);
    expect(run.stderr).toContain(`npx faultline replay ${file}`);

    const replay = await faultline(dir, 'replay', file, '--json');
    expect(replay.code).toBe(0);
    const o = JSON.parse(replay.stdout) as { replay: { exact: boolean; failureReproduced: boolean }; run: { traceHash: string } };
    expect(o.replay).toMatchObject({ exact: true, failureReproduced: true });
    expect(o.run.traceHash).toBe(JSON.parse(readFileSync(join(dir, file), 'utf8')).traceHash);

    const out = join(dir, 'small.json');
    const shrink = await faultline(dir, 'shrink', file, '-o', out, '--max-runs', '60');
    expect(shrink.code, shrink.stderr).toBe(0);
    expect(shrink.stdout).toMatch(/operations\s+\d+\s+\d+/);
    const small = JSON.parse(readFileSync(out, 'utf8')) as { size: { ops: number }; choices: number[] };
    const big = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { size: { ops: number }; choices: number[] };
    expect(small.size.ops).toBeLessThan(big.size.ops);
    expect((await faultline(dir, 'replay', out)).code).toBe(0);
  }, 240_000);

  it('a repro whose trace hash no longer matches says so plainly and exits 1, still showing the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-drift-'));
    await faultline(dir, 'run', s.name, '--variant', v, '--seed', seed, '--repro-dir', 'r');
    const file = join(dir, 'r', readdirSync(join(dir, 'r'))[0] as string);
    const repro = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...repro, traceHash: '0000000000000000' }));
    const r = await faultline(dir, 'replay', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT the same run');
    expect(r.stdout).toContain('variant'); // the run summary is still shown
  }, 120_000);

  it('bad repros get one line and exit 65 or 66 (an unknown scenario or variant in the file is malformed data); an unwritable output 73 without touching what exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-badrepro-'));
    await faultline(dir, 'run', s.name, '--variant', v, '--seed', seed, '--repro-dir', 'r');
    const file = join(dir, 'r', readdirSync(join(dir, 'r'))[0] as string);
    const repro = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const write = (name: string, body: string) => {
      writeFileSync(join(dir, name), body);
      return join(dir, name);
    };
    const cases: [string, number][] = [
      [write('junk.json', '{not json'), 65],
      [write('fields.json', JSON.stringify({ ...repro, choices: 'many' })), 65],
      [write('scen.json', JSON.stringify({ ...repro, scenario: 'no-such-scenario' })), 65],
      [write('var.json', JSON.stringify({ ...repro, variant: 'bug:nope' })), 65],
      [join(dir, 'missing.json'), 66],
    ];
    for (const [f, code] of cases) {
      for (const cmd of ['replay', 'shrink']) {
        const r = await faultline(dir, cmd, f);
        expect(r.code, `${cmd} ${f}: ${r.stderr}`).toBe(code);
        expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      }
    }
    const bad = await faultline(dir, 'shrink', file, '-o', join(dir, 'no', 'dir', 'x.json'));
    expect(bad.code).toBe(73);
    const before = readFileSync(file, 'utf8');
    const runBad = await faultline(dir, 'run', s.name, '--variant', v, '--seed', seed, '--repro-dir', join(file, 'sub'));
    expect(runBad.code).toBe(73);
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 240_000);
});
