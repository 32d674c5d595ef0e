import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../bin/cli.ts';
import { parseResults, ResultsFormatError } from './results-file.ts';

describe('parseResults', () => {
  it('reads a run --json object, an array, and JSON lines', () => {
    expect(parseResults('{"scenario":"kv-calm","variant":"corrected","seed":2,"traceHash":"ab"}', 'r.json')).toEqual([
      { scenario: 'kv-calm', variant: 'corrected', seed: 2, traceHash: 'ab', source: 'r.json:1' },
    ]);
    expect(parseResults('[{"scenario":"a","seed":1},{"scenario":"b","seed":2}]', 'x').map((r) => r.scenario)).toEqual(['a', 'b']);
    const lines = parseResults('{"scenario":"a","seed":1}\n\n{"scenario":"b","seed":3,"variant":"v"}\n', 's.jsonl');
    expect(lines.map((r) => [r.source, r.variant])).toEqual([['s.jsonl:1', undefined], ['s.jsonl:3', 'v']]);
  });

  it('names the line of a malformed entry', () => {
    const bad = (text: string) => {
      try {
        parseResults(text, 'f');
      } catch (err) {
        return err instanceof ResultsFormatError ? `${err.line}: ${err.message}` : String(err);
      }
      return 'parsed';
    };
    expect(bad('{"scenario":"a","seed":1}\n{oops')).toMatch(/^2: f:2: not JSON/);
    expect(bad('{"scenario":"a","seed":1}\n{"seed":1}')).toMatch(/^2: .*missing "scenario"/);
    expect(bad('{"scenario":"a","seed":-1}')).toMatch(/seed/);
    expect(bad('')).toMatch(/empty/);
  });
});

describe('faultline report exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-report-'));
  const run = async (...argv: string[]) => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return await main(['node', 'faultline', 'report', ...argv]);
    } finally {
      err.mockRestore();
    }
  };

  it('66 for a missing file, 65 for a malformed one, 73 for an unwritable output, 0 when written', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"scenario":"kv-calm","seed":1}\nnot json\n');
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ scenario: 'kv-calm', variant: 'corrected', seed: 1 }));
    expect(await run(join(dir, 'missing.json'), '--html', join(dir, 'o.html'))).toBe(66);
    expect(await run(bad, '--html', join(dir, 'o.html'))).toBe(65);
    expect(await run(good, '--html', join(dir, 'no-such-dir', 'o.html'))).toBe(73);
    expect(await run(good, '--md', join(dir, 'o.md'))).toBe(0);
  });
});
