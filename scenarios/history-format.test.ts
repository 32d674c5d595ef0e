import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline } from '../bin/testing/cli.ts';
import { checkLinearizability, type LinearizableChecker } from '../sim/check/linearizability.ts';
import { readJsonl, writeJsonl } from '../sim/check/readers/index.ts';
import type { Checker } from '../sim/check/types.ts';
import { runScenario } from '../sim/run.ts';
import { scenarios } from './index.ts';

const isLinearizable = (c: Checker): c is LinearizableChecker => 'model' in c;

// docs/history-format.md is the contract between `run --history` and `check`: every scenario's
// history, written and read back, is the same history and gets the same verdict.
describe('run histories round-trip through the documented JSONL format', () => {
  it.each(scenarios.filter((s) => s.checkers.some(isLinearizable)).map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const r = runScenario(s, { seed: s.seeds[0] as number });
    for (const checker of s.checkers.filter(isLinearizable)) {
      const model = checker.model;
      const back = readJsonl(writeJsonl(r.history), { model: model.name, ops: model.ops });
      expect(back).toEqual(r.history.map((e) => ({ ...e, value: e.value ?? null })));
      const verdict = checkLinearizability(back, model, { steps: 2_000_000 }).verdict;
      expect(verdict).toBe(r.checks.find((c) => c.name === checker.name)?.verdict);
    }
  }, 120_000);

  it('through the CLI: run --history, then check, gives the run\'s verdict as the exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-history-'));
    const caught = await faultline(dir, 'run', 'kv-crash-restart', '--variant', 'as-written', '--seed', '1', '--history', 'h.jsonl', '--no-repro');
    expect(caught.code).toBe(0);
    expect((await faultline(dir, 'check', 'h.jsonl', '--model', 'register')).code).toBe(1);
    expect((await faultline(dir, 'check', 'h.jsonl', '--model', 'kv')).code).toBe(1);
    const calm = await faultline(dir, 'run', 'kv-calm', '--seed', '1', '--history', 'calm.jsonl', '--no-repro');
    expect(calm.code).toBe(0);
    for (const model of ['register', 'kv', 'kv-map']) expect((await faultline(dir, 'check', 'calm.jsonl', '--model', model)).code, model).toBe(0);
    // A model without cas refuses the history instead of judging it.
    const queue = await faultline(dir, 'check', 'calm.jsonl', '--model', 'queue');
    expect(queue.code).toBe(65);
    expect(queue.stderr).toMatch(/calm\.jsonl:\d+: operation "(read|write|cas)" is not one model 'queue' supports/);
  }, 180_000);
});
