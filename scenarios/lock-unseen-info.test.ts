import { describe, expect, it } from 'vitest';
import { linearizable } from '../sim/check/linearizability.ts';
import type { HistoryEvent } from '../sim/history.ts';
import { dropUnseenInfoInserts, unseenInfoInsertsDropped } from './lock-unseen-info.ts';

const ev = (process: number, type: HistoryEvent['type'], f: string, value: HistoryEvent['value'], time: number, key = 'do0'): HistoryEvent => ({ process, type, f, key, value, time });
const check = (history: HistoryEvent[]) =>
  unseenInfoInsertsDropped(linearizable({ model: 'list' })).check({ history, finalStates: new Map(), probes: [], budget: { steps: 1_000_000 } });

describe('unknown inserts no read saw', () => {
  const history = [
    ev(0, 'invoke', 'insert', 1, 0),
    ev(0, 'ok', 'insert', null, 1),
    ev(1, 'invoke', 'insert', 2, 2),
    ev(1, 'info', 'insert', null, 3), // seen below: kept
    ev(2, 'invoke', 'insert', 3, 2),
    ev(2, 'info', 'insert', null, 3), // never seen: dropped
    ev(3, 'invoke', 'insert', 4, 4), // never completed, never seen: dropped
    ev(4, 'invoke', 'read', null, 5),
    ev(4, 'ok', 'read', [1, 2], 6),
  ];

  it('drops the unseen ones with their completions and keeps the rest', () => {
    const out = dropUnseenInfoInserts(history);
    expect(out.map((e) => e.value)).toEqual([1, null, 2, null, null, [1, 2]]);
  });

  it('leaves a key with other operations than insert and read alone', () => {
    const h = [...history, ev(5, 'invoke', 'remove', 1, 7), ev(5, 'ok', 'remove', true, 8)];
    expect(dropUnseenInfoInserts(h)).toHaveLength(h.length);
  });

  it('keeps the verdict: linearizable stays so, a lost acknowledged insert is still caught', () => {
    expect(check(history).verdict).toBe('ok');
    const lost = [...history, ev(6, 'invoke', 'insert', 5, 10), ev(6, 'ok', 'insert', null, 11), ev(7, 'invoke', 'read', null, 12), ev(7, 'ok', 'read', [1, 2], 13)];
    expect(check(lost).verdict).toBe('violation');
  });
});
