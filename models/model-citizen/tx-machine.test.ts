import { describe, expect, it } from 'vitest';
import concurrentKey from '../../scenarios/citizen-concurrent-key.ts';
import { runScenario } from '../../sim/run.ts';
import type { Value } from '../../sim/value.ts';
import { charToken, deleteOp, insertOp, opChanges, tokenChar } from './seq-ot.ts';
import { type TxChange, type TxCommand, type TxOutput, TxState } from './tx-machine.ts';

const tx = (id: string, changes: TxChange[], read = false): TxCommand => ({ k: 'tx', id, from: 'z0', changes, read });
const apply = (sm: TxState, c: TxCommand): TxOutput => sm.apply(c, 0) as TxOutput;

describe('TxState (option 2)', () => {
  it('commits a transaction across objects whole, with one callback per change, in order', () => {
    const sm = new TxState({ ot: false });
    const out = apply(sm, tx('a', [{ o: 'value', v: 'z0.1', expect: null }, { o: 'table', k: 't0', v: 'z0.2' }, { o: 'seq-ins', after: null, v: 'z0.3' }, { o: 'set-add', e: 'e0', tag: 'z0.4' }]));
    expect(out.r).toBe('commit');
    expect(out.r === 'commit' && out.changes.map((c) => c.o)).toEqual(['value', 'table', 'seq-ins', 'set-add']);
    expect(sm.view()).toEqual({ value: 'z0.1', table: { t0: 'z0.2' }, seq: ['z0.3'], set: ['e0'] });
  });

  it('aborts whole when a later precondition fails: nothing applied, no callback', () => {
    const sm = new TxState({ ot: false });
    apply(sm, tx('a', [{ o: 'value', v: 'z0.1', expect: null }]));
    const before = sm.view();
    const out = apply(sm, tx('b', [{ o: 'table', k: 't0', v: 'z1.1' }, { o: 'value', v: 'z1.2', expect: null }]));
    expect(out).toMatchObject({ r: 'abort', reason: 'value changed', failed: 1, changes: [] });
    expect(sm.view()).toEqual(before);
    expect(apply(sm, tx('c', [{ o: 'seq-del', x: 'nope' }]))).toMatchObject({ r: 'abort', reason: 'element gone' });
    expect(apply(sm, tx('d', [{ o: 'seq-ins', after: 'nope', v: 'z0.9' }]))).toMatchObject({ r: 'abort', reason: 'anchor gone' });
  });

  it('bug:partial-abort keeps the changes before the failed precondition', () => {
    const sm = new TxState({ ot: false, partialAbort: true });
    apply(sm, tx('a', [{ o: 'value', v: 'z0.1', expect: null }]));
    const out = apply(sm, tx('b', [{ o: 'table', k: 't0', v: 'z1.1' }, { o: 'value', v: 'z1.2', expect: null }]));
    expect(out.r).toBe('abort');
    expect(sm.view().table).toEqual({ t0: 'z1.1' });
  });

  it('applies a retried proposal once, and survives snapshot and restore', () => {
    const sm = new TxState({ ot: false });
    const c = tx('a', [{ o: 'seq-ins', after: null, v: 'z0.1' }]);
    apply(sm, c);
    expect(apply(sm, c).r).toBe('dup');
    const copy = new TxState({ ot: false });
    copy.restore(sm.snapshot());
    expect(copy.view()).toEqual(sm.view());
    expect(apply(copy, c).r).toBe('dup');
  });

  it('a read-only transaction returns the registers at its log position', () => {
    const sm = new TxState({ ot: true });
    apply(sm, tx('a', [{ o: 'value', v: 'z0.1', expect: null }, { o: 'seq-ot', op: insertOp(0, 'z0.2'), base: 0, n: 2 }]));
    const out = apply(sm, tx('r', [], true));
    expect(out.r === 'commit' && out.reads).toMatchObject({ value: 'z0.1', text: tokenChar('z0.2') });
  });
});

describe('option 3: ZenSeq as ot-text-unicode text', () => {
  it('maps tokens to code points and back', () => {
    for (const t of ['z0.1', 'z2.19999', 'z1.0']) expect(charToken(tokenChar(t))).toBe(t);
    expect([...tokenChar('z1.5')]).toHaveLength(1);
  });

  it('an applied op becomes index callbacks', () => {
    expect(opChanges(insertOp(2, 'z0.1'))).toEqual([{ o: 'seq-ins', i: 2, v: 'z0.1' }]);
    expect(opChanges(deleteOp(1))).toEqual([{ o: 'seq-del', i: 1 }]);
  });

  it('two inserts on one base are transformed into place; without the transform the later lands wrong', () => {
    for (const otNoTransform of [false, true]) {
      const sm = new TxState({ ot: true, otNoTransform });
      apply(sm, tx('a', [{ o: 'seq-ot', op: insertOp(0, 'z0.1'), base: 0, n: 1 }]));
      apply(sm, tx('b', [{ o: 'seq-ot', op: insertOp(1, 'z0.2'), base: 1, n: 2 }])); // seq: 1 2
      // z1 saw [1, 2] (base 2) and typed 3 between 1 and 2; z0 meanwhile put 4 at the front.
      apply(sm, tx('c', [{ o: 'seq-ot', op: insertOp(0, 'z0.4'), base: 2, n: 4 }]));
      apply(sm, tx('d', [{ o: 'seq-ot', op: insertOp(1, 'z1.3'), base: 2, n: 3 }]));
      const seq = sm.view().seq;
      const between = seq.indexOf('z0.1') < seq.indexOf('z1.3') && seq.indexOf('z1.3') < seq.indexOf('z0.2');
      expect(between).toBe(!otNoTransform);
    }
  });
});

describe('Raft variants are deterministic', () => {
  it('same seed, same trace, for raft-tx and ot-raft', () => {
    for (const variant of ['raft-tx', 'ot-raft']) {
      const a = runScenario(concurrentKey, { seed: 5, variant });
      const b = runScenario(concurrentKey, { seed: 5, variant });
      expect(b.traceHash, variant).toBe(a.traceHash);
      expect(b.history as unknown as Value).toEqual(a.history as unknown as Value);
    }
  });
});
