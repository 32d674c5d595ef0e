import { describe, expect, it } from 'vitest';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { HistoryEvent } from '../../sim/history.ts';
import type { Value } from '../../sim/value.ts';
import { answered, closeHandled, dueBy, echoStreams, framesHandled, httpAnswered, incLedger, noEvictWhileRunning, readsBounded } from './checks.ts';

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
  it('does not judge the final count of an object still loading it (its init after a cold start)', () => {
    const loading = new Map<string, Value>([['do0', { 'Echo:e0': { count: 0, loading: true }, 'Echo:e1': { count: 1 } }]]);
    expect(check.check(input(ps, { history: hist, finalStates: loading })).verdict).toBe('ok');
    const stale = new Map<string, Value>([['do0', { 'Echo:e0': { count: 0 }, 'Echo:e1': { count: 1 } }]]);
    expect(check.check(input(ps, { history: hist, finalStates: stale })).verdict).toBe('violation');
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

// The host's side of connection C as the runtime probes it (WS_PROBE, by: 'host'), and the object's probes.
const hostOpen = (t: number, c = C) => probe(t, 'do0', 'ws.open', { c, by: 'host', rto: 200_000, hb: 1_000_000 });
const hostRx = (t: number, s: number, c = C) => probe(t, 'do0', 'ws.rx', { c, by: 'host', s, h: 0 });
const hostEnd = (t: number, why: string, last?: number, c = C) => probe(t, 'do0', 'ws.end', { c, by: 'host', why, tx: 0, rx: 0, ...(last === undefined ? {} : { last }) });
const clientRx = (t: number, s: number, c = C) => probe(t, 'c0', 'ws.rx', { c, by: 'client', s, h: 0 });
const got = (t: number, i: number, c = C) => probe(t, 'do0', 'conf.got', { c, i });
const closedHandler = (t: number, c = C) => probe(t, 'do0', 'conf.closed-handler', { c });
const hangup = (t: number, n: number, c = C) => probe(t, 'c0', 'conf.hangup', { c, n });

describe('echo-streams with the other checks\' probes', () => {
  const ps = [open(1), hello(2), sent(3, 0, 'echo'), got(4, 0), echo(10, 0), hangup(11, 1), closed(11), closedHandler(12)];
  it('counts a probe another check reads as no stray, and any other unknown one as a stray', () => {
    expect(echoStreams({ gateSleep: 20, others: ['conf.got', 'conf.hangup', 'conf.closed-handler'] }).check(input(ps)).verdict).toBe('ok');
    expect(echoStreams({ gateSleep: 20, others: ['conf.got', 'conf.hangup'] }).check(input(ps)).verdict).toBe('violation');
  });
});

describe('frames-handled', () => {
  const check = framesHandled({ got: 'conf.got', bound: 100 });
  const verdict = (ps: Probe[], extra: Partial<CheckInput> = {}) => check.check(input(ps, extra)).verdict;
  // Frames 0, 1 (seq 1, 2) on C, delivered and handled in order.
  const base = [hostOpen(1), open(2), sent(3, 0, 'echo'), sent(3, 1, 'gate')];

  it('holds when each delivered frame is handled once, at or after its delivery', () => {
    expect(verdict([...base, hostRx(10, 1), got(10, 0), hostRx(12, 2), got(30, 1)])).toBe('ok');
    // Frames a clean client close left queued are still handled after the host side ended.
    expect(verdict([...base, hostRx(10, 1), hostRx(10, 2), hostEnd(10, 'peer', 2), got(11, 0), got(15, 1)])).toBe('ok');
    // A frame sent and never delivered asks nothing.
    expect(verdict([...base, hostRx(10, 1), got(10, 0)])).toBe('ok');
  });
  it('catches a delivered frame never handled, even behind the client\'s clean close', () => {
    expect(verdict([...base, hostRx(10, 1), got(10, 0), hostRx(12, 2)])).toBe('violation');
    expect(verdict([...base, hostRx(10, 1), hostRx(10, 2), hostEnd(10, 'peer', 2), got(11, 0)])).toBe('violation');
  });
  it('catches a frame handled twice, before its delivery, with another frame\'s i, or never delivered', () => {
    expect(verdict([...base, hostRx(10, 1), got(10, 0), got(11, 0)])).toBe('violation');
    expect(verdict([...base, got(5, 0), hostRx(10, 1)])).toBe('violation');
    expect(verdict([...base, hostRx(10, 1), got(10, 1)])).toBe('violation');
    expect(verdict([...base, hostRx(10, 1), got(10, 0), got(12, 1)])).toBe('violation');
    // Another connection's frame is not this one's.
    expect(verdict([...base, hostRx(10, 1), got(10, 0, 'c0/e1/1')])).toBe('violation');
  });
  it('catches a delivered frame the client never reported sent', () => {
    expect(verdict([...base, hostRx(10, 1), got(10, 0), hostRx(11, 2), got(11, 1), hostRx(12, 3)])).toBe('violation');
  });
  it('excuses a frame whose host crashed or restarted after its delivery, or delivered near the end', () => {
    const lost = [...base, hostRx(10, 1), got(10, 0), hostRx(12, 2)];
    expect(verdict(lost, { faults: [fault('crash', 12, 50, 'do0')] })).toBe('ok');
    expect(verdict(lost, { faults: [fault('restart', 40, 40, 'do0')] })).toBe('ok');
    expect(verdict(lost, { faults: [fault('crash', 5, 8, 'do0')] })).toBe('violation');
    expect(verdict(lost, { faults: [fault('crash', 20, 30, 'c0')] })).toBe('violation');
    expect(verdict(lost, { end: 100 })).toBe('ok');
    expect(verdict(lost, { end: 112 })).toBe('violation');
  });
  it('lets the host\'s own close or timeout drop a tail of queued frames, never one before a handled frame', () => {
    const tail = [...base, hostRx(10, 1), got(10, 0), hostRx(12, 2), hostEnd(13, 'app')];
    expect(verdict(tail)).toBe('ok');
    expect(verdict([...base, hostRx(10, 1), hostRx(12, 2), hostEnd(13, 'timeout')])).toBe('ok');
    expect(verdict([...base, hostRx(10, 1), hostRx(12, 2), got(14, 1), hostEnd(13, 'app')])).toBe('violation');
    // An eviction leaves nothing queued (the instance is idle when it goes): no drop.
    expect(verdict([...base, hostRx(10, 1), got(10, 0), hostRx(12, 2), hostEnd(13, 'evict')])).toBe('violation');
  });
});

describe('close-handled', () => {
  const check = closeHandled({ closedHandler: 'conf.closed-handler', bound: 100 });
  const verdict = (ps: Probe[], extra: Partial<CheckInput> = {}) => check.check(input(ps, extra)).verdict;

  it('holds when webSocketClose runs once after each close or timeout, and never after an eviction', () => {
    for (const why of ['app', 'peer', 'timeout']) expect(verdict([hostOpen(1), hostEnd(20, why, 0), closedHandler(20)])).toBe('ok');
    expect(verdict([hostOpen(1), hostEnd(20, 'evict')])).toBe('ok');
    // A client's side ending is not the host's.
    expect(verdict([hostOpen(1), probe(20, 'c0', 'ws.end', { c: C, by: 'client', why: 'app', tx: 0, rx: 0 })])).toBe('ok');
  });
  it('catches a close handler that never runs, runs twice, or runs before the end', () => {
    for (const why of ['app', 'peer', 'timeout']) expect(verdict([hostOpen(1), hostEnd(20, why, 0)])).toBe('violation');
    expect(verdict([hostOpen(1), hostEnd(20, 'peer', 0), closedHandler(21), closedHandler(30)])).toBe('violation');
    expect(verdict([hostOpen(1), closedHandler(10), hostEnd(20, 'app')])).toBe('violation');
  });
  it('catches a close handler after an eviction, for a connection never opened, or never ended', () => {
    expect(verdict([hostOpen(1), hostEnd(20, 'evict'), closedHandler(21)])).toBe('violation');
    expect(verdict([closedHandler(21)])).toBe('violation');
    expect(verdict([hostOpen(1), closedHandler(21)])).toBe('violation');
  });
  it('excuses a missing handler when the host crashed or restarted after the end, or the end came near the run\'s end', () => {
    const ps = [hostOpen(1), hostEnd(20, 'app')];
    expect(verdict(ps, { faults: [fault('crash', 20, 40, 'do0')] })).toBe('ok');
    expect(verdict(ps, { faults: [fault('crash', 10, 15, 'do0')] })).toBe('violation');
    expect(verdict(ps, { end: 110 })).toBe('ok');
    expect(verdict(ps, { end: 130 })).toBe('violation');
  });
});

describe('http-answered', () => {
  const check = httpAnswered({ sent: 'conf.http-sent', res: 'conf.http-res', bound: 100 });
  const sentAt = (t: number, rid: string, node = 'c0') => probe(t, node, 'conf.http-sent', { rid });
  const res = (t: number, rid: string, node = 'c0') => probe(t, node, 'conf.http-res', { rid, status: 200 });
  const verdict = (ps: Probe[], extra: Partial<CheckInput> = {}) => check.check(input(ps, { end: 1_000, ...extra })).verdict;
  it('holds when every attempt is answered in time, a late retry included', () => {
    expect(verdict([sentAt(10, 'r1#1'), res(50, 'r1#1'), sentAt(60, 'r2#1'), sentAt(90, 'r2#2'), res(120, 'r2#1'), res(130, 'r2#2')])).toBe('ok');
  });
  it('catches an attempt never answered, though its retry was', () => {
    expect(verdict([sentAt(10, 'r1#1'), sentAt(60, 'r1#2'), res(70, 'r1#2')])).toBe('violation');
  });
  it('catches an answer too late, or on another client', () => {
    expect(verdict([sentAt(10, 'r1#1'), res(200, 'r1#1')])).toBe('violation');
    expect(verdict([sentAt(10, 'r1#1'), res(50, 'r1#1', 'c1')])).toBe('violation');
  });
  it('is not asked while a fault is in the way, or past the end of the run', () => {
    expect(verdict([sentAt(10, 'r1#1')], { faults: [fault('degrade', 50, 60)] })).toBe('ok');
    expect(verdict([sentAt(950, 'r1#1')])).toBe('ok');
  });
});

describe('no-evict-while-running', () => {
  const check = noEvictWhileRunning({ got: 'conf.got' });
  const got = (t: number, i: number, c = C) => probe(t, 'do0', 'conf.got', { c, i });
  const evicted = (t: number, c: string) => probe(t, 'do0', 'ws.end', { c, by: 'host', why: 'evict', tx: 0, rx: 0 });
  // A 1000 ms sleep on C, and a second connection D to the same object.
  const D = 'c1/e0/1';
  const story = [open(0), probe(0, 'c1', 'conf.open', { c: D, obj: 'e0' }), sent(10, 0, 'sleep', { ms: 1 }), got(20, 0)];
  it('holds when the object is evicted only after the sleep is over', () => {
    const r = check.check(input([...story, evicted(1_020, C), evicted(1_020, D)]));
    expect(r.verdict).toBe('ok');
    expect(r.summary).toContain('1 sleeping handlers');
  });
  it('catches an eviction of the object under the sleeping handler, seen on any of its connections', () => {
    expect(check.check(input([...story, evicted(500, C)])).summary).toContain('eviction(s) under a running handler');
    expect(check.check(input([...story, evicted(500, D)])).verdict).toBe('violation');
  });
  it('does not count another object\'s eviction, or other frames\' handlers', () => {
    const other = [...story, probe(0, 'c1', 'conf.open', { c: 'c1/e1/1', obj: 'e1' }), evicted(500, 'c1/e1/1')];
    expect(check.check(input(other)).verdict).toBe('ok');
    expect(check.check(input([open(0), sent(10, 0, 'echo'), got(20, 0), evicted(21, C)])).verdict).toBe('ok');
  });
});
