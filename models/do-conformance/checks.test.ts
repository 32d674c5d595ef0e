import { describe, expect, it } from 'vitest';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { HistoryEvent } from '../../sim/history.ts';
import type { Value } from '../../sim/value.ts';
import { answered, dueBy, echoStreams, incLedger, readsBounded } from './checks.ts';

const probe = (time: number, node: string, name: string, detail: Value): Probe => ({ name, time, node, ok: true, detail });
const input = (probes: Probe[], extra: Partial<CheckInput> = {}): CheckInput => ({ history: [], finalStates: new Map(), probes, budget: { steps: 1_000 }, ...extra });
const fault = (kind: FaultRecord['kind'], at: number, until: number, node?: string): FaultRecord => ({ kind, at, until, description: kind, ...(node ? { node } : {}) });

// One connection `c` of client c0, as client.ts probes it.
const C = 'c0/e0/1';
const open = (t: number, c = C) => probe(t, 'c0', 'conf.open', { c, obj: 'e0' });
const sent = (t: number, i: number, k: string, more: Record<string, Value> = {}, c = C) => probe(t, 'c0', 'conf.sent', { c, i, k, ...more });
const recv = (t: number, d: Value, c = C) => probe(t, 'c0', 'conf.recv', { c, d });
const closed = (t: number, c = C) => probe(t, 'c0', 'conf.closed', { c });
const hello = (t: number, c = C) => recv(t, { t: 'hello' }, c);
const echo = (t: number, i: number) => recv(t, { t: 'echo', i });

describe('echo-streams', () => {
  const check = echoStreams({ gateSleep: 20 });
  const verdict = (ps: Probe[], extra: Partial<CheckInput> = {}) => check.check(input(ps, extra)).verdict;
  const good = [
    open(1),
    hello(2),
    sent(3, 0, 'burst', { n: 2 }),
    sent(3, 1, 'sleep', { ms: 0 }),
    sent(3, 2, 'echo'),
    recv(10, { t: 'burst', i: 0, j: 0 }),
    recv(10, { t: 'burst', i: 0, j: 1 }),
    recv(11, { t: 'slept', i: 1 }),
    echo(12, 0),
    echo(13, 2),
    sent(20, 3, 'gate'),
    echo(50, 3),
    sent(60, 4, 'timer', { ms: 0 }),
    sent(60, 5, 'close'),
    recv(65, { t: 'tick', i: 4 }),
    echo(70, 5),
    closed(71),
  ];

  it('holds for hello, ordered replies in frame order with bursts first, slept and tick anywhere once', () => {
    expect(verdict(good)).toBe('ok');
  });
  it('catches a first frame that is not hello, and hello twice', () => {
    expect(verdict([open(1), sent(3, 0, 'echo'), echo(10, 0)])).toBe('violation');
    expect(verdict([open(1), hello(2), hello(3)])).toBe('violation');
  });
  it('catches ordered replies out of order, duplicated, missing a burst frame, or for a frame never sent', () => {
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo'), sent(3, 1, 'echo'), echo(10, 1), echo(11, 0)])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo'), echo(10, 0), echo(11, 0)])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'burst', { n: 2 }), recv(10, { t: 'burst', i: 0, j: 0 }), echo(11, 0)])).toBe('violation');
    expect(verdict([open(1), hello(2), echo(10, 0)])).toBe('violation');
    // A frame sent on another connection is no frame of this one.
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo', {}, 'c0/e1/1'), echo(10, 0)])).toBe('violation');
  });
  it('catches slept or tick twice, for a frame not sent, or for a frame of the other kind', () => {
    expect(verdict([open(1), hello(2), sent(3, 0, 'sleep', { ms: 0 }), recv(10, { t: 'slept', i: 0 }), recv(11, { t: 'slept', i: 0 })])).toBe('violation');
    expect(verdict([open(1), hello(2), recv(10, { t: 'tick', i: 0 })])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'sleep', { ms: 0 }), recv(10, { t: 'tick', i: 0 })])).toBe('violation');
  });
  it('catches a frame after the connection ended, after a close frame\'s echo, or before it opened', () => {
    expect(verdict([open(1), hello(2), closed(5), sent(3, 0, 'echo'), echo(10, 0)])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'timer', { ms: 0 }), sent(3, 1, 'close'), echo(10, 1), recv(11, { t: 'tick', i: 0 })])).toBe('violation');
    expect(verdict([hello(2)])).toBe('violation');
    expect(verdict([open(5), hello(2)])).toBe('violation');
  });
  it('catches a reply sooner than its frame waits, unless a clock drifted', () => {
    const early = [open(1), hello(2), sent(3, 0, 'sleep', { ms: 5 }), recv(4000, { t: 'slept', i: 0 })];
    expect(verdict(early)).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'sleep', { ms: 5 }), recv(5003, { t: 'slept', i: 0 })])).toBe('ok');
    expect(verdict(early, { faults: [fault('drift', 0, 10, 'do0')] })).toBe('ok');
    expect(verdict([open(1), hello(2), sent(3, 0, 'gate'), echo(22, 0)])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'gate'), echo(23, 0)])).toBe('ok');
  });
  it('catches an unknown frame', () => {
    expect(verdict([open(1), hello(2), recv(3, { t: 'what' })])).toBe('violation');
  });
});

describe('answered', () => {
  const check = answered({ bound: 100, gateSleep: 20 });
  const verdict = (ps: Probe[], extra: Partial<CheckInput> = {}) => check.check(input(ps, { end: 10_000, ...extra })).verdict;

  it('holds when every promised reply arrives within the bound', () => {
    expect(verdict([open(1), hello(2), sent(3, 0, 'burst', { n: 1 }), recv(10, { t: 'burst', i: 0, j: 0 }), echo(10, 0), sent(3, 1, 'sleep', { ms: 0 }), recv(50, { t: 'slept', i: 1 })])).toBe('ok');
  });
  it('catches a missing hello, echo, slept or tick on a connection that stays open, and a late one', () => {
    expect(verdict([open(1)])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo')])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'sleep', { ms: 0 })])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'timer', { ms: 0 })])).toBe('violation');
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo'), echo(104, 0)])).toBe('violation');
    // A timer's own wait is added to the bound.
    expect(verdict([open(1), hello(2), sent(3, 0, 'timer', { ms: 1 }), recv(1050, { t: 'tick', i: 0 })])).toBe('ok');
  });
  it('asks nothing of a connection that ended first, frames after a close frame, or a run that ended first', () => {
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo'), closed(50)])).toBe('ok');
    expect(verdict([open(1), hello(2), sent(3, 0, 'close'), echo(10, 0), sent(4, 1, 'echo')])).toBe('ok');
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo')], { end: 90 })).toBe('ok');
    // A crash of the client's node ends its connections; another node's does not.
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo')], { faults: [fault('crash', 50, 60, 'c0')] })).toBe('ok');
    expect(verdict([open(1), hello(2), sent(3, 0, 'echo')], { faults: [fault('crash', 5000, 5001, 'c1')] })).toBe('violation');
  });
  it('moves the deadline past the heal of a fault that struck before it, not of one after', () => {
    const ps = [open(1), hello(2), sent(3, 0, 'echo'), echo(500, 0)];
    expect(verdict(ps)).toBe('violation');
    expect(verdict(ps, { faults: [fault('partition', 50, 450)] })).toBe('ok');
    expect(verdict(ps, { faults: [fault('partition', 200, 450)] })).toBe('violation');
    expect(dueBy(3, 0, 100, [fault('partition', 50, 450), fault('degrade', 500, 600)])).toBe(700);
  });
});

const ev = (process: number, type: HistoryEvent['type'], f: string, time: number, value: Value, key = 'e0'): HistoryEvent => ({ process, type, f, key, value, time, node: `c${process}` });
const applied = (t: number, rid: string, n: number, obj = 'e0') => probe(t, 'do0', 'conf.applied', { obj, rid, n });
const finals = (counts: Record<string, number>) => new Map<string, Value>([['do0', Object.fromEntries(Object.entries(counts).map(([o, n]) => [`Echo:${o}`, { count: n }]))]]);

describe('inc-ledger', () => {
  const check = incLedger({ applied: 'conf.applied', cls: 'Echo' });
  const verdict = (ps: Probe[], history: HistoryEvent[], counts: Record<string, number>) => check.check(input(ps, { history, finalStates: finals(counts) })).verdict;
  const hist = [ev(0, 'invoke', 'inc', 1, 'a'), ev(0, 'ok', 'inc', 20, { n: 1 }), ev(1, 'invoke', 'inc', 2, 'b', 'e1'), ev(1, 'ok', 'inc', 20, { n: 1 }, 'e1')];
  const ps = [applied(10, 'a', 1), applied(11, 'b', 1, 'e1'), applied(12, 'c', 2)];

  it('holds when ids apply once, numbered 1.. per object, acknowledged as applied, counted at the end', () => {
    expect(verdict(ps, hist, { e0: 2, e1: 1 })).toBe('ok');
  });
  it('catches an id applied twice, and numbers out of sequence (two ids with one number, a gap)', () => {
    expect(verdict([...ps, applied(13, 'a', 3)], hist, { e0: 3, e1: 1 })).toBe('violation');
    expect(verdict([applied(10, 'a', 1), applied(11, 'c', 1), applied(11, 'b', 1, 'e1')], hist, { e0: 1, e1: 1 })).toBe('violation');
    expect(verdict([applied(10, 'a', 1), applied(11, 'b', 1, 'e1'), applied(12, 'c', 3)], hist, { e0: 3, e1: 1 })).toBe('violation');
  });
  it('catches an acknowledgement never applied, with another number, another object, or before its application', () => {
    expect(verdict(ps, [...hist, ev(2, 'invoke', 'inc', 3, 'z'), ev(2, 'ok', 'inc', 30, { n: 3 })], { e0: 2, e1: 1 })).toBe('violation');
    expect(verdict(ps, [ev(0, 'invoke', 'inc', 1, 'a'), ev(0, 'ok', 'inc', 20, { n: 2 })], { e0: 2, e1: 1 })).toBe('violation');
    expect(verdict(ps, [ev(0, 'invoke', 'inc', 1, 'a', 'e1'), ev(0, 'ok', 'inc', 20, { n: 1 }, 'e1')], { e0: 2, e1: 1 })).toBe('violation');
    expect(verdict(ps, [ev(0, 'invoke', 'inc', 1, 'a'), ev(0, 'ok', 'inc', 5, { n: 1 })], { e0: 2, e1: 1 })).toBe('violation');
    // An unanswered /inc asks nothing.
    expect(verdict(ps, [ev(0, 'invoke', 'inc', 1, 'z'), ev(0, 'info', 'inc', 20, null)], { e0: 2, e1: 1 })).toBe('ok');
  });
  it('catches a final count other than the ids applied, or an object with applications and no final state', () => {
    expect(verdict(ps, hist, { e0: 1, e1: 1 })).toBe('violation');
    expect(verdict(ps, hist, { e0: 2 })).toBe('violation');
    expect(verdict(ps, hist, { e0: 2, e1: 1, e2: 1 })).toBe('violation');
  });
});

describe('reads-bounded', () => {
  const check = readsBounded({ applied: 'conf.applied' });
  const ps = [applied(10, 'a', 1), applied(20, 'b', 2), applied(30, 'x', 1, 'e1')];
  const read = (f: 'count' | 'ids', from: number, to: number, value: Value) => [ev(0, 'invoke', f, from, null), ev(0, 'ok', f, to, value)];
  const verdict = (history: HistoryEvent[]) => check.check(input(ps, { history })).verdict;

  it('holds for reads between what was applied at their start and at their answer', () => {
    expect(verdict(read('count', 15, 25, { n: 1 }))).toBe('ok');
    expect(verdict(read('count', 15, 25, { n: 2 }))).toBe('ok');
    expect(verdict(read('ids', 15, 25, { ids: ['a', 'b'] }))).toBe('ok');
    expect(verdict(read('ids', 5, 9, { ids: [] }))).toBe('ok');
    // An unanswered read asks nothing.
    expect(verdict([ev(0, 'invoke', 'count', 15, null), ev(0, 'info', 'count', 99, null)])).toBe('ok');
  });
  it('catches a count that misses an application before the read, or counts one not yet made (or another object\'s)', () => {
    expect(verdict(read('count', 21, 25, { n: 1 }))).toBe('violation');
    expect(verdict(read('count', 5, 15, { n: 2 }))).toBe('violation');
    expect(verdict(read('count', 35, 40, { n: 3 }))).toBe('violation');
    expect(verdict(read('count', 35, 40, {}))).toBe('violation');
  });
  it('catches ids that miss one applied before the read, list one not applied, or list one twice', () => {
    expect(verdict(read('ids', 21, 25, { ids: ['a'] }))).toBe('violation');
    expect(verdict(read('ids', 15, 25, { ids: ['a', 'x'] }))).toBe('violation');
    expect(verdict(read('ids', 15, 25, { ids: ['a', 'a'] }))).toBe('violation');
    expect(verdict(read('ids', 15, 25, null))).toBe('violation');
  });
});
