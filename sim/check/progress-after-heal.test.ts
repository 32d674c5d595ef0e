import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history.ts';
import type { FaultRecord } from '../faults.ts';
import { progressAfterHeal } from './progress-after-heal.ts';

const op = (process: number, f: string, invoke: number, complete: number, ok: boolean): HistoryEvent[] => [
  { type: 'invoke', process, f, key: 'k', value: null, time: invoke },
  { type: ok ? 'ok' : 'fail', process, f, key: 'k', value: null, time: complete },
];
const crash: FaultRecord = { kind: 'crash', at: 100, until: 500, description: 'crash r0', node: 'r0' };
const check = (history: HistoryEvent[], faults: FaultRecord[]) =>
  progressAfterHeal({ kinds: ['write', 'read'] }).check({ history, finalStates: new Map(), probes: [], faults, budget: { steps: 1 } });

describe('progress-after-heal', () => {
  it('passes when each kind invoked after the heal succeeds once, failures during the fault do not count', () => {
    const h = [...op(1, 'write', 200, 300, false), ...op(1, 'write', 600, 700, true), ...op(2, 'read', 650, 660, true)];
    expect(check(h, [crash]).verdict).toBe('ok');
  });
  it('catches a system that answers nothing once the faults are over, naming the stuck kind', () => {
    const h = [...op(1, 'write', 600, 700, false), ...op(1, 'write', 800, 900, false), ...op(2, 'read', 650, 660, true)];
    const r = check(h, [crash]);
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('write (2 invoked, none ok)');
  });
  it('reads the heal from the run: without the fault, the early failure is judged too', () => {
    const h = [...op(1, 'write', 200, 300, false)];
    expect(check(h, []).verdict).toBe('violation');
    expect(check(h, [crash]).verdict).toBe('ok');
  });
});
