import fc from 'fast-check';
import { historyArb, type Gen } from './random-history.ts';
import { describe, expect, it } from 'vitest';
import { pairOperations, type EventType, type HistoryEvent } from '../history.ts';
import type { Value } from '../value.ts';
import { bruteForceLinearizable } from './brute-force.ts';
import { checkLinearizability, linearizable } from './linearizability.ts';
import { modelByName } from './models/index.ts';
import { searchTuning } from './wgl.ts';

type Ev = [process: number, type: EventType, f: string, value: Value, key?: string];
const h = (...evs: Ev[]): HistoryEvent[] =>
  evs.map(([process, type, f, value, key], time) => ({ process, type, f, value, time, ...(key !== undefined ? { key } : {}) }));
const budget = { steps: 1_000_000 };
const reg = modelByName('register');

describe('linearizability: hand-built register histories', () => {
  it('a read concurrent with a write may see either value', () => {
    const hist = h([0, 'invoke', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1], [0, 'ok', 'write', 1]);
    const r = checkLinearizability(hist, reg, budget);
    expect(r.verdict).toBe('ok');
    expect(r.partitions[0]!.witness).toEqual([0, 1]);
  });

  it('a stale read after a completed write is a violation, with evidence', () => {
    const hist = h([0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', null]);
    const r = checkLinearizability(hist, reg, budget);
    expect(r.verdict).toBe('violation');
    const v = r.partitions[0]!.violation!;
    expect(v.culprit).toMatchObject({ id: 1, f: 'read', output: null, process: 1, invokeTime: 2, completeTime: 3, status: 'ok' });
    expect(v.failingPrefix.map((o) => o.id)).toEqual([0, 1]);
    expect(v.longest).toEqual([0]);
    expect(v.unplaced.map((o) => o.id)).toEqual([1]);
    expect(r.summary).toContain('read() -> null by process 1 cannot be placed');
  });

  it('fail ops did not happen; info ops may or may not have', () => {
    const failed = h([0, 'invoke', 'write', 1], [0, 'fail', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]);
    expect(checkLinearizability(failed, reg, budget).verdict).toBe('violation');
    const info = h([0, 'invoke', 'write', 1], [0, 'info', 'write', null], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]);
    expect(checkLinearizability(info, reg, budget).verdict).toBe('ok');
    const never = h([0, 'invoke', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', null]);
    expect(checkLinearizability(never, reg, budget).verdict).toBe('ok');
    // Once it is seen, an info write cannot be unseen.
    const unseen = h([0, 'invoke', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', null]);
    expect(checkLinearizability(unseen, reg, budget).verdict).toBe('violation');
  });

  it('cas: ok applies, ok with false saw another value, info applies or not', () => {
    const hist = h([0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [0, 'invoke', 'cas', [2, 3]], [0, 'ok', 'cas', false], [0, 'invoke', 'cas', [1, 2]], [0, 'ok', 'cas', [1, 2]], [0, 'invoke', 'read', null], [0, 'ok', 'read', 2]);
    expect(checkLinearizability(hist, reg, budget).verdict).toBe('ok');
    const wrong = h([0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [0, 'invoke', 'cas', [1, 3]], [0, 'ok', 'cas', false]);
    expect(checkLinearizability(wrong, reg, budget).verdict).toBe('violation');
  });

  it('equal virtual times: the order of the events in the array decides precedence', () => {
    const hist: HistoryEvent[] = [
      { process: 0, type: 'invoke', f: 'write', value: 1, time: 0 },
      { process: 0, type: 'ok', f: 'write', value: 1, time: 5 },
      { process: 1, type: 'invoke', f: 'read', value: null, time: 5 },
      { process: 1, type: 'ok', f: 'read', value: null, time: 6 },
    ];
    expect(checkLinearizability(hist, reg, budget).verdict).toBe('violation');
  });

  it('checks keys independently and names the failing key', () => {
    const hist = h([0, 'invoke', 'write', 1, 'a'], [0, 'ok', 'write', 1, 'a'], [1, 'invoke', 'read', null, 'b'], [1, 'ok', 'read', null, 'b'], [1, 'invoke', 'read', null, 'a'], [1, 'ok', 'read', 2, 'a']);
    const r = checkLinearizability(hist, reg, budget, { stopEarly: false });
    expect(r.verdict).toBe('violation');
    expect(r.partitions.map((p) => [p.key, p.verdict])).toEqual([['a', 'violation'], ['b', 'ok']]);
    expect(r.summary).toContain('on key "a"');
    // By default the search stops at the first failing partition.
    expect(checkLinearizability(hist, reg, budget).partitions[1]).toMatchObject({ key: 'b', verdict: 'unknown', reason: 'not checked' });
  });

  it('answers unknown, never hangs, when the step budget or the clock runs out', () => {
    const evs: Ev[] = [];
    for (let p = 0; p < 12; p++) evs.push([p, 'invoke', 'write', p]);
    for (let p = 0; p < 12; p++) evs.push([p, 'ok', 'write', p]);
    evs.push([20, 'invoke', 'read', null], [20, 'ok', 'read', 99]);
    expect(checkLinearizability(h(...evs), reg, { steps: 50 }).verdict).toBe('unknown');
    let calls = 0;
    const r = checkLinearizability(h(...evs), reg, { steps: 1e12, expired: () => ++calls > 0 });
    expect(r.verdict).toBe('unknown');
    expect(r.partitions[0]!.reason).toBe('time');
    expect(checkLinearizability(h(...evs), reg, { steps: 1e12 }, { maxCacheEntries: 100 }).partitions[0]!.reason).toBe('memory');
  });

  it('is a Checker with plain-data evidence', () => {
    const res = linearizable({ model: 'register' }).check({ history: h([0, 'invoke', 'write', 1], [0, 'ok', 'write', 1]), finalStates: new Map(), probes: [], budget });
    expect(res).toMatchObject({ name: 'linearizable', verdict: 'ok' });
    expect(JSON.parse(JSON.stringify(res.evidence))).toEqual(res.evidence);
  });
});

const small = fc.constantFrom<Value>(null, 0, 1, 2);
const registerGen: Gen = {
  fs: ['read', 'write', 'cas'],
  keys: ['x', 'x', 'y'],
  input: (f) => (f === 'read' ? fc.constant(null) : f === 'write' ? fc.constantFrom(0, 1, 2) : fc.tuple(fc.constantFrom<Value>(null, 0, 1, 2), fc.constantFrom(0, 1, 2))),
  output: (f) => (f === 'read' ? small : f === 'cas' ? fc.constantFrom<Value>(true, true, false) : fc.constant(null)),
};
const kvGen: Gen = {
  fs: ['get', 'put', 'append'],
  keys: ['k', 'k', 'j'],
  input: (f) => (f === 'get' ? fc.constant(null) : fc.constantFrom('a', 'b')),
  output: (f) => (f === 'get' ? fc.constantFrom<Value>('', 'a', 'b', 'ab', 'ba', 'aa', null) : fc.constant(null)),
};

const kvCasGen: Gen = {
  fs: ['get', 'put', 'append', 'cas'],
  keys: ['k', 'k', 'j'],
  input: (f) => (f === 'get' ? fc.constant(null) : f === 'cas' ? fc.tuple(fc.constantFrom<Value>(null, 'a', 'ab'), fc.constantFrom('a', 'b')) : fc.constantFrom('a', 'b')),
  output: (f) => (f === 'get' ? fc.constantFrom<Value>('', 'a', 'b', 'ab', 'ba', null) : f === 'cas' ? fc.constantFrom<Value>(true, false) : fc.constant(null)),
};

function crossCheck(modelName: string, gen: Gen, numRuns: number, seed: number): { ok: number; bad: number } {
  const model = modelByName(modelName);
  const tally = { ok: 0, bad: 0 };
  fc.assert(
    fc.property(historyArb(gen, 7), (hist) => {
      const expected = bruteForceLinearizable(hist, model);
      const report = checkLinearizability(hist, model, { steps: 1e7 });
      expect(report.verdict).toBe(expected ? 'ok' : 'violation');
      if (expected) tally.ok++;
      else {
        tally.bad++;
        // The evidence's failing prefix is itself not linearizable (checked by brute force).
        const v = report.partitions.find((p) => p.verdict === 'violation')!.violation!;
        expect(v.shortest).toBe(true);
        // Events of the failing key up to the culprit's completion, leaving out ops that failed
        // (they did not happen, so the checker drops them before cutting prefixes).
        const failedAt = new Set<number>();
        for (const op of pairOperations(hist)) if (op.status === 'fail') failedAt.add(op.invokeIndex).add(op.completeIndex);
        const cut = v.culprit.completeTime!;
        const prefixEvents = hist.slice(0, cut + 1).filter((e, i) => (!model.partition || (e.key ?? '') === v.key) && !failedAt.has(i));
        expect(bruteForceLinearizable(prefixEvents, model)).toBe(false);
        // ...and the same prefix without its last event (the culprit's completion) is.
        const shorter = prefixEvents.slice(0, -1);
        expect(bruteForceLinearizable(shorter, model)).toBe(true);
      }
    }),
    { seed, numRuns },
  );
  return tally;
}

describe('linearizability agrees with a brute-force enumerator', () => {
  it('on 3000 random register histories (read / write / cas, fail and info, two keys)', () => {
    const t = crossCheck('register', registerGen, 3000, 20261122);
    expect(t.ok).toBeGreaterThan(300);
    expect(t.bad).toBeGreaterThan(300);
  });

  it('on 2000 random kv histories (get / put / append, two keys), partitioned and not', () => {
    const a = crossCheck('kv', kvGen, 2000, 7);
    const b = crossCheck('kv-map', kvGen, 1000, 8);
    expect(a.ok).toBeGreaterThan(200);
    expect(a.bad).toBeGreaterThan(200);
    expect(b.ok + b.bad).toBe(1000);
  });
});

describe('kv with cas agrees with brute force', () => {
  it('on 1500 random kv histories (get / put / append / cas), partitioned and not', () => {
    const a = crossCheck('kv', kvCasGen, 1500, 12);
    const b = crossCheck('kv-map', kvCasGen, 500, 13);
    expect(a.ok).toBeGreaterThan(150);
    expect(a.bad).toBeGreaterThan(150);
    expect(b.ok + b.bad).toBe(500);
  });

  it('and with the register model on read / write / cas histories (one semantics of cas)', () => {
    fc.assert(
      fc.property(historyArb(registerGen, 7), (hist) => {
        const budget = { steps: 1e7 };
        expect(checkLinearizability(hist, modelByName('kv'), budget).verdict).toBe(checkLinearizability(hist, modelByName('register'), budget).verdict);
      }),
      { seed: 99, numRuns: 1000 },
    );
  });
});

describe('the search\'s fast paths stay under the brute-force cross-check', () => {
  it('with the transition cache and the packed sort off, and the memo skipping new states at once', () => {
    const saved = { ...searchTuning };
    Object.assign(searchTuning, { denseTransitions: 0, packedSort: false, memoSkipAfter: 0 });
    try {
      for (const [model, gen, runs, seed] of [['register', registerGen, 1000, 99], ['kv', kvGen, 500, 98], ['kv-map', kvGen, 500, 97]] as const) {
        const t = crossCheck(model, gen, runs, seed);
        expect(t.ok).toBeGreaterThan(runs / 10);
        expect(t.bad).toBeGreaterThan(runs / 10);
      }
    } finally {
      Object.assign(searchTuning, saved);
    }
  });

  it('throws when a model says an op keeps the state but its step changes it', () => {
    const lying = { ...reg, keepsState: (op: { f: string }) => op.f !== 'cas' };
    const hist = h([0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [0, 'invoke', 'read', null], [0, 'ok', 'read', 1]);
    expect(() => checkLinearizability(hist, lying, budget)).toThrow(/keeps the state/);
  });
});
