import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertWritable, FileTraceSink, writeFileAtomic } from './output.ts';
import { CliError } from './exit-codes.ts';
import { faultline as faultlineIn } from './testing/cli.ts';

const scratch = fs.mkdtempSync(join(tmpdir(), 'faultline-output-'));
const faultline = (...args: string[]) => faultlineIn(scratch, ...args);
const hasFull = fs.existsSync('/dev/full');

/** The exit code a thrown CliError carries, or undefined. */
function codeOf(f: () => void): number | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof CliError) return err.code;
    throw err;
  }
  return undefined;
}

describe('outputs respect what is already there', () => {
  it('a symlink stays a link and its target gets the content; a dangling link creates its target', () => {
    const dir = fs.mkdtempSync(join(scratch, 'link-'));
    fs.writeFileSync(join(dir, 'target.html'), 'old');
    fs.symlinkSync('target.html', join(dir, 'link.html'));
    writeFileAtomic(join(dir, 'link.html'), 'new');
    expect(fs.lstatSync(join(dir, 'link.html')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(join(dir, 'target.html'), 'utf8')).toBe('new');
    fs.symlinkSync(join(dir, 'later.txt'), join(dir, 'dangling'));
    writeFileAtomic(join(dir, 'dangling'), 'made');
    expect(fs.lstatSync(join(dir, 'dangling')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(join(dir, 'later.txt'), 'utf8')).toBe('made');
    // No temporary file is left beside either.
    expect(fs.readdirSync(dir).sort()).toEqual(['dangling', 'later.txt', 'link.html', 'target.html']);
  });

  it('/dev/null is written in place and stays a device', () => {
    writeFileAtomic('/dev/null', 'x'.repeat(1000));
    const sink = new FileTraceSink('/dev/null');
    for (let i = 0; i < 50_000; i++) sink.write(`{"i":${i}}`);
    sink.commit();
    assertWritable('/dev/null');
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it.skipIf(!hasFull)('a full device is exit 73, and the device is still a device', () => {
    expect(codeOf(() => writeFileAtomic('/dev/full', 'x'))).toBe(73);
    const sink = new FileTraceSink('/dev/full');
    sink.write('{}');
    expect(codeOf(() => sink.commit())).toBe(73);
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('a directory is exit 73 and a regular file keeps its content when the write cannot start', () => {
    expect(codeOf(() => writeFileAtomic(scratch, 'x'))).toBe(73);
    expect(codeOf(() => assertWritable(join(scratch, 'no-such-dir', 'f')))).toBe(73);
  });

  it('a FIFO is written in place: its reader gets every trace line, and it stays a FIFO', async () => {
    const fifo = join(scratch, 'trace.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
    const done = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    const r = await faultline('run', 'kv-calm', '--seed', '3', '--trace', fifo, '--no-repro');
    await done;
    expect(r.code).toBe(0);
    const lines = got.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ t: 0, k: 'start' });
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  }, 60_000);

  it.skipIf(!hasFull)('the CLI: --trace /dev/full is one line and exit 73; --html through a link writes the target', async () => {
    const full = await faultline('run', 'kv-calm', '--trace', '/dev/full', '--no-repro');
    expect(full.code).toBe(73);
    expect(full.stderr.trim().split('\n')).toEqual(['faultline: cannot write /dev/full: ENOSPC']);
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
    fs.writeFileSync(join(scratch, 'report-target.html'), 'old');
    fs.symlinkSync('report-target.html', join(scratch, 'report.html'));
    const html = await faultline('run', 'kv-calm', '--html', 'report.html', '--no-repro');
    expect(html.code).toBe(0);
    expect(fs.lstatSync(join(scratch, 'report.html')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(join(scratch, 'report-target.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    // A standard output that is full is a failed output too, not a stack trace.
    const list = await faultlineToFull('list');
    expect(list.code).toBe(73);
    expect(list.stderr).toBe('faultline: cannot write standard output: ENOSPC\n');
  }, 60_000);
});

/** Runs the CLI with its standard output on /dev/full. */
function faultlineToFull(...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const out = fs.openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [new URL('./faultline.mjs', import.meta.url).pathname, ...args], { cwd: scratch, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      fs.closeSync(out);
      resolve({ code: code ?? -1, stderr });
    });
  });
}
