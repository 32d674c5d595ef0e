import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { cliPath as cli, faultline } from '../testing/cli.ts';

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { scenario: string; variant: string; seed: number; outcome: string });
const keys = (ls: { scenario: string; variant: string; seed: number }[]) => ls.map((l) => `${l.scenario}/${l.variant}/${l.seed}`).sort();

// The fastest scenario with a single variant to sweep; taken from the list, not hard-coded.
const quick = [...scenarios].sort((a, b) => a.duration - b.duration)[0];
if (!quick) throw new Error('no scenarios');
const v = quick.defaultVariant;

describe('faultline sweep', () => {
  it('a sweep killed mid-run and resumed records every seed exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-sweep-'));
    const out = join(dir, 'r.jsonl');
    const args = [cli, 'sweep', quick.name, '--variant', v, '--seeds', '1..40', '--workers', '2', '--out', out, '--no-repro'];
    const child = spawn(process.execPath, args, { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Kill it (SIGKILL: no chance to clean up) as soon as a few results are on disk.
    const timer = setInterval(() => {
      if (existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 4) child.kill('SIGKILL');
    }, 20);
    await exited;
    clearInterval(timer);
    const partial = lines(out).length;
    // Simulate a write torn by the kill: half a line at the end.
    appendFileSync(out, '{"scenario":"' + quick.name + '","vari');
    const again = await faultline(dir, 'sweep', quick.name, '--variant', v, '--seeds', '1..40', '--workers', '2', '--out', out, '--resume', '--no-repro');
    expect(again.stderr).toContain('already in');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const all = lines(out);
    expect(all.length).toBe(40);
    expect(new Set(keys(all)).size).toBe(40);
    expect(partial).toBeGreaterThan(0);
    expect(partial, 'the sweep must have been killed before it finished').toBeLessThan(40);
    // Without --resume an existing results file is refused, never overwritten.
    const refused = await faultline(dir, 'sweep', quick.name, '--variant', v, '--seeds', '1..40', '--out', out);
    expect(refused.code).toBe(64);
    expect(lines(out).length).toBe(40);
  }, 240_000);

  it('shards together cover the seed range exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-shard-'));
    const got: string[] = [];
    for (const i of [1, 2, 3]) {
      const out = join(dir, `s${i}.jsonl`);
      const r = await faultline(dir, 'sweep', quick.name, '--variant', v, '--seeds', '10..29', '--shard', `${i}/3`, '--workers', '1', '--out', out, '--no-repro');
      expect(r.code, r.stderr).toBe(0);
      got.push(...keys(lines(out)));
    }
    const want = Array.from({ length: 20 }, (_, k) => `${quick.name}/${v}/${10 + k}`).sort();
    expect(got.sort()).toEqual(want);
  }, 240_000);

  it('bad input gets one line and the sysexits code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-bad-'));
    expect((await faultline(dir, 'sweep', 'no-such-scenario', '--seeds', '1..2')).code).toBe(64);
    expect((await faultline(dir, 'sweep', quick.name, '--seeds', '5..1')).code).toBe(64);
    expect((await faultline(dir, 'sweep', quick.name, '--seeds', '1..2', '--shard', '4/3')).code).toBe(64);
    const r = await faultline(dir, 'sweep', quick.name, '--seeds', '1..2', '--out', join(dir, 'no', 'such', 'dir', 'r.jsonl'));
    expect(r.code).toBe(73);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const junk = join(dir, 'junk.jsonl');
    writeFileSync(junk, 'not json\n');
    expect((await faultline(dir, 'sweep', quick.name, '--seeds', '1..2', '--out', junk, '--resume')).code).toBe(65);
    expect(readFileSync(junk, 'utf8')).toBe('not json\n');
  }, 120_000);
});
