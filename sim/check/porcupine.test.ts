import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLinearizability } from './linearizability.ts';
import { modelByName } from './models/index.ts';
import { readPorcupineEtcd, readPorcupineKv } from './readers/index.ts';

// The shared folder sits beside the repository (CI clones it there).
const DATA = fileURLToPath(new URL('../../../shared/data/porcupine', import.meta.url));

// From ../shared/data/porcupine/README.md: every other non-empty etcd file is not linearizable.
const LINEARIZABLE = new Set(['002', '005', '007', '018', '025', '031', '038', '045', '048', '049', '051', '053', '056', '067', '075', '076', '080', '087', '092', '098', '100', '101', '102']);
const budget = { steps: 50_000_000 };

describe('Porcupine etcd histories (register model, one partition)', () => {
  const files = readdirSync(`${DATA}/jepsen`).filter((f) => /^etcd_\d{3}\.log$/.test(f)).sort();

  it('has the 103 files the README lists, one of them empty', () => {
    expect(files).toHaveLength(103);
    expect(files.filter((f) => readFileSync(`${DATA}/jepsen/${f}`, 'utf8') === '')).toEqual(['etcd_095.log']);
  });

  const withContent = files.filter((f) => f !== 'etcd_095.log');
  it.each(withContent)('%s gets the README verdict', (file) => {
    const events = readPorcupineEtcd(readFileSync(`${DATA}/jepsen/${file}`, 'utf8'));
    const expected = LINEARIZABLE.has(file.slice(5, 8)) ? 'ok' : 'violation';
    const report = checkLinearizability(events, modelByName('register'), budget);
    expect(report.verdict).toBe(expected);
    if (expected === 'violation') {
      const v = report.partitions[0]!.violation!;
      // The shortest failing prefix ends with the culprit's completion.
      expect(v.failingPrefix.some((op) => op.id === v.culprit.id)).toBe(true);
      expect(v.culprit.status).toBe('ok');
    } else {
      expect(report.partitions[0]!.witness!.length).toBeGreaterThan(0);
    }
  });

  it('counts 23 linearizable and 79 not', () => {
    expect(withContent.length).toBe(102);
    expect(withContent.filter((f) => LINEARIZABLE.has(f.slice(5, 8))).length).toBe(23);
  });
});

describe('Porcupine kv histories', () => {
  const cases: [string, 'ok' | 'violation'][] = [
    ['c01-ok', 'ok'],
    ['c01-bad', 'violation'],
    ['c10-ok', 'ok'],
    ['c10-bad', 'violation'],
    ['c50-ok', 'ok'],
    ['c50-bad', 'violation'],
  ];
  const read = (name: string) => readPorcupineKv(readFileSync(`${DATA}/kv/${name}.txt`, 'utf8'));

  it.each(cases)('%s per key (kv model) is %s', (name, expected) => {
    expect(checkLinearizability(read(name), modelByName('kv'), budget).verdict).toBe(expected);
  });

  // Porcupine also checks c01 and c10 with the whole map as one state; so do we.
  it.each(cases.filter(([n]) => !n.startsWith('c50')))('%s unpartitioned (kv-map model) is %s', (name, expected) => {
    expect(checkLinearizability(read(name), modelByName('kv-map'), budget, { shrink: false }).verdict).toBe(expected);
  });

  it('c01-bad: the culprit is get("7") returning "x 0 0 y" (README, line 60)', () => {
    const report = checkLinearizability(read('c01-bad'), modelByName('kv'), budget);
    const v = report.partitions.find((p) => p.verdict === 'violation')!.violation!;
    expect(v.key).toBe('7');
    expect(v.culprit).toMatchObject({ f: 'get', key: '7', output: 'x 0 0 y' });
    expect(v.shortest).toBe(true);
    // Sequential history: the failing prefix is every op on key 7 up to the bad get.
    expect(v.failingPrefix.at(-1)!.id).toBe(v.culprit.id);
  });
});
