import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { HistoryEvent } from '../../sim/history.ts';
import type { Value } from '../../sim/value.ts';
import { channelSequence, factsProbedAtStart, failedPostsNotApplied, historyOpsKnown, postsAnswered, presenceMatches, probedMatchesFinal, reconnectBackoff, rtkFollowsCall, rtkStorageProtocol, socketOpensProbed, socketsReopen, orders, stateSentOnOpen, typingConverges, typingHeld, voiceParticipants, voiceUserKept } from './checks.ts';
import { frameHash } from '../durable-object/runtime.ts';

// Hand-made runs: checkers read only CheckInput, so these build it directly.

const p = (time: number, name: string, detail: Value, node = 'do0'): Probe => ({ name, time, node, ok: true, detail });
const fault = (kind: FaultRecord['kind'], at: number, until: number, node?: string): FaultRecord => ({ kind, at, until, description: kind, ...(node ? { node } : {}) });

/** One operation per process: [node, f, input, invokeTime, outcome, completeTime, output]. */
type Op = readonly [node: string, f: string, input: Value, at: number, outcome: 'ok' | 'fail' | 'info' | 'open', doneAt?: number, output?: Value];
const history = (ops: readonly Op[]): HistoryEvent[] => {
  const evs: HistoryEvent[] = [];
  ops.forEach(([node, f, input, at, outcome, doneAt, output], process) => {
    evs.push({ process, type: 'invoke', f, value: input, time: at, node });
    if (outcome !== 'open') evs.push({ process, type: outcome, f, value: output ?? null, time: doneAt ?? at, node });
  });
  return evs.sort((a, b) => a.time - b.time);
};

const client = (user: string, over: Record<string, Value> = {}): Value => ({ user, gone: false, waddleOpen: true, channelOpen: true, received: [], typing: [], ...over });

const input = (o: { ops?: readonly Op[]; finals?: Record<string, Value>; probes?: Probe[]; faults?: FaultRecord[]; end?: number; duration?: number }): CheckInput => ({
  history: history(o.ops ?? []),
  finalStates: new Map(Object.entries(o.finals ?? {})),
  probes: [...(o.probes ?? [])].sort((a, b) => a.time - b.time),
  budget: { steps: 1e6 },
  faults: o.faults ?? [],
  end: o.end ?? 100_000_000,
  duration: o.duration ?? o.end ?? 100_000_000,
});

describe('channelSequence', () => {
  const check = (i: CheckInput) => channelSequence().check(i);
  it('holds for unique, ordered, gapless sequences', () => {
    const i = input({ ops: [['c0', 'post', 'a', 0, 'ok', 10, 1], ['c1', 'post', 'b', 5, 'ok', 20, 2]], finals: { c0: client('u0', { received: [[1, 'a'], [2, 'b']] }) } });
    expect(check(i).verdict).toBe('ok');
  });
  it('catches a shown message that is not [sequence, messageId]', () => {
    for (const entry of [[], 'S', [0, 'a'], [1.5, 'a'], [1, 2], [1, 'a', 'x']] as Value[]) {
      const i = input({ ops: [['c0', 'post', 'a', 0, 'ok', 10, 1]], finals: { c0: client('u0', { received: [[1, 'a'], entry] }) } });
      expect(check(i).verdict, JSON.stringify(entry)).toBe('violation');
    }
  });
  it('catches a post acknowledged without a sequence', () => {
    for (const output of [null, 0, 'x', 2.5] as Value[]) {
      const i = input({ ops: [['c0', 'post', 'a', 0, 'ok', 10, output]], finals: { c0: client('u0') } });
      expect(check(i).verdict, JSON.stringify(output)).toBe('violation');
    }
  });
  it('catches two posts acknowledged with one sequence, even with one message id', () => {
    const i = input({ ops: [['c0', 'post', 'm', 0, 'ok', 10, 1], ['c0', 'post', 'm', 20, 'ok', 30, 1]], finals: { c0: client('u0', { received: [[1, 'm']] }) } });
    expect(check(i).verdict).toBe('violation');
    expect(JSON.stringify(check(i).evidence)).toContain('one sequence, two posts');
  });
  it('a failed or given-up post carries no sequence and is not asked', () => {
    const i = input({ ops: [['c0', 'post', 'a', 0, 'fail', 10, 500], ['c0', 'post', 'b', 20, 'info', 30]], finals: { c0: client('u0') } });
    expect(check(i).verdict).toBe('ok');
  });
});

describe('postsAnswered', () => {
  const check = (i: CheckInput) => postsAnswered().check(i).verdict;
  const finals = { c0: client('u0'), c1: client('u1', { gone: true }) };
  it('holds for posts answered ok within 500 ms', () => {
    expect(check(input({ ops: [['c0', 'post', 'a', 0, 'ok', 400_000, 1]], finals }))).toBe('ok');
  });
  it('catches a post that fails, is given up, or is slow with no fault', () => {
    expect(check(input({ ops: [['c0', 'post', 'a', 0, 'fail', 100_000, 404]], finals }))).toBe('violation');
    expect(check(input({ ops: [['c0', 'post', 'a', 0, 'info', 2_000_000]], finals }))).toBe('violation');
    expect(check(input({ ops: [['c0', 'post', 'a', 0, 'ok', 600_000, 1]], finals }))).toBe('violation');
  });
  it('excuses them when a fault overlaps the post', () => {
    const faults = [fault('crash', 1_500_000, 2_000_000, 'do0')];
    expect(check(input({ ops: [['c0', 'post', 'a', 1_000_000, 'info', 3_000_000]], finals, faults }))).toBe('ok');
    expect(check(input({ ops: [['c0', 'post', 'a', 1_000_000, 'ok', 2_600_000, 1]], finals, faults }))).toBe('ok');
    // A fault that healed before the post was sent excuses nothing.
    expect(check(input({ ops: [['c0', 'post', 'a', 2_500_000, 'fail', 2_600_000, 404]], finals, faults }))).toBe('violation');
  });
  it('a post never answered: only if its device crashed or left, or the run ended', () => {
    expect(check(input({ ops: [['c0', 'post', 'a', 0, 'open']], finals }))).toBe('violation');
    expect(check(input({ ops: [['c1', 'post', 'a', 0, 'open']], finals }))).toBe('ok');
    expect(check(input({ ops: [['c0', 'post', 'a', 0, 'open']], finals, faults: [fault('crash', 100, 200, 'c0')] }))).toBe('ok');
    expect(check(input({ ops: [['c0', 'post', 'a', 99_000_000, 'open']], finals }))).toBe('ok');
  });
});

describe('socketsReopen', () => {
  const check = (i: CheckInput) => socketsReopen({ after: 35_000_000 }).check(i).verdict;
  it('asks nothing when the last heal is too close to the end', () => {
    expect(check(input({ finals: { c0: client('u0', { waddleOpen: false }) }, faults: [fault('partition', 0, 70_000_000)] }))).toBe('ok');
  });
  it('catches a device on its page with a closed socket', () => {
    expect(check(input({ finals: { c0: client('u0'), c1: client('u1', { channelOpen: false }) } }))).toBe('violation');
    expect(check(input({ finals: { c0: client('u0', { voice: { open: false, inCall: false, participants: [] } }) } }))).toBe('violation');
  });
  it('a device that left is not asked; no client at all is a violation', () => {
    expect(check(input({ finals: { c0: client('u0'), c1: client('u1', { gone: true, waddleOpen: false, channelOpen: false }) } }))).toBe('ok');
    expect(check(input({ finals: {} }))).toBe('violation');
  });
});

describe('final-state checks fail when the object is missing', () => {
  it('typingConverges and voiceParticipants', () => {
    const finals = { c0: client('u0', { voice: { open: true, inCall: false, participants: [] } }), do0: {} };
    expect(typingConverges({ authority: 'do0', channel: 'general' }).check(input({ finals })).verdict).toBe('violation');
    expect(voiceParticipants({ authority: 'do0', channel: 'general' }).check(input({ finals })).verdict).toBe('violation');
    const ok = { ...finals, do0: { 'Channel:general': { typing: [] }, 'VoiceChannel:general': { participants: [] } } };
    expect(typingConverges({ authority: 'do0', channel: 'general' }).check(input({ finals: ok })).verdict).toBe('ok');
    expect(voiceParticipants({ authority: 'do0', channel: 'general' }).check(input({ finals: ok })).verdict).toBe('ok');
  });
});

describe('probedMatchesFinal', () => {
  const o = { name: 'x', probe: 'facts', authority: 'do0', object: 'Channel:general', field: 'typing' };
  const finals = (typing: Value) => ({ do0: { 'Channel:general': { typing } } });
  it('holds when the last probe is the final set (a list read as keys)', () => {
    const probes = [p(1, 'facts', { facts: {} }), p(2, 'facts', { facts: { u0: true } })];
    expect(probedMatchesFinal(o).check(input({ probes, finals: finals(['u0']) })).verdict).toBe('ok');
  });
  it('catches a last probe that differs, no probe at all, or no final state', () => {
    expect(probedMatchesFinal(o).check(input({ probes: [p(2, 'facts', { facts: { u0: true } })], finals: finals([]) })).verdict).toBe('violation');
    expect(probedMatchesFinal(o).check(input({ probes: [], finals: finals([]) })).verdict).toBe('violation');
    expect(probedMatchesFinal(o).check(input({ probes: [p(2, 'facts', { facts: {} })], finals: { do0: {} } })).verdict).toBe('violation');
    // Another node's probe is not the authority's.
    expect(probedMatchesFinal(o).check(input({ probes: [p(2, 'facts', { facts: {} }, 'do1')], finals: finals([]) })).verdict).toBe('violation');
  });
  it('compares maps of values (presence)', () => {
    const po = { ...o, object: 'Waddle:w0', field: 'presence' };
    const probes = [p(2, 'facts', { facts: { u0: 'online' } })];
    expect(probedMatchesFinal(po).check(input({ probes, finals: { do0: { 'Waddle:w0': { presence: { u0: 'online' } } } } })).verdict).toBe('ok');
    expect(probedMatchesFinal(po).check(input({ probes, finals: { do0: { 'Waddle:w0': { presence: { u0: 'offline' } } } } })).verdict).toBe('violation');
  });
});

// ---- rtkFollowsCall ---------------------------------------------------------------------------

const OBJ = 'VoiceChannel:general';
const list = (time: number, users: string[]) => p(time, 'parts', { facts: Object.fromEntries(users.map((u) => [u, true])), object: OBJ });
const rtk = (time: number, event: 'create' | 'end') => p(time, 'voice.rtk', { event, object: OBJ });
const rtkCheck = (probes: Probe[], session: boolean, faults: FaultRecord[] = []) =>
  rtkFollowsCall({ participants: 'parts', authority: 'do0' }).check(input({ probes, faults, finals: { do0: { [OBJ]: { participants: [], session } } } })).verdict;

describe('rtkFollowsCall', () => {
  it('holds for a call: session created before the first member, ended as the last leaves', () => {
    expect(rtkCheck([list(0, []), rtk(10, 'create'), list(12, ['a']), list(20, ['a', 'b']), list(30, ['b']), list(40, []), rtk(40, 'end')], false)).toBe('ok');
  });
  it('catches a member without a session, and a session ended while members remain', () => {
    expect(rtkCheck([list(0, []), list(12, ['a'])], false)).toBe('violation');
    expect(rtkCheck([rtk(10, 'create'), list(12, ['a', 'b']), list(30, ['b']), rtk(30, 'end')], false)).toBe('violation');
  });
  it('catches an emptied call that keeps its session', () => {
    expect(rtkCheck([rtk(10, 'create'), list(12, ['a']), list(40, [])], true)).toBe('violation');
  });
  it('a list emptied by a restart keeps the stored session', () => {
    const probes = [rtk(10, 'create'), list(12, ['a']), list(60, []), list(70, ['a'])];
    expect(rtkCheck(probes, true, [fault('crash', 50, 55, 'do0')])).toBe('ok');
    expect(rtkCheck(probes, true)).toBe('violation');
  });
  it('catches a final state that disagrees with the provider', () => {
    expect(rtkCheck([rtk(10, 'create'), list(12, ['a'])], false)).toBe('violation');
    expect(rtkCheck([rtk(10, 'create'), list(12, ['a']), list(40, []), rtk(40, 'end')], true)).toBe('violation');
  });

  // A correct voice object over random joins, leaves and crashes: the check always holds; the
  // same object ending the session on every departure is caught exactly when a departure leaves
  // someone in the call (brute force over the generated script).
  type Step = { kind: 'join' | 'leave' | 'crash'; user: number };
  const steps = fc.array(fc.record({ kind: fc.constantFrom<Step['kind']>('join', 'join', 'leave', 'crash'), user: fc.integer({ min: 0, max: 2 }) }), { maxLength: 30 });
  const simulate = (script: Step[], endOnEveryLeave: boolean) => {
    const probes: Probe[] = [list(0, [])];
    const faults: FaultRecord[] = [];
    const members = new Set<string>();
    let session = false;
    let t = 0;
    let leftSomeone = false;
    for (const s of script) {
      t += 100;
      const u = `u${s.user}`;
      if (s.kind === 'crash') {
        faults.push(fault('crash', t, t + 10, 'do0'));
        members.clear();
        probes.push(list(t + 20, []));
        t += 20;
      } else if (s.kind === 'join') {
        if (!session) probes.push(rtk(t, 'create'));
        session = true;
        if (!members.has(u)) {
          members.add(u);
          probes.push(list(t + 1, [...members]));
        }
      } else if (members.delete(u)) {
        probes.push(list(t, [...members]));
        if (members.size > 0) leftSomeone = true;
        if (members.size === 0 || endOnEveryLeave) {
          probes.push(rtk(t, 'end'));
          session = false;
        }
        // The mutated object rejoins nobody to a session; later joins create a new one.
      }
    }
    return { probes, faults, session, leftSomeone };
  };
  it('holds on every run of a correct object (property)', () => {
    fc.assert(
      fc.property(steps, (script) => {
        const r = simulate(script, false);
        expect(rtkCheck(r.probes, r.session, r.faults)).toBe('ok');
      }),
    );
  });
  it('catches an object that ends the session on every departure iff one left others in the call (property)', () => {
    fc.assert(
      fc.property(steps, (script) => {
        const r = simulate(script, true);
        expect(rtkCheck(r.probes, r.session, r.faults)).toBe(r.leftSomeone ? 'violation' : 'ok');
      }),
    );
  });
});

// ---- typingHeld --------------------------------------------------------------------------------

const HOLD = 3_000_000;
const typingOpts = { probe: 'typing', authority: 'do0', hold: HOLD, slack: 100_000, grace: 1_000_000, after: 6_000_000 };
const typingSet = (time: number, users: string[]) => p(time, 'typing', { facts: Object.fromEntries(users.map((u) => [u, true])) });
const held = (ops: Op[], probes: Probe[], faults: FaultRecord[] = []) =>
  typingHeld(typingOpts).check(input({ ops, probes, faults, finals: { c0: client('u0'), c1: client('u0'), c2: client('u1') } })).verdict;

describe('typingHeld', () => {
  it('holds when each keystroke restarts the window', () => {
    const ops: Op[] = [['c0', 'typing', null, 0, 'ok'], ['c0', 'typing', null, 2_000_000, 'ok']];
    expect(held(ops, [typingSet(20_000, ['u0']), typingSet(5_020_000, [])])).toBe('ok');
  });
  it('catches a window that a later keystroke did not restart, from any device of the user', () => {
    const probes = [typingSet(20_000, ['u0']), typingSet(3_020_000, [])];
    expect(held([['c0', 'typing', null, 0, 'ok'], ['c0', 'typing', null, 1_500_000, 'ok']], probes)).toBe('violation');
    expect(held([['c0', 'typing', null, 0, 'ok'], ['c1', 'typing', null, 1_500_000, 'ok']], probes)).toBe('violation');
    // Another user's keystroke is not u0's.
    expect(held([['c0', 'typing', null, 0, 'ok'], ['c2', 'typing', null, 1_500_000, 'ok']], probes)).toBe('ok');
  });
  it('does not ask about a keystroke still in flight (within grace) or one a fault may have lost', () => {
    const probes = [typingSet(20_000, ['u0']), typingSet(3_020_000, [])];
    expect(held([['c0', 'typing', null, 0, 'ok'], ['c0', 'typing', null, 2_500_000, 'ok']], probes)).toBe('ok');
    const ops: Op[] = [['c0', 'typing', null, 0, 'ok'], ['c0', 'typing', null, 1_500_000, 'ok']];
    expect(held(ops, probes, [fault('crash', 0, 500_000, 'do0')])).toBe('ok');
    expect(held(ops, probes, [fault('crash', 0, 500_000, 'do0')].map((f) => ({ ...f, at: -8_000_000, until: -7_000_000 })))).toBe('violation');
  });
  it('a keystroke the socket did not take (fail) sets nothing', () => {
    expect(held([['c0', 'typing', null, 0, 'ok'], ['c0', 'typing', null, 1_500_000, 'fail']], [typingSet(20_000, ['u0']), typingSet(3_020_000, [])])).toBe('ok');
  });

  // A channel with the restartable 3 s window, keystrokes arriving within `delay` < grace: the
  // check holds on every such run; a channel whose window is not restarted is caught exactly when
  // a keystroke fell in [expiry - hold + slack, expiry - grace] of an expiry (brute force).
  const keys = fc.array(fc.integer({ min: 0, max: 20_000_000 }), { maxLength: 12 }).map((xs) => [...new Set(xs)].sort((a, b) => a - b));
  const delay = fc.integer({ min: 1, max: 200_000 });
  const run = (sent: number[], d: number, restart: boolean) => {
    // Event simulation of the channel: arrivals set the user typing; a timer fires HOLD after an
    // arrival and clears the user; with `restart`, a new arrival cancels the pending timer.
    const probes: Probe[] = [];
    const expiries: number[] = [];
    const evs: [number, 'arrive' | 'fire', number][] = sent.map((t, i) => [t + d, 'arrive', i]);
    let on = false;
    let pending: number | undefined; // the live timer's index (restart) — every timer is live otherwise
    const fire = new Map<number, number>();
    let n = 0;
    while (evs.length > 0) {
      evs.sort((x, y) => x[0] - y[0] || (x[1] === y[1] ? 0 : x[1] === 'fire' ? -1 : 1));
      const [t, kind, id] = evs.shift() as [number, 'arrive' | 'fire', number];
      if (kind === 'arrive') {
        if (!on) probes.push(typingSet(t, ['u0']));
        on = true;
        if (restart && pending !== undefined) {
          const at = fire.get(pending);
          const i = evs.findIndex((e) => e[1] === 'fire' && e[2] === pending && e[0] === at);
          if (i >= 0) evs.splice(i, 1);
        }
        const timer = n++;
        fire.set(timer, t + HOLD);
        pending = timer;
        evs.push([t + HOLD, 'fire', timer]);
      } else if (on) {
        on = false;
        probes.push(typingSet(t, []));
        expiries.push(t);
      }
    }
    return { probes, expiries };
  };
  const opsOf = (sent: number[]): Op[] => sent.map((t) => ['c0', 'typing', null, t, 'ok'] as const);
  it('holds on every run of the restartable window (property)', () => {
    fc.assert(
      fc.property(keys, delay, (sent, d) => {
        expect(held(opsOf(sent), run(sent, d, true).probes)).toBe('ok');
      }),
    );
  });
  it('catches a window that is not restarted iff a keystroke fell inside an expiry window (property)', () => {
    fc.assert(
      fc.property(keys, delay, (sent, d) => {
        const r = run(sent, d, false);
        const oracle = r.expiries.some((e) => sent.some((t) => t >= e - HOLD + 100_000 && t <= e - 1_000_000));
        expect(held(opsOf(sent), r.probes)).toBe(oracle ? 'violation' : 'ok');
      }),
    );
  });
});

describe('presenceMatches', () => {
  const check = (presence: Record<string, Value>) =>
    presenceMatches({ authority: 'do0', waddle: 'w0' }).check(input({ finals: { c0: client('u0'), c1: client('u1', { waddleOpen: false }), do0: { 'Waddle:w0': { presence } } } })).verdict;
  it('holds when the connected user is online and the other offline', () => {
    expect(check({ u0: 'online', u1: 'offline' })).toBe('ok');
  });
  it('catches a status that is neither online nor offline, even one read as online', () => {
    expect(check({ u0: '', u1: 'offline' })).toBe('violation');
    expect(check({ u0: 'online', u1: 'away' })).toBe('violation');
  });
});

describe('historyOpsKnown', () => {
  const check = (ops: readonly Op[]) => historyOpsKnown({ ops: ['presence', 'post'] }).check(input({ ops })).verdict;
  it('holds for operations of known names, whatever their outcome', () => {
    expect(check([['c0', 'presence', null, 0, 'ok', 1], ['c0', 'post', 'm0', 5, 'info', 9], ['c1', 'post', 'm1', 5, 'open']])).toBe('ok');
  });
  it('catches an operation recorded under a blank or unknown name', () => {
    expect(check([['c0', 'presence', null, 0, 'ok', 1], ['c1', '', 'm1', 5, 'ok', 9, 1]])).toBe('violation');
    expect(check([['c1', 'typing', null, 5, 'ok', 9]])).toBe('violation');
  });
});

describe('failedPostsNotApplied', () => {
  const applied = (t: number, rid: string, sequence: number) => p(t, 'waddle.applied', { rid, sequence });
  const check = (ops: readonly Op[], probes: Probe[]) => failedPostsNotApplied({ probe: 'waddle.applied' }).check(input({ ops, probes })).verdict;
  it('holds when a failed post was never applied, and asks nothing of ok or given-up posts', () => {
    expect(check([['c0', 'post', 'm0', 0, 'fail', 50, 404], ['c0', 'post', 'm1', 100, 'ok', 150, 1], ['c1', 'post', 'm2', 100, 'info', 2100]], [applied(120, 'm1', 1), applied(600, 'm2', 2)])).toBe('ok');
  });
  it('catches a post answered as failed although its message was applied (before or after the answer)', () => {
    expect(check([['c0', 'post', 'm0', 0, 'fail', 900, null]], [applied(300, 'm0', 1)])).toBe('violation');
    expect(check([['c0', 'post', 'm0', 0, 'fail', 100, 500]], [applied(300, 'm0', 1)])).toBe('violation');
  });
});

describe('rtkStorageProtocol', () => {
  const O = 'VoiceChannel:general';
  const live = (t: number, g: string) => p(t, 'do.live', { i: O, g });
  const put = (t: number, g: string, n: number, e: [string, number | null][]) => p(t, 'do.io', { i: O, g, n, op: 'put', e });
  const done = (t: number, g: string, n: number) => p(t, 'do.done', { i: O, g, n });
  const rtk = (t: number, detail: Record<string, Value>) => p(t, 'voice.rtk', { object: O, ...detail });
  const S = `${O}-general`;
  /** A whole call in one instance: intent, provider call, session stored, call ends, session deleted. */
  const call = (g = '1.1'): Probe[] => [
    live(100, g),
    put(1000, g, 1, [['rtkPending', 7]]),
    done(1010, g, 1),
    rtk(1060, { event: 'create', sessionId: S }),
    put(1060, g, 2, [['rtkSession', 9], ['rtkPending', null]]),
    done(1070, g, 2),
    rtk(5000, { event: 'end' }),
    put(5000, g, 3, [['rtkSession', null]]),
    done(5008, g, 3),
  ];
  const check = (probes: Probe[], faults: FaultRecord[] = []) => rtkStorageProtocol().check(input({ probes, faults }));
  it('holds for the corrected protocol, and for a start that ends a session found only as an intent', () => {
    expect(check(call()).verdict).toBe('ok');
    const recovery = [
      live(100, '1.1'), put(1000, '1.1', 1, [['rtkPending', 7]]), done(1010, '1.1', 1), rtk(1060, { event: 'create', sessionId: S }), put(1060, '1.1', 2, [['rtkSession', 9], ['rtkPending', null]]),
      // The host crashes before that write completes; the next start ends the session at the provider.
      live(2000, '2.1'), rtk(2100, { event: 'end', sessionId: S, abandoned: true }), put(2100, '2.1', 1, [['rtkPending', null]]), done(2110, '2.1', 1),
      put(2500, '2.1', 2, [['rtkPending', 7]]), done(2510, '2.1', 2), rtk(2560, { event: 'create', sessionId: S }), put(2560, '2.1', 3, [['rtkSession', 9], ['rtkPending', null]]), done(2570, '2.1', 3),
    ];
    expect(check(recovery).verdict).toBe('ok');
  });
  it('catches a session created with no durable intent: none written, or its write not yet complete', () => {
    const none = call().filter((x) => !(x.time === 1000 || x.time === 1010));
    expect(check(none).verdict).toBe('violation');
    const late = call().map((x) => (x.name === 'do.done' && x.time === 1010 ? { ...x, time: 1065 } : x)).sort((a, b) => a.time - b.time);
    expect(check(late).verdict).toBe('violation');
  });
  it('catches a created session the next put does not store, or that is never stored while the instance lives', () => {
    const empty = call().map((x) => (x.name === 'do.io' && x.time === 1060 ? put(1060, '1.1', 2, []) : x));
    expect(check(empty).verdict).toBe('violation');
    const never = call().filter((x) => x.time < 1060 || (x.name === 'voice.rtk' && x.time === 1060));
    expect(check(never).verdict).toBe('violation');
    // ... unless the instance ended before it could: its node crashed after the create.
    expect(check(never, [fault('crash', 1300, 1600, 'do0')]).verdict).toBe('ok');
  });
  it('catches an ended session that storage keeps (the delete of another key, or none)', () => {
    const wrongKey = call().map((x) => (x.name === 'do.io' && x.time === 5000 ? put(5000, '1.1', 3, [['', null]]) : x));
    expect(check(wrongKey).verdict).toBe('violation');
    expect(check(call().filter((x) => x.time < 5000 || x.name === 'voice.rtk')).verdict).toBe('violation');
  });
  it('catches an end that names no session, or another than the open one', () => {
    const base = call().slice(0, 6);
    expect(check([...base, live(3000, '2.1'), rtk(3100, { event: 'end', sessionId: null, abandoned: true })]).verdict).toBe('violation');
    expect(check([...base, live(3000, '2.1'), rtk(3100, { event: 'end', sessionId: 'other', abandoned: true })]).verdict).toBe('violation');
    expect(check([...base, live(3000, '2.1'), rtk(3100, { event: 'end', sessionId: S, abandoned: true })]).verdict).toBe('ok');
  });
});

describe('factsProbedAtStart', () => {
  const check = (probes: Probe[]) => factsProbedAtStart({ starts: [{ cls: 'Waddle', probe: 'waddle.presence' }, { cls: 'VoiceChannel', probe: 'waddle.participants' }] }).check(input({ probes })).verdict;
  const live = (t: number, i: string) => p(t, 'do.live', { i, g: '1.1' });
  it('holds when every start of a listed class is probed empty at that instant', () => {
    expect(check([live(100, 'Waddle:w0'), p(100, 'waddle.presence', { facts: {} }), p(300, 'waddle.presence', { facts: { u0: 'online' } }), live(900, 'Channel:general')])).toBe('ok');
    expect(check([live(100, 'VoiceChannel:general'), p(100, 'waddle.participants', { facts: {}, object: 'VoiceChannel:general' })])).toBe('ok');
  });
  it('catches a start not probed, probed later, probed non-empty, or probed for another object', () => {
    expect(check([live(100, 'Waddle:w0'), p(300, 'waddle.presence', { facts: { u0: 'online' } })])).toBe('violation');
    expect(check([live(100, 'Waddle:w0'), p(101, 'waddle.presence', { facts: {} })])).toBe('violation');
    expect(check([live(100, 'Waddle:w0'), p(100, 'waddle.presence', { facts: { u0: 'online' } })])).toBe('violation');
    expect(check([live(100, 'Waddle:w0'), p(100, 'waddle.presence', { facts: {} }, 'do1')])).toBe('violation');
    expect(check([live(100, 'VoiceChannel:general'), p(100, 'waddle.participants', { facts: {}, object: 'VoiceChannel:other' })])).toBe('violation');
  });
});

describe('socketOpensProbed', () => {
  const check = (probes: Probe[]) => socketOpensProbed({ sockets: { waddle: 'waddle.socket.waddle', voice: 'waddle.socket.voice' } }).check(input({ probes })).verdict;
  const wsOpen = (t: number, c: string, by = 'client') => p(t, 'ws.open', { c, by }, c.split('/')[0]);
  it('holds when each client open is probed open at that instant, and closes are not asked', () => {
    expect(check([wsOpen(10, 'c0/waddle/1'), p(10, 'waddle.socket.waddle', { open: true, self: 'u0' }, 'c0'), p(50, 'waddle.socket.waddle', { open: false }, 'c0'), wsOpen(12, 'c0/channel/1'), wsOpen(11, 'c0/waddle/1', 'host')])).toBe('ok');
  });
  it('catches an open not probed, probed without open: true, or a probed open with no socket open', () => {
    expect(check([wsOpen(10, 'c0/waddle/1')])).toBe('violation');
    expect(check([wsOpen(10, 'c0/voice/1'), p(10, 'waddle.socket.voice', {}, 'c0')])).toBe('violation');
    expect(check([wsOpen(10, 'c0/voice/1'), p(10, 'waddle.socket.voice', { open: false }, 'c0')])).toBe('violation');
    expect(check([p(10, 'waddle.socket.waddle', { open: true, self: 'u0' }, 'c0')])).toBe('violation');
    expect(check([wsOpen(10, 'c0/waddle/1'), p(10, 'waddle.socket.waddle', { open: true }, 'c1')])).toBe('violation');
  });
});

describe('reconnectBackoff', () => {
  const S = 1_000_000;
  const check = (probes: Probe[], o: { faults?: FaultRecord[]; finals?: Record<string, Value>; end?: number } = {}) =>
    reconnectBackoff({ connect: 'waddle.connect', sockets: { waddle: 'waddle.socket.waddle', voice: 'waddle.socket.voice' }, base: S, cap: 30 * S }).check(input({ probes, ...o })).verdict;
  const conn = (t: number, socket: Value = 'waddle', node = 'c0') => p(t, 'waddle.connect', { socket }, node);
  const open = (t: number, node = 'c0') => p(t, 'waddle.socket.waddle', { open: true, self: 'u0' }, node);
  const close = (t: number, node = 'c0') => p(t, 'waddle.socket.waddle', { open: false }, node);
  /** An outage: the socket closes at 10 s, attempts fail at 1, 2, 4, ... s, capped at 30 s; then it opens. */
  const outage = (delays: number[]): Probe[] => {
    const out = [conn(0), open(50_000), close(10 * S)];
    let t = 10 * S;
    delays.forEach((d, i) => {
      t += d;
      out.push(conn(t));
      out.push(i === delays.length - 1 ? open(t + 40_000) : close(t + 3 * S));
      if (i < delays.length - 1) t += 3 * S;
    });
    return out;
  };
  const doc = [1, 2, 4, 8, 16, 30, 30].map((x) => x * S);
  it('holds for min(1 s * 2^n, 30 s) after each close, counting again after an open', () => {
    expect(check(outage(doc))).toBe('ok');
    expect(check([...outage([S, 2 * S]), close(40 * S), conn(41 * S), open(41 * S + 30_000)])).toBe('ok');
  });
  it('catches a backoff that shrinks, grows past the cap, or does not grow', () => {
    expect(check(outage([1, 0.5, 0.25].map((x) => x * S)))).toBe('violation');
    expect(check(outage([1, 2, 4, 8, 16, 32].map((x) => x * S)))).toBe('violation');
    expect(check(outage([S, S, S]))).toBe('violation');
  });
  it('does not ask a delay a fault of that client struck, and a restarted page counts from 0', () => {
    const bad = outage([S, 0.5 * S]);
    expect(check(bad, { faults: [fault('pause', 14 * S, 14.2 * S, 'c0')] })).toBe('ok');
    expect(check(bad, { faults: [fault('pause', 14 * S, 14.2 * S, 'c1')] })).toBe('violation');
    // The page crashes after a close and starts again: its first attempt is a start, not a reconnect.
    expect(check([conn(0), open(50_000), close(10 * S), conn(12 * S), open(12 * S + 40_000), close(20 * S), conn(21 * S)], { faults: [fault('crash', 11 * S, 12 * S, 'c0')] })).toBe('ok');
  });
  it('catches a close never followed by an attempt, a reopen with no attempt, and an attempt of no known socket', () => {
    expect(check([conn(0), open(50_000), close(10 * S)], { end: 20 * S, finals: { c0: client('u0') } })).toBe('violation');
    // ... but not from a device that left its page, nor when the run ends before the attempt is due.
    expect(check([conn(0), open(50_000), close(10 * S)], { end: 20 * S, finals: { c0: client('u0', { gone: true }) } })).toBe('ok');
    expect(check([conn(0), open(50_000), close(10 * S)], { end: 10.5 * S, finals: { c0: client('u0') } })).toBe('ok');
    expect(check([conn(0), open(50_000), close(10 * S), open(11 * S + 40_000)])).toBe('violation');
    expect(check([conn(0, null), open(50_000)])).toBe('violation');
    expect(check([conn(0, 'phone'), open(50_000)])).toBe('violation');
  });
});

describe('voiceUserKept', () => {
  const O = 'VoiceChannel:general';
  const JOIN = { type: 'voice_join', channelId: 'general' };
  const LEAVE = { type: 'voice_leave', channelId: 'general' };
  const check = (probes: Probe[]) =>
    voiceUserKept({ participants: 'waddle.participants', join: JOIN, leave: LEAVE }).check(input({ probes, finals: { c0: client('u0'), c1: client('u0'), c2: client('u1') } }));
  const rx = (t: number, c: string, frame: Value) => p(t, 'ws.rx', { c, by: 'host', s: 1, h: frameHash(frame) });
  const end = (t: number, c: string) => p(t, 'ws.end', { c, by: 'host', why: 'close' });
  const event = (t: number, n: number) => p(t, 'do.event', { i: O, g: '1.1', n, e: 'message' });
  const run = (t: number, n: number) => p(t, 'do.run', { i: O, g: '1.1', n });
  const list = (t: number, users: string[]) => p(t, 'waddle.participants', { facts: Object.fromEntries(users.map((u) => [u, true])), object: O });
  /** u0 joins from a laptop (c0) and a phone (c1); the phone leaves at 5 s (event 3, handled at 5.01 s). */
  const twoDevices = (): Probe[] => [
    p(0, 'do.live', { i: O, g: '1.1' }), list(0, []),
    rx(1000, 'c0/voice/1', JOIN), event(1000, 1), run(1000, 1), list(1000, ['u0']),
    rx(1100, 'c1/voice/1', JOIN), event(1100, 2), run(1100, 2), list(1100, ['u0']),
    rx(5000, 'c1/voice/1', LEAVE), event(5000, 3),
  ];
  it('holds when the user stays while the laptop is in the call, and goes with its last socket', () => {
    expect(check([...twoDevices(), run(5010, 3), list(5010, ['u0'])]).verdict).toBe('ok');
    const last = [...twoDevices(), run(5010, 3), end(6000, 'c0/voice/1'), event(6000, 4), run(6000, 4), list(6000, [])];
    expect(check(last).verdict).toBe('ok');
  });
  it('catches a user removed by one device\'s leave while the other is in the call', () => {
    const r = check([...twoDevices(), run(5010, 3), list(5010, [])]);
    expect(r.verdict).toBe('violation');
    expect(JSON.stringify(r.evidence)).toContain('c0/voice/1');
  });
  it('does not ask about a join that arrived after the removing event, nor a restarted instance', () => {
    // The laptop's join arrives at 5.005 s, after the phone's leave (5 s): handled after it.
    const late = [
      p(0, 'do.live', { i: O, g: '1.1' }), rx(1100, 'c1/voice/1', JOIN), event(1100, 2), run(1100, 2), list(1100, ['u0']),
      rx(5000, 'c1/voice/1', LEAVE), event(5000, 3), rx(5005, 'c0/voice/1', JOIN), event(5005, 4), run(5010, 3), list(5010, []),
    ];
    expect(check(late).verdict).toBe('ok');
    const restart = [...twoDevices(), p(7000, 'do.live', { i: O, g: '2.1' }), list(7000, [])];
    expect(check(restart).verdict).toBe('ok');
  });
});

describe('stateSentOnOpen', () => {
  const frames = (facts: { readonly [k: string]: Value }): Value[] => [{ type: 'participants', users: Object.keys(facts).sort() }];
  const check = (probes: Probe[]) => stateSentOnOpen({ tag: 'voice', probe: 'waddle.participants', frames }).check(input({ probes })).verdict;
  const list = (t: number, users: string[]) => p(t, 'waddle.participants', { facts: Object.fromEntries(users.map((u) => [u, true])), object: 'VoiceChannel:general' });
  const open = (t: number, c: string) => p(t, 'ws.open', { c, by: 'host', rto: 200_000, hb: 1_000_000 });
  const tx = (t: number, c: string, s: number, users: string[] | Value) => p(t, 'ws.tx', { c, by: 'host', s, h: frameHash(Array.isArray(users) ? { type: 'participants', users } : users) });
  it('holds when each voice open is sent the current list first, at once', () => {
    expect(check([list(0, []), open(10, 'c0/voice/1'), tx(10, 'c0/voice/1', 1, []), list(500, ['u0']), tx(500, 'c0/voice/1', 2, ['u0']), open(900, 'c1/voice/1'), tx(900, 'c1/voice/1', 1, ['u0'])])).toBe('ok');
    // Other sockets are not asked.
    expect(check([list(0, ['u0']), open(10, 'c0/channel/1'), tx(300, 'c0/channel/1', 1, { type: 'typing', users: [] })])).toBe('ok');
  });
  it('catches an open sent a stale list, another frame, its first frame later, or none while the host goes on', () => {
    expect(check([list(0, ['u0']), open(10, 'c1/voice/1'), tx(10, 'c1/voice/1', 1, [])])).toBe('violation');
    expect(check([list(0, ['u0']), open(10, 'c1/voice/1'), tx(10, 'c1/voice/1', 1, {})])).toBe('violation');
    expect(check([list(0, ['u0']), open(10, 'c1/voice/1'), list(400, ['u0', 'u1']), tx(400, 'c1/voice/1', 1, ['u0', 'u1'])])).toBe('violation');
    expect(check([list(0, ['u0']), open(10, 'c1/voice/1'), open(20, 'c0/voice/1'), tx(20, 'c0/voice/1', 1, ['u0'])])).toBe('violation');
  });
});

describe('stateSentOnOpen after a replay (the channel\'s typing set)', () => {
  const frames = (facts: { readonly [k: string]: Value }): Value[] => orders(Object.keys(facts)).map((users) => ({ type: 'typing', users }));
  const check = (probes: Probe[]) => stateSentOnOpen({ tag: 'channel', probe: 'waddle.typing', sentAt: 'replay', frames }).check(input({ probes })).verdict;
  const typing = (t: number, users: string[]) => p(t, 'waddle.typing', { facts: Object.fromEntries(users.map((u) => [u, true])) });
  const open = (t: number, c: string) => p(t, 'ws.open', { c, by: 'host', rto: 200_000, hb: 1_000_000 });
  const tx = (t: number, c: string, s: number, frame: Value) => p(t, 'ws.tx', { c, by: 'host', s, h: frameHash(frame) });
  const msg = { type: 'message', sequence: 3, messageId: 'c1-m0' };
  it('holds when the first instant of frames (replayed messages, then the set in any order) carries the set', () => {
    expect(orders(['a', 'b', 'c'])).toHaveLength(6);
    expect(check([typing(0, ['u1', 'u2']), open(10, 'c0/channel/1'), tx(15, 'c0/channel/1', 1, msg), tx(15, 'c0/channel/1', 2, { type: 'typing', users: ['u2', 'u1'] }), tx(900, 'c0/channel/1', 3, msg)])).toBe('ok');
    // A socket the host ended before anything was sent is not asked.
    expect(check([typing(0, []), open(10, 'c0/channel/1'), p(12, 'ws.end', { c: 'c0/channel/1', by: 'host' }), tx(20, 'c1/channel/1', 1, msg)])).toBe('ok');
  });
  it('catches an open whose first frames lack the set, carry another, or that is sent nothing while the host goes on', () => {
    expect(check([typing(0, ['u1']), open(10, 'c0/channel/1'), tx(15, 'c0/channel/1', 1, msg), tx(900, 'c0/channel/1', 2, { type: 'typing', users: ['u1'] })])).toBe('violation');
    expect(check([typing(0, ['u1']), open(10, 'c0/channel/1'), tx(15, 'c0/channel/1', 1, { type: 'typing', users: [] })])).toBe('violation');
    expect(check([typing(0, ['u1']), open(10, 'c0/channel/1'), tx(15, 'c0/channel/1', 1, {})])).toBe('violation');
    expect(check([typing(0, []), open(10, 'c0/channel/1'), tx(20, 'c1/channel/1', 1, msg)])).toBe('violation');
  });
  it('does not ask an open the host lost in a crash before sending', () => {
    const probes = [typing(0, []), open(10, 'c0/channel/1'), tx(900, 'c1/channel/2', 1, msg)];
    expect(stateSentOnOpen({ tag: 'channel', probe: 'waddle.typing', sentAt: 'replay', frames }).check(input({ probes, faults: [fault('crash', 12, 500, 'do0')] })).verdict).toBe('ok');
  });
});
