import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history.ts';
import type { Value } from '../value.ts';
import { sequencer } from './sequencer.ts';
import type { Probe } from './types.ts';

const assign = (node: string, seq: number, prev: number, opId: string, time = 0): Probe => ({ name: 'sequencer.assign', node, time, ok: true, detail: { seq, prev, opId } });
const op = (process: number, opId: string, invoke: number, complete: number, seq: number): HistoryEvent[] => [
  { process, type: 'invoke', f: 'insert', value: { opId } as Value, time: invoke },
  { process, type: 'ok', f: 'insert', value: { seq }, time: complete },
];
const check = (probes: Probe[], history: HistoryEvent[] = []) =>
  sequencer().check({ history, probes, finalStates: new Map(), budget: { steps: 1000 } });

describe('sequencer checker', () => {
  const good = [assign('s0', 1, 0, 'a'), assign('s1', 1, 0, 'a'), assign('s0', 2, 1, 'b'), assign('s1', 2, 1, 'b')];

  it('accepts gapless unique numbers and faithful acks in real-time order', () => {
    expect(check(good, [...op(0, 'a', 0, 10, 1), ...op(1, 'b', 20, 30, 2)]).verdict).toBe('ok');
  });

  it('finds a gap, two ops at one number, one op at two numbers', () => {
    const kinds = (ps: Probe[]) => Object.keys((check(ps).evidence as { counts: Record<string, number> }).counts);
    expect(kinds([assign('s0', 1, 0, 'a'), assign('s0', 3, 1, 'b')])).toEqual(['gap']);
    expect(kinds([assign('s0', 1, 0, 'a'), assign('s1', 1, 0, 'b')])).toEqual(['two ops at one seq']);
    expect(kinds([assign('s0', 1, 0, 'a'), assign('s0', 2, 1, 'a')])).toEqual(['one op at two seqs']);
  });

  it('finds an acked op no replica applied, one acked under another number, and real-time disorder', () => {
    const counts = (h: HistoryEvent[]) => (check(good, h).evidence as { counts: Record<string, number> }).counts;
    expect(counts(op(0, 'z', 0, 10, 3))).toEqual({ 'acked op never applied': 1 });
    expect(counts(op(0, 'a', 0, 10, 2))).toMatchObject({ 'acked under another seq': 1 });
    // b acked with 2 before a, with 1, was invoked: not linearizable as a sequencer.
    expect(counts([...op(1, 'b', 0, 5, 2), ...op(0, 'a', 10, 20, 1)])).toEqual({ 'real-time order': 1 });
  });
});
