import { describe, expect, it } from 'vitest';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { Value } from '../../sim/value.ts';
import { runtimeRules } from './runtime-checks.ts';

// Hand-made host stories for the do-runtime check, one per rule, each with the verdict it must get.

const I = 'Room:r';
const p = (time: number, name: string, detail: Value): Probe => ({ name: `do.${name}`, time, node: 'do0', ok: true, detail });
const params = (t = 0) => p(t, 'params', { coldStart: 100, idleEvict: 1_000, storageMin: 1, storageMax: 20 });
const cold = (t: number, g = '1.1') => p(t, 'cold', { i: I, g });
const live = (t: number, g = '1.1') => p(t, 'live', { i: I, g });
const get = (t: number, n: number, k: string, h: number | null, g = '1.1') => p(t, 'io', { i: I, g, n, op: 'get', k, h });
const list = (t: number, n: number, k: string, r: Value, g = '1.1') => p(t, 'io', { i: I, g, n, op: 'list', k, r });
const put = (t: number, n: number, e: Value, g = '1.1') => p(t, 'io', { i: I, g, n, op: 'put', e });
const done = (t: number, n: number, op = 'put', g = '1.1') => p(t, 'done', { i: I, g, n, op });
const event = (t: number, n: number, g = '1.1') => p(t, 'event', { i: I, g, n, e: 'http' });
const start = (t: number, n: number, g = '1.1') => p(t, 'run', { i: I, g, n });
const gate = (t: number, on: boolean, g = '1.1') => p(t, 'gate', { i: I, g, on });
const evict = (t: number, g = '1.1') => p(t, 'evict', { i: I, g });
const input = (probes: Probe[], faults: FaultRecord[] = [], end?: number): CheckInput => ({ history: [], finalStates: new Map(), probes, budget: { steps: 1 }, faults, end });
const check = runtimeRules();
const run = (probes: Probe[], faults: FaultRecord[] = [], end?: number) => check.check(input(probes, faults, end));

/** A room started, wrote a key, read it back, idled out, and a new generation read it from storage. */
const honest = (): Probe[] => [
  params(),
  cold(0),
  event(0, 0),
  live(100),
  start(100, 0),
  get(100, 0, 'q', null),
  put(110, 1, [['q', 7]]),
  get(111, 2, 'q', 7),
  done(119, 0, 'get'),
  done(120, 1),
  done(121, 2, 'get'),
  evict(2_000),
  cold(3_000, '1.2'),
  live(3_100, '1.2'),
  get(3_100, 3, 'q', 7, '1.2'),
  list(3_101, 4, '', [['q', 7]], '1.2'),
  done(3_102, 3, 'get', '1.2'),
  done(3_103, 4, 'list', '1.2'),
];
/** Where honest() keeps what the tests below replace. */
const AT = { live: 3, get2: 7, evict: 11, get3: 14, list4: 15 } as const;

describe('do-runtime', () => {
  it('holds for a host that keeps every rule', () => {
    const r = run(honest());
    expect(r.verdict).toBe('ok');
    expect(r.summary).toContain('2 instance generations, 1 events in arrival order past the input gate, 4 reads and 1 writes');
  });

  describe('storage', () => {
    it('catches a read that misses the generation\'s own write still in flight (no storage cache)', () => {
      const h = honest();
      h[AT.get2] = get(111, 2, 'q', null);
      expect(run(h).summary).toContain('get q answered nothing, the runtime holds 7');
    });
    it('catches a completed write lost to the next generation', () => {
      const h = honest();
      h[AT.get3] = get(3_100, 3, 'q', null, '1.2');
      expect(run(h).verdict).toBe('violation');
    });
    it('catches a next generation that sees a write its predecessor never made durable', () => {
      const h = honest().filter((x) => x.name !== 'do.done');
      expect(run(h).summary).toContain('storage');
    });
    it('catches a list that leaves out a key, or shows a deleted one', () => {
      const h = honest();
      h[AT.list4] = list(3_101, 4, '', [], '1.2');
      expect(run(h).summary).toContain('list');
      const d = [params(), cold(0), live(100), put(110, 1, [['q', 7]]), done(120, 1), put(130, 2, [['q', null]]), list(131, 3, '', [['q', 7]])];
      expect(run(d).summary).toContain('list');
    });
  });

  describe('durability', () => {
    it('catches writes made durable out of issue order', () => {
      const h = [params(), cold(0), live(100), put(110, 1, [['a', 1]]), put(111, 2, [['b', 2]]), done(120, 2), done(121, 1)];
      expect(run(h).summary).toContain('put 2 completed before put 1');
    });
    it('catches a write made durable twice, or never issued', () => {
      expect(run([...honest().slice(0, AT.evict), done(125, 1)]).summary).toContain('put 1 completed twice');
      expect(run([params(), cold(0), live(100), done(120, 9)]).summary).toContain('never issued');
    });
  });

  describe('storage latency', () => {
    const story = (doneAt: number) => [params(), cold(0), live(100), get(110, 0, 'q', null), done(doneAt, 0, 'get')];
    it('holds for operations within the declared bounds, and catches one faster or slower', () => {
      expect(run(story(111)).verdict).toBe('ok');
      expect(run(story(130)).verdict).toBe('ok');
      expect(run(story(110)).summary).toContain('get 0 took 0 ms, storage takes 0.001-0.02 ms');
      expect(run(story(131)).summary).toContain('storage-latency');
    });
    it('catches a read completed before an operation issued ahead of it (storage keeps issue order)', () => {
      const h = [params(), cold(0), live(100), put(110, 0, [['a', 1]]), get(111, 1, 'a', 1), done(115, 1, 'get'), done(120, 0)];
      expect(run(h).summary).toContain('get 1 completed before put 0, issued first');
    });
    it('catches an operation that never completes on a generation that lives on, but not on a host that crashed, drifted or ran out of time', () => {
      const h = [params(), cold(0), live(100), get(110, 0, 'q', null)];
      expect(run(h, [], 1_000).summary).toContain('get 0 issued at 0.11 ms never completed');
      expect(run(h, [], 125).verdict).toBe('ok');
      expect(run(h, [{ kind: 'crash', at: 115, until: 500, description: 'crash', node: 'do0' }], 1_000).verdict).toBe('ok');
      expect(run(h, [{ kind: 'drift', at: 0, until: 500, description: 'drift', node: 'do0' }], 1_000).verdict).toBe('ok');
      expect(run([...h, evict(2_000)], [], 3_000).verdict).toBe('ok');
    });
    it('does not time a host that declares no storage bounds, or one whose clock drifted meanwhile', () => {
      const h = story(500);
      h[0] = p(0, 'params', { coldStart: 100, idleEvict: 1_000 });
      expect(run(h).verdict).toBe('ok');
      expect(run(story(500), [{ kind: 'pause', at: 120, until: 400, description: 'pause', node: 'do0' }]).verdict).toBe('ok');
    });
  });

  describe('events and the input gate', () => {
    /** A cold start whose init holds the gate while two requests wait behind it. */
    const gated = (): Probe[] => [params(), cold(0), event(0, 0), event(50, 1), live(100), gate(100, true), gate(130, false), start(130, 0), start(130, 1)];
    it('holds for events started in arrival order once the gate opens', () => {
      expect(run(gated(), [], 20_000_000).verdict).toBe('ok');
    });
    it('catches an event started while the gate is closed (a drain that ignores the gate)', () => {
      const h = gated();
      h.splice(6, 1);
      h.push(gate(140, false));
      expect(run(h).summary).toContain('while the input gate was closed');
    });
    it('catches events started out of arrival order, twice, or without arriving', () => {
      const h = gated();
      [h[7], h[8]] = [h[8] as Probe, h[7] as Probe];
      expect(run(h).summary).toContain('event 1 started before event 0');
      expect(run([...gated(), start(150, 1)]).summary).toContain('started twice');
      expect(run([params(), cold(0), live(100), start(100, 4)]).summary).toContain('without arriving');
    });
    it('catches an event started before the cold start is over, or numbered twice', () => {
      expect(run([params(), cold(0), event(0, 0), start(10, 0), live(100)]).summary).toContain('before the cold start was over');
      expect(run([params(), cold(0), event(0, 0), event(1, 0)]).summary).toContain('arrived twice');
    });
    it('catches a gate opened twice or closed twice', () => {
      expect(run([params(), cold(0), live(100), gate(100, true), gate(101, true)]).summary).toContain('closed while already closed');
      expect(run([params(), cold(0), live(100), gate(100, false)]).summary).toContain('opened while already open');
    });
    it('catches an event that never starts, or that an eviction drops, but not on a host that crashed or ran out of time', () => {
      const h = gated().slice(0, 7);
      expect(run(h, [], 20_000_000).summary).toContain('2 event(s) never started');
      expect(run(h, [], 5_000_000).verdict).toBe('ok');
      expect(run(h, [{ kind: 'crash', at: 200, until: 1_000, description: 'crash', node: 'do0' }], 20_000_000).verdict).toBe('ok');
      expect(run([...h, evict(2_000)], [], 20_000_000).summary).toContain('evicted with 2 event(s) never started');
    });
  });

  describe('lifecycle', () => {
    it('catches a cold start shorter than the host declares, but not on a host whose clock drifted', () => {
      const h = honest();
      h[AT.live] = live(50);
      expect(run(h).summary).toContain('took 0.05 ms to start');
      expect(run(h, [{ kind: 'drift', at: 0, until: 500, description: 'drift', node: 'do0' }]).verdict).toBe('ok');
    });
    it('catches storage used before the cold start is over, and anything after an eviction', () => {
      expect(run([params(), cold(0), get(50, 0, 'q', null), live(100)]).summary).toContain('before its cold start');
      expect(run([...honest().slice(0, AT.evict + 1), get(2_100, 9, 'q', 7)]).summary).toContain('after its eviction');
    });
    it('catches an eviction sooner than idleEvict after the last event', () => {
      const h = honest();
      h[AT.evict] = evict(900);
      expect(run(h).summary).toContain('eviction');
    });
    it('catches a storage operation or a probe of no known kind (the probes themselves are what it reads)', () => {
      expect(run([params(), cold(0), live(100), p(110, 'io', { i: I, g: '1.1', n: 1, op: '' })]).summary).toContain('no known kind');
      expect(run([params(), cold(0), live(100), p(110, 'iox', { i: I, g: '1.1' })]).summary).toContain('no known kind');
    });
    it('catches a generation created twice or never created', () => {
      expect(run([params(), cold(0), cold(1)]).summary).toContain('created twice');
      expect(run([params(), live(100)]).summary).toContain('never created');
    });
  });
});
