import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { faultlineVersion, gitCommit } from '../repro-file.ts';
import { WorkerPool } from './pool.ts';
import type { ResultLine, Task } from './task.ts';
import { workerEntry } from './worker-entry.ts';

/** Runs the tasks on a 1-worker pool started from `entry`, writing repros under `reproDir`. */
async function runOn(entry: URL, tasks: readonly Task[], reproDir: string): Promise<ResultLine[]> {
  const pool = new WorkerPool(1, { reproDir }, entry);
  try {
    return await Promise.all(tasks.map((t) => pool.run(t)));
  } finally {
    await pool.close();
  }
}

describe('sweep worker entry', () => {
  it('is the bundle here, and a bundled worker gives the same results and repros as the sources', async () => {
    const entry = await workerEntry();
    expect(entry.reason).toBeUndefined();
    expect(entry.bundled).toBe(true);
    // Every variant of the two quickest scenarios with a planted bug, on two seeds: a mix of
    // runs that hold and violations that write repros.
    const picked = [...scenarios]
      .filter((s) => s.variants.some((v) => { const e = s.expect[v]; return e !== undefined && 'violates' in e; }))
      .sort((a, b) => a.duration - b.duration)
      .slice(0, 2);
    const tasks: Task[] = picked.flatMap((s) => s.variants.flatMap((variant) => [1, 2].map((seed) => ({ scenario: s.name, variant, seed }))));
    const dirA = mkdtempSync(join(tmpdir(), 'fl-bundled-'));
    const dirB = mkdtempSync(join(tmpdir(), 'fl-sources-'));
    const bundled = await runOn(entry.url, tasks, dirA);
    const sources = await runOn(new URL('./worker.mjs', import.meta.url), tasks, dirB);
    const strip = (l: ResultLine) => ({ ...l, wallMs: 0, repro: l.repro?.slice(l.repro.lastIndexOf('/')) });
    expect(bundled.map(strip)).toEqual(sources.map(strip));
    const repros = bundled.filter((l) => l.repro !== undefined);
    expect(repros.length, 'the picked scenarios must catch a planted bug').toBeGreaterThan(0);
    for (const l of repros) {
      const a = JSON.parse(readFileSync(l.repro as string, 'utf8')) as Record<string, unknown>;
      const b = JSON.parse(readFileSync(join(dirB, (l.repro as string).slice(dirA.length)), 'utf8')) as Record<string, unknown>;
      // The replay command names the file, which lives in a different directory.
      expect({ ...a, replay: undefined }).toEqual({ ...b, replay: undefined });
      // The bundle lives under node_modules/.cache: it must still find faultline's checkout.
      expect(a.faultline).toEqual(expect.objectContaining({ version: faultlineVersion(), commit: gitCommit() }));
    }
  }, 120_000);
});
