import { describe, expect, it } from 'vitest';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { Value } from '../../sim/value.ts';
import { appliedAtExpectedVersion, freshWithin, noPhantomState } from './view-checks.ts';

// Hand-made probe lists for the three versioned view checks: each case is a story a reviewer
// can read, and the verdict it must get.

const probe = (time: number, node: string, name: string, detail: Value): Probe => ({ name, time, node, ok: true, detail });
const input = (probes: Probe[], extra: Partial<CheckInput> = {}): CheckInput => ({
  history: [],
  finalStates: new Map(),
  probes,
  budget: { steps: 1_000 },
  ...extra,
});

describe('expected-version', () => {
  const check = appliedAtExpectedVersion({ probe: 'v' });
  it('holds when every ok lands at expected + 1 and every refusal carries another version', () => {
    const r = check.check(input([probe(1, 'c0', 'v', { expected: 3, applied: 4 }), probe(2, 'c1', 'v', { expected: 3, rejected: 4 })]));
    expect(r.verdict).toBe('ok');
    expect(r.summary).toContain('1 versioned commands applied');
    expect(r.summary).toContain('1 rejected');
  });
  it('catches a command applied at another version', () => {
    expect(check.check(input([probe(1, 'c0', 'v', { expected: 3, applied: 6 })])).verdict).toBe('violation');
  });
  it('catches a refusal at the very version the command expected (an authority that refuses everything)', () => {
    const r = check.check(input([probe(1, 'c0', 'v', { expected: 3, rejected: 3 })]));
    expect(r.verdict).toBe('violation');
    expect(r.summary).toContain('rejected at its expected version');
  });
  it('catches a refusal that carries no state', () => {
    expect(check.check(input([probe(1, 'c0', 'v', { expected: 3, rejected: null })])).verdict).toBe('violation');
  });
});

describe('no-phantom-state', () => {
  const check = noPhantomState({ authority: 'a', view: 'w', initial: 'empty' });
  it('accepts the initial state and states the authority made durable before the client showed them', () => {
    const r = check.check(input([probe(0, 'c0', 'w', { version: 0, state: 'empty' }), probe(5, 'do', 'a', { version: 1, state: 's1' }), probe(7, 'c0', 'w', { version: 1, state: 's1' })]));
    expect(r.verdict).toBe('ok');
  });
  it('catches a state shown before the authority had it durably', () => {
    expect(check.check(input([probe(4, 'c0', 'w', { version: 1, state: 's1' }), probe(5, 'do', 'a', { version: 1, state: 's1' })])).verdict).toBe('violation');
  });
  it('catches a version shown with other contents than the authority had (a lost write, re-made differently)', () => {
    expect(check.check(input([probe(5, 'do', 'a', { version: 1, state: 's1' }), probe(7, 'c0', 'w', { version: 1, state: 'other' })])).verdict).toBe('violation');
  });
  it('accepts either history of a version the authority made twice (once lost in a crash, then again)', () => {
    const p = [probe(5, 'do', 'a', { version: 1, state: 's1' }), probe(9, 'do', 'a', { version: 1, state: 's1b' }), probe(10, 'c0', 'w', { version: 1, state: 's1' }), probe(11, 'c1', 'w', { version: 1, state: 's1b' })];
    expect(check.check(input(p)).verdict).toBe('ok');
  });
});

describe('fresh-within', () => {
  const check = freshWithin({ authority: 'a', view: 'w', socket: 's', bound: 100 });
  const open = (t: number, node: string) => probe(t, node, 's', { open: true });
  const close = (t: number, node: string) => probe(t, node, 's', { open: false });
  const commit = (t: number, v: number) => probe(t, 'do', 'a', { version: v, state: v });
  const view = (t: number, node: string, v: number) => probe(t, node, 'w', { version: v, state: v });

  it('holds when a connected client shows each version within the bound', () => {
    expect(check.check(input([open(0, 'c0'), commit(10, 1), view(60, 'c0', 1)], { end: 1_000 })).verdict).toBe('ok');
  });
  it('catches a connected client that shows the version only after the bound', () => {
    const r = check.check(input([open(0, 'c0'), commit(10, 1), view(111, 'c0', 1)], { end: 1_000 }));
    expect(r.verdict).toBe('violation');
    expect(r.evidence).toMatchObject({ stale: [{ node: 'c0', version: 1 }] });
  });
  it('does not ask a client whose socket closed within the window, or was not open', () => {
    expect(check.check(input([open(0, 'c0'), commit(10, 1), close(50, 'c0'), commit(200, 2), view(900, 'c0', 2)], { end: 1_000 })).verdict).toBe('ok');
  });
  it('does not ask a client the fault record shows crashed or paused in the window', () => {
    const paused: FaultRecord = { kind: 'pause', at: 20, until: 80, description: 'pause c0', node: 'c0' };
    expect(check.check(input([open(0, 'c0'), commit(10, 1)], { end: 1_000, faults: [paused] })).verdict).toBe('ok');
    const other: FaultRecord = { ...paused, node: 'c1' };
    expect(check.check(input([open(0, 'c0'), commit(10, 1)], { end: 1_000, faults: [other] })).verdict).toBe('violation');
  });
  it('does not judge a window the end of the run cuts short', () => {
    expect(check.check(input([open(0, 'c0'), commit(950, 1)], { end: 1_000 })).verdict).toBe('ok');
  });
});
