import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline } from '../testing/cli.ts';

describe('faultline explore', () => {
  it('finds the karaoke lost update, writes a repro that replay, shrink and replay --html accept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-explore-'));
    const ex = await faultline(dir, 'explore', 'karaoke-explore', '--variant', 'as-written', '--strategy', 'bfs', '--json');
    expect(ex.code, ex.stderr).toBe(0);
    const s = JSON.parse(ex.stdout) as { outcome: string; runs: number; nonZeroChoices: number; foundChecks: string[]; repro: string; traceHash: string; statesPerSecond: number };
    expect(s).toMatchObject({ outcome: 'found', nonZeroChoices: 0 });
    expect(s.foundChecks).toContain('linearizable');
    expect(s.statesPerSecond).toBeGreaterThan(0);
    const files = readdirSync(join(dir, '.faultline', 'repros'));
    expect(files).toEqual(['karaoke-explore.as-written.seed0.linearizable.explore-bfs.json']);
    const file = join('.faultline', 'repros', files[0] as string);
    expect(ex.stderr).toContain(`npx faultline replay ${file}`);
    const repro = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { createdBy: string; traceHash: string; failure: { check: string } };
    expect(repro).toMatchObject({ createdBy: 'explore --strategy bfs', traceHash: s.traceHash, failure: { check: 'linearizable' } });

    const replay = await faultline(dir, 'replay', file, '--json', '--html', 'r.html');
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout).replay).toMatchObject({ exact: true, failureReproduced: true });
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('karaoke-explore');

    const shrink = await faultline(dir, 'shrink', file, '-o', 'small.json', '--max-runs', '30');
    expect(shrink.code, shrink.stderr).toBe(0);
    expect((await faultline(dir, 'replay', 'small.json')).code).toBe(0);
  }, 240_000);

  it('exit codes: a bug random finds 0, a corrected search cut off 2, a usage error 64', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-explore-'));
    const found = await faultline(dir, 'explore', 'karaoke-explore', '--strategy', 'random', '--seed', '4', '--max-runs', '20', '--no-repro');
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toMatch(/found a run with linearizable/);
    expect(existsSync(join(dir, '.faultline'))).toBe(false);
    const cut = await faultline(dir, 'explore', 'karaoke-explore', '--variant', 'corrected', '--strategy', 'dfs', '--max-runs', '3');
    expect(cut.code).toBe(2);
    expect(cut.stdout).toMatch(/cut off by runs/);
    // The DO host and the karaoke client have fingerprints now: states are told apart and pruned.
    expect(cut.stdout).toMatch(/states visited \d+, distinct \d+, runs 3/);
    expect(cut.stdout).toMatch(/pruning: on/);
    expect((await faultline(dir, 'explore', 'karaoke-explore', '--strategy', 'sideways')).code).toBe(64);
  }, 240_000);
});
