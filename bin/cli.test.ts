import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline as faultlineIn } from './testing/cli.ts';

/** Runs happen in a scratch directory, so the repros `run` writes never land in the repo. */
const scratch = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
const faultline = (...args: string[]) => faultlineIn(scratch, ...args);

describe('faultline CLI', () => {
  it('run --json prints the contract fields, the same trace hash every time', async () => {
    const a = await faultline('run', 'kv-calm', '--seed', '7', '--json');
    const b = await faultline('run', 'kv-calm', '--seed', '7', '--json');
    expect(a.code).toBe(0);
    const o = JSON.parse(a.stdout) as Record<string, unknown>;
    for (const k of ['scenario', 'variant', 'seed', 'traceHash', 'ops', 'latency', 'availability', 'checks', 'expectation']) expect(o).toHaveProperty(k);
    expect(o['seed']).toBe(7);
    expect((o['checks'] as { name: string; verdict: string }[])[0]).toMatchObject({ name: 'linearizable', verdict: 'ok' });
    expect(o['expectation']).toMatchObject({ met: true });
    expect(JSON.parse(b.stdout).traceHash).toBe(o['traceHash']);
  }, 60_000);

  it('a caught bug exits 0 (as expected) and prints the replay command', async () => {
    const r = await faultline('run', 'kv-crash-restart', '--variant', 'as-written', '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('violation');
    expect(r.stderr).toContain('faultline run kv-crash-restart --seed 1 --variant as-written');
  }, 60_000);

  it('usage errors exit 64 with one line and no stack trace', async () => {
    for (const args of [['run', 'no-such-scenario'], ['run', 'kv-calm', '--seed', '-1'], ['run', 'kv-calm', '--seed', '1.5'], ['run', 'kv-calm', '--variant', 'nope'], ['run', 'kv-calm', '--frobnicate'], ['frobnicate']]) {
      const r = await faultline(...args);
      expect(r.code, args.join(' ')).toBe(64);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('an unwritable trace path exits 73 and an existing trace file survives a failed run', async () => {
    const r = await faultline('run', 'kv-calm', '--trace', '/nonexistent-dir/t.jsonl');
    expect(r.code).toBe(73);
    const dir = mkdtempSync(join(tmpdir(), 'faultline-'));
    const f = join(dir, 'trace.jsonl');
    writeFileSync(f, 'precious\n');
    const bad = await faultline('run', 'kv-calm', '--trace', f, '--seed', 'x');
    expect(bad.code).toBe(64);
    expect(readFileSync(f, 'utf8')).toBe('precious\n');
    const ok = await faultline('run', 'kv-calm', '--trace', f, '--seed', '3', '--json');
    expect(ok.code).toBe(0);
    const lines = readFileSync(f, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ t: 0, k: 'start' });
  }, 60_000);

  it('list --json names every scenario with its variants', async () => {
    const r = await faultline('list', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; variants: string[] }[];
    expect(list.map((s) => s.name)).toContain('kv-calm');
    expect(list.every((s) => s.variants.length > 0)).toBe(true);
  }, 60_000);

  it('check: Porcupine verdicts as exit codes, and 64/65/66 for bad input', async () => {
    const data = new URL('../../shared/data/porcupine/jepsen/', import.meta.url).pathname;
    const ok = await faultline('check', `${data}etcd_002.log`, '--model', 'register', '--format', 'porcupine-etcd', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'ok' });
    const bad = await faultline('check', `${data}etcd_000.log`, '--model', 'register', '--format', 'porcupine-etcd');
    expect(bad.code).toBe(1);
    expect((await faultline('check', `${data}etcd_002.log`, '--model', 'nope', '--format', 'porcupine-etcd')).code).toBe(64);
    expect((await faultline('check', '/nonexistent/h.jsonl', '--model', 'register')).code).toBe(66);
    const dir = mkdtempSync(join(tmpdir(), 'faultline-'));
    const f = join(dir, 'h.jsonl');
    writeFileSync(f, '{"process":0,"type":"invoke","f":"write","value":1}\n{"process":0,"type":"ok"\n');
    const malformed = await faultline('check', f, '--model', 'register');
    expect(malformed.code).toBe(65);
    expect(malformed.stderr).toContain(':2');
  }, 60_000);
});
