import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../../sim/faults.ts';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import { canonicalJson, type Value } from '../../sim/value.ts';
import { factFreshWithin, type FactOptions, noPhantomEntries, staleFacts } from './view-checks.ts';

const OPTS: FactOptions = { authority: 'auth', view: 'view', socket: 'sock', bound: 10 };

const p = (time: number, node: string, name: string, detail: Value): Probe => ({ name, time, node, ok: true, detail });
const auth = (time: number, facts: Record<string, Value>) => p(time, 'do0', 'auth', { facts });
const view = (time: number, node: string, facts: Record<string, Value>, self?: string) => p(time, node, 'view', { facts, ...(self ? { self } : {}) });
const sock = (time: number, node: string, open: boolean) => p(time, node, 'sock', { open });

const input = (probes: Probe[], faults: FaultRecord[] = [], end = 100): CheckInput => ({
  history: [],
  finalStates: new Map(),
  probes: [...probes].sort((a, b) => a.time - b.time),
  budget: { steps: 1e6 },
  faults,
  end,
});
const fault = (kind: FaultRecord['kind'], node: string, at: number, until: number): FaultRecord => ({ kind, node, at, until, description: `${kind} ${node}` });

const verdict = (i: CheckInput, o: FactOptions = OPTS) => factFreshWithin(o).check(i).verdict;

describe('factFreshWithin', () => {
  it('holds when a connected client shows each change within the bound', () => {
    const i = input([auth(0, {}), sock(1, 'c0', true), auth(20, { u1: 'online' }), view(25, 'c0', { u1: 'online' }), auth(50, { u1: 'offline' }), view(59, 'c0', { u1: 'offline' })]);
    expect(verdict(i)).toBe('ok');
  });

  it('catches a stale client that never shows the change', () => {
    const i = input([auth(0, {}), sock(1, 'c0', true), sock(1, 'c1', true), auth(20, { u1: 'online' }), view(25, 'c0', { u1: 'online' })]);
    const stale = staleFacts(i, OPTS);
    expect(stale.map((s) => [s.node, s.key, s.at])).toEqual([['c1', 'u1', 30]]);
    expect(verdict(i)).toBe('violation');
  });

  it('catches a client that recovers, but later than the bound', () => {
    const i = input([auth(0, {}), sock(1, 'c0', true), auth(20, { u1: 'online' }), view(35, 'c0', { u1: 'online' })]);
    expect(staleFacts(i, OPTS).map((s) => [s.node, s.at, s.shows])).toEqual([['c0', 30, undefined]]);
  });

  it('catches a client that showed the fact and then lost it while it still held', () => {
    const i = input([auth(0, {}), sock(1, 'c0', true), auth(20, { u1: 'online' }), view(25, 'c0', { u1: 'online' }), view(60, 'c0', {})]);
    expect(staleFacts(i, OPTS).map((s) => [s.at, s.shows])).toEqual([[60, undefined]]);
  });

  it('asks a client that connects late to catch up within the bound of its open', () => {
    const late = input([auth(0, { u1: 'online' }), sock(40, 'c0', true), view(55, 'c0', { u1: 'online' })]);
    expect(staleFacts(late, OPTS).map((s) => s.at)).toEqual([50]);
    const inTime = input([auth(0, { u1: 'online' }), sock(40, 'c0', true), view(49, 'c0', { u1: 'online' })]);
    expect(verdict(inTime)).toBe('ok');
  });

  it('does not ask a client whose socket closed within the window', () => {
    const i = input([auth(0, {}), sock(1, 'c0', true), auth(20, { u1: 'online' }), sock(27, 'c0', false)]);
    expect(verdict(i)).toBe('ok');
    // ... but asks it again a bound after it reopened.
    const again = input([auth(0, {}), sock(1, 'c0', true), auth(20, { u1: 'online' }), sock(27, 'c0', false), sock(40, 'c0', true)]);
    expect(staleFacts(again, OPTS).map((s) => s.at)).toEqual([50]);
  });

  it('does not ask a client struck by a crash or a pause in the window; a crash also ends its page', () => {
    const probes = [auth(0, {}), sock(1, 'c0', true), auth(20, { u1: 'online' })];
    expect(verdict(input(probes, [fault('pause', 'c0', 22, 24)]))).toBe('violation'); // asked again from 24 + 10
    expect(staleFacts(input(probes, [fault('pause', 'c0', 22, 24)]), OPTS).map((s) => s.at)).toEqual([35]);
    // Crashed at 22 and never reopened: its pre-crash "open" does not count after the crash.
    expect(verdict(input(probes, [fault('crash', 'c0', 22, 30)]))).toBe('ok');
  });

  it('asks nothing while the authority is down after a crash, until it probes again', () => {
    const probes = [auth(0, { u1: 'online' }), sock(1, 'c0', true), view(2, 'c0', { u1: 'online' })];
    // The host crashes at 5 and its object never comes back: the client's old view is not judged.
    expect(verdict(input(probes, [fault('crash', 'do0', 5, 6)]))).toBe('ok');
    // The object restarts empty at 30: the client must drop u1 by 40.
    const restarted = input([...probes, auth(30, {})], [fault('crash', 'do0', 5, 6)]);
    expect(staleFacts(restarted, OPTS).map((s) => [s.at, s.want])).toEqual([[40, undefined]]);
  });

  it('does not ask about a fact that held for less than the bound (an expiring typing indicator)', () => {
    const i = input([auth(0, {}), sock(1, 'c0', true), auth(20, { u1: true }), auth(28, {}), view(40, 'c0', {})]);
    expect(verdict(i)).toBe('ok');
  });

  it('takes a value the authority held between two events of one instant as a change', () => {
    // u1 joins and leaves at 50 (one instant); the client shows the join for 3 and then the leave.
    const probes = [auth(0, {}), sock(1, 'c0', true), view(2, 'c0', {}), auth(50, { u1: true }), auth(50, {}), view(53, 'c0', { u1: true })];
    expect(verdict(input([...probes, view(56, 'c0', {})]))).toBe('ok');
    // ... but it must still show the leave within the bound of that instant.
    expect(staleFacts(input(probes), OPTS).map((s) => [s.at, s.shows])).toEqual([[60, true]]);
  });

  it('exempts the viewer\'s own key only when asked to', () => {
    const i = input([auth(0, {}), sock(1, 'c0', true), auth(20, { u0: 'online' }), view(21, 'c0', {}, 'u0')]);
    expect(verdict(i)).toBe('violation');
    expect(verdict(i, { ...OPTS, exemptSelf: true })).toBe('ok');
  });

  it('does not ask past the end of the run', () => {
    const i = input([auth(0, {}), sock(1, 'c0', true), auth(95, { u1: 'online' })], [], 100);
    expect(verdict(i)).toBe('ok');
  });
});

/**
 * Brute force: at every integer instant s up to the end, a (client, key) is asked iff the
 * authority's last event at or before s - bound says a known value v and every authority event in
 * (s - bound, s] says v too (a value held between two events of one instant counts); the client's
 * last socket event at or before s - bound says open and none in (s - bound, s] closes it; and no
 * crash or pause of the client covers any of [s - bound, s]. Then the client's last view at or
 * before s must say v. At one instant probes come before faults.
 */
function oracle(i: CheckInput, o: FactOptions): Set<string> {
  const end = i.end ?? 0;
  type Ev = { time: number; rank: number; facts?: Record<string, Value> | null; open?: boolean; node: string; kind: 'auth' | 'view' | 'sock' };
  const evs: Ev[] = [];
  i.probes.forEach((q, r) => {
    const kind = q.name === o.authority ? 'auth' : q.name === o.view ? 'view' : q.name === o.socket ? 'sock' : undefined;
    if (!kind) return;
    const d = q.detail as { facts?: Record<string, Value>; open?: boolean };
    evs.push({ time: q.time, rank: r, node: q.node, kind, facts: d.facts ?? {}, open: d.open === true });
  });
  const authNodes = new Set(evs.filter((e) => e.kind === 'auth').map((e) => e.node));
  (i.faults ?? []).forEach((f, r) => {
    if (f.node === undefined || f.kind === 'pause') return;
    if (authNodes.has(f.node)) evs.push({ time: f.at, rank: 1e6 + r, node: f.node, kind: 'auth', facts: null });
    evs.push({ time: f.at, rank: 1e6 + r, node: f.node, kind: 'view', facts: {} }, { time: f.at, rank: 1e6 + r, node: f.node, kind: 'sock', open: false });
  });
  evs.sort((a, b) => a.time - b.time || a.rank - b.rank);
  const lastAt = (u: number, pick: (e: Ev) => boolean) => {
    let last: Ev | undefined;
    for (const e of evs) if (e.time <= u && pick(e)) last = e;
    return last;
  };
  const within = (from: number, to: number, pick: (e: Ev) => boolean) => evs.filter((e) => e.time > from && e.time <= to && pick(e));
  const val = (e: Ev | undefined, k: string): string => (e === undefined || e.facts === null ? '?' : e.facts?.[k] === undefined ? '-' : canonicalJson(e.facts[k] as Value));
  const nodes = new Set(evs.filter((e) => e.kind !== 'auth').map((e) => e.node));
  const keys = new Set<string>();
  for (const e of evs) for (const k of Object.keys(e.facts ?? {})) keys.add(k);
  const bad = new Set<string>();
  for (const n of nodes)
    for (const k of keys)
      for (let s = 0; s <= end; s++) {
        const from = s - o.bound;
        const want = val(lastAt(from, (e) => e.kind === 'auth'), k);
        if (want === '?' || within(from, s, (e) => e.kind === 'auth').some((e) => val(e, k) !== want)) continue;
        const sock = (e: Ev) => e.kind === 'sock' && e.node === n;
        if (lastAt(from, sock)?.open !== true || within(from, s, sock).some((e) => !e.open)) continue;
        if ((i.faults ?? []).some((f) => f.node === n && (f.kind === 'crash' || f.kind === 'pause' || f.kind === 'restart') && f.at <= s && from <= f.until)) continue;
        // A client that has probed no view yet shows nothing.
        const shown = lastAt(s, (e) => e.kind === 'view' && e.node === n);
        if ((shown ? val(shown, k) : '-') !== want) bad.add(`${n} ${k}`);
      }
  return bad;
}

describe('factFreshWithin agrees with a brute-force oracle on small random runs', () => {
  const time = fc.integer({ min: 0, max: 30 });
  const facts = fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom<Value>(1, 2), { maxKeys: 2 });
  const node = fc.constantFrom('c0', 'c1');
  const probe = fc.oneof(
    fc.tuple(time, facts).map(([t, f]) => auth(t, f)),
    fc.tuple(time, node, facts).map(([t, n, f]) => view(t, n, f)),
    fc.tuple(time, node, fc.boolean()).map(([t, n, o]) => sock(t, n, o)),
  );
  const faultArb = fc.tuple(fc.constantFrom<FaultRecord['kind']>('crash', 'pause'), fc.constantFrom('do0', 'c0', 'c1'), time, fc.integer({ min: 0, max: 8 })).map(([k, n, at, d]) => fault(k, n, at, at + d));
  it('flags the same (client, key) pairs', () => {
    fc.assert(
      fc.property(fc.array(probe, { maxLength: 14 }), fc.array(faultArb, { maxLength: 2 }), fc.integer({ min: 1, max: 6 }), (probes, faults, bound) => {
        const o = { ...OPTS, bound };
        const i = input(probes, faults, 30);
        const got = new Set(staleFacts(i, o).map((s) => `${s.node} ${s.key}`));
        expect([...got].sort()).toEqual([...oracle(i, o)].sort());
      }),
      { numRuns: 400 },
    );
  });
});

describe('noPhantomEntries', () => {
  const o = { authority: 'assigned', view: 'shown', key: 'sequence', value: 'rid' };
  const a = (t: number, sequence: number, rid: string) => p(t, 'do0', 'assigned', { sequence, rid });
  const v = (t: number, sequence: number, rid: string) => p(t, 'c0', 'shown', { sequence, rid });
  it('holds when every shown entry was assigned before', () => {
    expect(noPhantomEntries(o).check(input([a(1, 1, 'm1'), v(5, 1, 'm1'), a(6, 2, 'm2'), v(9, 2, 'm2')])).verdict).toBe('ok');
  });
  it('catches an entry never assigned, shown before its assignment, or with another value', () => {
    expect(noPhantomEntries(o).check(input([v(5, 1, 'm1')])).verdict).toBe('violation');
    expect(noPhantomEntries(o).check(input([v(5, 1, 'm1'), a(6, 1, 'm1')])).verdict).toBe('violation');
    expect(noPhantomEntries(o).check(input([a(1, 1, 'm1'), v(5, 1, 'm2')])).verdict).toBe('violation');
  });
});
