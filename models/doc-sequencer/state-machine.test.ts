import { describe, expect, it } from 'vitest';
import type { Value } from '../../sim/value.ts';
import { rgaModel } from './crdt.ts';
import { asValue, editToOp } from './ot.ts';
import { type OpCommand, type SequencerOptions, type SequencerOutput, SequencerState } from './state-machine.ts';

const opts: SequencerOptions = { position: 'ot', seqAt: 'apply', replicatedDedup: true, compactEvery: 4, compactKeep: 0 };
const ins = (clientId: string, localSeq: number, base: number, pos: number, text: string, seq: number | null = null): OpCommand => ({
  k: 'op',
  opId: `${clientId}:${localSeq}`,
  clientId,
  localSeq,
  base,
  op: asValue(editToOp({ kind: 'ins', pos, text })),
  seq,
});

describe('sequencer state machine', () => {
  it('numbers ops in commit order and transforms an op against the ops its client had not seen', () => {
    const probes: [number, number, string][] = [];
    const sm = new SequencerState(opts, (seq, prev, opId) => probes.push([seq, prev, opId]));
    expect(sm.apply(ins('a', 0, 0, 0, 'ab'), 1)).toMatchObject({ r: 'seq', seq: 1 });
    // b typed 'X' at 0 without seeing a's 'ab': it goes first ('left'), as the client rule has it.
    expect(sm.apply(ins('b', 0, 0, 0, 'X'), 2)).toMatchObject({ r: 'seq', seq: 2 });
    // a typed 'c' after 'ab' (base 1): transformed past b's X.
    sm.apply(ins('a', 1, 1, 2, 'c'), 3);
    expect(sm.docText()).toBe('Xabc');
    expect(probes).toEqual([
      [1, 0, 'a:0'],
      [2, 1, 'b:0'],
      [3, 2, 'a:1'],
    ]);
  });

  it('answers a duplicate opId with the earlier serverSeq and applies it once', () => {
    const sm = new SequencerState(opts);
    sm.apply(ins('a', 0, 0, 0, 'x'), 1);
    expect(sm.apply(ins('a', 0, 0, 0, 'x'), 2)).toEqual({ r: 'dup', seq: 1 });
    expect(sm.docText()).toBe('x');
  });

  it('without the replicated table (as written) a duplicate is applied again', () => {
    const sm = new SequencerState({ ...opts, replicatedDedup: false });
    sm.apply(ins('a', 0, 0, 0, 'x'), 1);
    expect(sm.apply(ins('a', 0, 0, 0, 'x'), 2)).toMatchObject({ r: 'seq', seq: 2 });
    expect(sm.docText()).toBe('xx');
  });

  it('compacts every compactEvery ops and answers STALE_BASE below lastIncludedSeq', () => {
    const sm = new SequencerState(opts);
    for (let i = 0; i < 4; i++) sm.apply(ins('a', i, i, i, String(i)), i + 1);
    expect(sm.lastIncludedSeq).toBe(4);
    expect(sm.opsSince(3)).toBeUndefined();
    expect(sm.opsSince(4)).toEqual([]);
    expect(sm.snapshotForClient()).toMatchObject({ lastIncludedSeq: 4, snapshot: '0123', ops: [] });
    expect(sm.apply(ins('b', 0, 3, 0, 'z'), 5)).toEqual({ r: 'stale', lastIncludedSeq: 4 });
    expect(sm.apply(ins('b', 1, 4, 0, 'z'), 6)).toMatchObject({ r: 'seq', seq: 5 });
    expect(sm.committedOf('a', 2)).toEqual({ '2': 3, '3': 4 });
  });

  it('as written, the serverSeq comes from the proposal, so a reused number shows as a gap', () => {
    const probes: [number, number][] = [];
    const sm = new SequencerState({ ...opts, seqAt: 'proposal' }, (seq, prev) => probes.push([seq, prev]));
    sm.apply(ins('a', 0, 0, 0, 'x', 1), 1);
    sm.apply(ins('b', 0, 0, 0, 'y', 1), 2);
    expect(probes).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });

  it('restores from its snapshot to the same state (OT and RGA)', () => {
    for (const position of ['ot', 'rga'] as const) {
      const o: SequencerOptions = { ...opts, position, compactEvery: 3, ...(position === 'rga' ? { crdt: rgaModel } : {}) };
      const a = new SequencerState(o);
      const doc = rgaModel.create(7);
      for (let i = 0; i < 5; i++) {
        const op: Value = position === 'ot' ? asValue(editToOp({ kind: 'ins', pos: 0, text: String(i) })) : doc.local({ kind: 'ins', pos: 0, text: String(i) });
        a.apply({ ...ins('a', i, i, 0, ''), op }, i + 1);
      }
      const b = new SequencerState(o);
      b.restore(JSON.parse(JSON.stringify(a.snapshot())) as Value);
      expect(b.docText()).toBe(a.docText());
      expect(b.lastSeq).toBe(5);
      expect(b.snapshotForClient()).toEqual(a.snapshotForClient());
      const out = b.apply({ ...ins('a', 1, 1, 0, '') }, 6) as SequencerOutput;
      expect(out).toEqual({ r: 'dup', seq: 2 });
    }
  });
});
