import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { HistoryEvent } from '../../sim/history.ts';
import type { Value } from '../../sim/value.ts';
import { clientsConverge, everyClientServed, ownAnswersShown, socketsReopen, viewsMonotonic } from './checks.ts';

const probe = (time: number, node: string, name: string, detail: Value): Probe => ({ name, time, node, ok: true, detail });
const input = (probes: Probe[], extra: Partial<CheckInput> = {}): CheckInput => ({ history: [], finalStates: new Map(), probes, budget: { steps: 1_000 }, ...extra });
const crash = (node: string, at: number): FaultRecord => ({ kind: 'crash', at, until: at + 10, description: 'crash', node });
const ev = (type: HistoryEvent['type'], f: string, time: number, node: string, process = 0): HistoryEvent => ({ process, type, f, value: null, time, node });

describe('views-monotonic', () => {
  const check = viewsMonotonic({ view: 'view' });
  it('holds when each client shows ever newer versions; clients are independent', () => {
    expect(check.check(input([probe(1, 'c0', 'view', { version: 1 }), probe(2, 'c1', 'view', { version: 0 }), probe(3, 'c0', 'view', { version: 3 })])).verdict).toBe('ok');
  });
  it('catches a client going back to an older state, and showing one version twice', () => {
    expect(check.check(input([probe(1, 'c0', 'view', { version: 4 }), probe(2, 'c0', 'view', { version: 2 })])).verdict).toBe('violation');
    expect(check.check(input([probe(1, 'c0', 'view', { version: 4 }), probe(2, 'c0', 'view', { version: 4 })])).verdict).toBe('violation');
  });
  it('starts again after a crash of that client, not of another', () => {
    const ps = [probe(1, 'c0', 'view', { version: 4 }), probe(20, 'c0', 'view', { version: 2 })];
    expect(check.check(input(ps, { faults: [crash('c0', 5)] })).verdict).toBe('ok');
    expect(check.check(input(ps, { faults: [crash('c1', 5)] })).verdict).toBe('violation');
    // A crash before both views does not separate them.
    expect(check.check(input([probe(10, 'c0', 'view', { version: 4 }), probe(20, 'c0', 'view', { version: 2 })], { faults: [crash('c0', 5)] })).verdict).toBe('violation');
  });
  it('agrees with a brute-force reading on random runs', () => {
    const arb = fc.tuple(
      fc.array(fc.tuple(fc.constantFrom('c0', 'c1'), fc.nat(4)), { maxLength: 8 }),
      fc.array(fc.tuple(fc.constantFrom('c0', 'c1'), fc.nat(9)), { maxLength: 2 }),
    );
    fc.assert(
      fc.property(arb, ([views, crashes]) => {
        // View i is made at time 10 i + 5; a crash at 10 k lies between views k-1 and k.
        const ps = views.map(([n, v], i) => probe(10 * i + 5, n, 'view', { version: v }));
        const faults = crashes.map(([n, k]) => crash(n, 10 * k));
        let want = true;
        for (let j = 0; j < views.length; j++) {
          const [n, v] = views[j] as [string, number];
          // The previous view of the same node, if no crash of that node lies between them.
          for (let i = j - 1; i >= 0; i--) {
            if ((views[i] as [string, number])[0] !== n) continue;
            const between = crashes.some(([cn, k]) => cn === n && 10 * k >= 10 * i + 5 && 10 * k <= 10 * j + 5);
            if (!between && v <= (views[i] as [string, number])[1]) want = false;
            break;
          }
        }
        expect(check.check(input(ps, { faults })).verdict).toBe(want ? 'ok' : 'violation');
      }),
      { seed: 21, numRuns: 2000 },
    );
  });
});

describe('own-answers-shown', () => {
  const check = ownAnswersShown({ probe: 'v', view: 'view', ops: ['next'] });
  const hist = [ev('invoke', 'next', 1, 'c0'), ev('ok', 'next', 10, 'c0')];
  it('holds when every answer is probed and its state shown by then', () => {
    const ps = [probe(10, 'c0', 'view', { version: 4 }), probe(10, 'c0', 'v', { expected: 3, applied: 4 })];
    expect(check.check(input(ps, { history: hist })).verdict).toBe('ok');
    // A refusal is shown too; a newer view is fine.
    const ref = [probe(9, 'c0', 'view', { version: 7 }), probe(10, 'c0', 'v', { expected: 3, rejected: 6 })];
    expect(check.check(input(ref, { history: [ev('invoke', 'next', 1, 'c0'), ev('fail', 'next', 10, 'c0')] })).verdict).toBe('ok');
  });
  it('catches an answer whose state the client did not show', () => {
    const ps = [probe(5, 'c0', 'view', { version: 2 }), probe(10, 'c0', 'v', { expected: 3, applied: 4 }), probe(11, 'c0', 'view', { version: 4 })];
    expect(check.check(input(ps, { history: hist })).verdict).toBe('violation');
    // ... and forgets what a client showed before it crashed.
    const after = [probe(5, 'c0', 'view', { version: 4 }), probe(10, 'c0', 'v', { expected: 3, applied: 4 })];
    expect(check.check(input(after, { history: hist, faults: [crash('c0', 7)] })).verdict).toBe('violation');
  });
  it('catches a completed versioned operation with no probe (an answer the expected-version check never heard of)', () => {
    expect(check.check(input([], { history: hist })).verdict).toBe('violation');
    expect(check.check(input([probe(11, 'c0', 'v', { expected: 3, applied: 4 })], { history: hist })).verdict).toBe('violation');
    // Other operations, and operations that never completed, need none.
    expect(check.check(input([], { history: [ev('invoke', 'add', 1, 'c0'), ev('ok', 'add', 2, 'c0'), ev('invoke', 'next', 3, 'c0', 1), ev('info', 'next', 9, 'c0', 1)] })).verdict).toBe('ok');
  });
});

describe('clients-converge', () => {
  const auth = ['do0', { 'Room:r0': { stateVersion: 2 } }] as const;
  it('with view: catches a client that showed states but reports no final state', () => {
    const ps = [probe(1, 'c0', 'view', { version: 1 }), probe(1, 'c1', 'view', { version: 1 })];
    const fs = new Map<string, Value>([auth, ['c0', { room: 'Room:r0', state: { stateVersion: 2 } }]]);
    expect(clientsConverge({ authority: 'do0' }).check(input(ps, { finalStates: fs })).verdict).toBe('ok');
    expect(clientsConverge({ authority: 'do0', view: 'view' }).check(input(ps, { finalStates: fs })).verdict).toBe('violation');
    fs.set('c1', { room: 'Room:r0', state: { stateVersion: 2 } });
    expect(clientsConverge({ authority: 'do0', view: 'view' }).check(input(ps, { finalStates: fs })).verdict).toBe('ok');
  });
});

describe('every-client-served', () => {
  it('catches a client none of whose operations was answered ok', () => {
    const check = everyClientServed();
    expect(check.check(input([], { history: [ev('invoke', 'add', 1, 'c0'), ev('ok', 'add', 2, 'c0')] })).verdict).toBe('ok');
    const r = check.check(input([], { history: [ev('invoke', 'add', 1, 'c0'), ev('ok', 'add', 2, 'c0'), ev('invoke', 'add', 1, 'c1', 1), ev('info', 'add', 9, 'c1', 1)] }));
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('c1');
  });
});

describe('reconnects-after-heal', () => {
  const check = socketsReopen({ socket: 's', clients: ['c0', 'c1'], within: 100 });
  const fault: FaultRecord = { kind: 'partition', at: 10, until: 50, description: 'cut' };
  it('holds when each socket is open at the heal or opens within the bound', () => {
    const ps = [probe(1, 'c0', 's', { open: true }), probe(1, 'c1', 's', { open: true }), probe(20, 'c1', 's', { open: false }), probe(120, 'c1', 's', { open: true })];
    expect(check.check(input(ps, { faults: [fault], end: 1000 })).verdict).toBe('ok');
  });
  it('catches a client that does not reopen in time, or never says it is open', () => {
    const late = [probe(1, 'c0', 's', { open: true }), probe(20, 'c1', 's', { open: false }), probe(151, 'c1', 's', { open: true })];
    expect(check.check(input(late, { faults: [fault], end: 1000 })).verdict).toBe('violation');
    const silent = [probe(1, 'c0', 's', { open: true }), probe(1, 'c1', 's', {})];
    const r = check.check(input(silent, { faults: [fault], end: 1000 }));
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('c1');
  });
  it('asks nothing when the run ends inside the window', () => {
    expect(check.check(input([], { faults: [fault], end: 120 })).verdict).toBe('ok');
  });
});
