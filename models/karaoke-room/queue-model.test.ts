import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../sim/history.ts';
import { bruteForceLinearizable } from '../../sim/check/brute-force.ts';
import { checkLinearizability } from '../../sim/check/linearizability.ts';
import type { LinModel } from '../../sim/check/models/types.ts';
import { historyArb, type Gen } from '../../sim/check/random-history.ts';
import { canonicalJson, type Value } from '../../sim/value.ts';
import { karaokeQueueModel, stepQueue, type Queue } from './queue-model.ts';

// Two songs, so that present/absent, order and votes all vary in a few operations.
const song = fc.constantFrom('a', 'b');
const queueArb: fc.Arbitrary<Queue> = fc
  .uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(2)), { selector: (e) => e[0], maxLength: 3 })
  .map((q) => q.map(([id, v]) => [id, v] as const));
const readOutputs: Value[] = [[], [['a', 0]], [['a', 1]], [['b', 0]], [['a', 0], ['b', 0]], [['b', 0], ['a', 0]], [['a', 1], ['b', 0]]];

const gen: Gen = {
  fs: ['add', 'vote', 'remove', 'reorder', 'next', 'read'],
  keys: ['room'],
  input: (f) => (f === 'reorder' ? fc.tuple(song, fc.nat(2)) : f === 'next' || f === 'read' ? fc.constant(null) : song),
  output: (f) =>
    f === 'add' ? fc.constant(null) : f === 'next' ? fc.constantFrom<Value>('a', 'b', null) : f === 'read' ? fc.constantFrom(...readOutputs) : fc.boolean(),
};

const opArb: fc.Arbitrary<Operation> = fc
  .tuple(fc.constantFrom(...gen.fs), fc.constantFrom<'ok' | 'info'>('ok', 'ok', 'info'))
  .chain(([f, status]) => fc.tuple(fc.constant(f), fc.constant(status), gen.input(f), gen.output(f)))
  .map(([f, status, input, output]) => ({
    id: 0, process: 0, f, key: undefined, input, output: status === 'ok' ? output : null, status,
    invokeTime: 0, completeTime: status === 'ok' ? 1 : Infinity, invokeIndex: 0, completeIndex: status === 'ok' ? 1 : -1, node: undefined,
  }));

/** The specification as a model: `stepQueue` and canonical JSON, nothing else. */
const spec: LinModel<Queue> = { name: 'spec', doc: 'stepQueue', ops: karaokeQueueModel().ops, init: () => [], step: stepQueue, hash: (q) => canonicalJson(q as unknown as Value) };

describe('karaoke queue model', () => {
  const model = karaokeQueueModel();

  it('steps exactly as stepQueue, hashes equal queues equal, and keeps the state when it says so', () => {
    fc.assert(
      fc.property(queueArb, opArb, (q, op) => {
        const want = stepQueue(q, op);
        const got = (model.prepare as NonNullable<typeof model.prepare>)(op)(q);
        expect(got).toEqual(want);
        expect(model.step(q, op)).toEqual(want);
        if (got !== undefined && want !== undefined) {
          expect(model.equal?.(got, want)).toBe(true);
          expect(model.hash(got)).toBe(model.hash(want));
          if (model.keepsState?.(op)) expect(got).toBe(q);
        }
      }),
      { seed: 11, numRuns: 5000 },
    );
  });

  it('has no step for an ok operation answered with another kind of value', () => {
    const op = (f: string, input: Value, output: Value): Operation => ({
      id: 0, process: 0, f, key: undefined, input, output, status: 'ok', invokeTime: 0, completeTime: 1, invokeIndex: 0, completeIndex: 1, node: undefined,
    });
    const q: Queue = [['a', 0]];
    // A vote (or remove, reorder) answered with the whole queue, as a read is: not a vote.
    expect(stepQueue(q, op('vote', null, [['a', 0]]))).toBeUndefined();
    expect(stepQueue(q, op('vote', 'b', [['a', 0]]))).toBeUndefined();
    expect(stepQueue(q, op('remove', null, []))).toBeUndefined();
    expect(stepQueue(q, op('reorder', ['a', 0], null))).toBeUndefined();
    expect(stepQueue(q, op('add', 'b', [['a', 0]]))).toBeUndefined();
    // The same operations with their own kind of answer step as before.
    expect(stepQueue(q, op('vote', 'b', false))).toBe(q);
    expect(stepQueue(q, op('remove', 'a', true))).toEqual([]);
    expect(stepQueue(q, op('add', 'b', null))).toEqual([['a', 0], ['b', 0]]);
    // An info operation's output is unknown and constrains nothing.
    expect(stepQueue(q, { ...op('vote', 'a', null), status: 'info', completeTime: Infinity, completeIndex: -1 })).toEqual([['a', 1]]);
  });

  it('tells different queues apart', () => {
    const eq = model.equal as NonNullable<typeof model.equal>;
    expect(eq([['a', 0]], [['a', 1]])).toBe(false);
    expect(eq([['a', 0], ['b', 0]], [['b', 0], ['a', 0]])).toBe(false);
    expect(eq([['a', 0]], [['a', 0], ['b', 0]])).toBe(false);
    expect(model.hash([['ab', 1]])).not.toBe(model.hash([['a', 0], ['b', 1]]));
  });

  it('gives the brute-force oracle\'s verdict on random histories', () => {
    const tally = { ok: 0, bad: 0 };
    fc.assert(
      fc.property(historyArb(gen, 7), (hist) => {
        const expected = bruteForceLinearizable(hist, spec);
        expect(checkLinearizability(hist, model, { steps: 1e7 }).verdict).toBe(expected ? 'ok' : 'violation');
        tally[expected ? 'ok' : 'bad']++;
      }),
      { seed: 12, numRuns: 2000 },
    );
    // Both verdicts must be common, or the comparison proves little.
    expect(tally.ok).toBeGreaterThan(200);
    expect(tally.bad).toBeGreaterThan(200);
  });
});
