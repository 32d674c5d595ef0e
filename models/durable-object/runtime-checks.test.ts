import { describe, expect, it } from 'vitest';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { Value } from '../../sim/value.ts';
import { runtimeRules } from './runtime-checks.ts';

// Hand-made host stories for the do-runtime check, one per rule, each with the verdict it must get.

const I = 'Room:r';
const p = (time: number, name: string, detail: Value): Probe => ({ name: `do.${name}`, time, node: 'do0', ok: true, detail });
const params = (t = 0) => p(t, 'params', { coldStart: 100, idleEvict: 1_000 });
const cold = (t: number, g = '1.1') => p(t, 'cold', { i: I, g });
const live = (t: number, g = '1.1') => p(t, 'live', { i: I, g });
const get = (t: number, n: number, k: string, h: number | null, g = '1.1') => p(t, 'io', { i: I, g, n, op: 'get', k, h });
const list = (t: number, n: number, k: string, r: Value, g = '1.1') => p(t, 'io', { i: I, g, n, op: 'list', k, r });
const put = (t: number, n: number, e: Value, g = '1.1') => p(t, 'io', { i: I, g, n, op: 'put', e });
const done = (t: number, n: number, g = '1.1') => p(t, 'done', { i: I, g, n });
const event = (t: number, g = '1.1') => p(t, 'event', { i: I, g, e: 'http' });
const evict = (t: number, g = '1.1') => p(t, 'evict', { i: I, g });
const input = (probes: Probe[], faults: FaultRecord[] = []): CheckInput => ({ history: [], finalStates: new Map(), probes, budget: { steps: 1 }, faults });
const check = runtimeRules();
const run = (probes: Probe[], faults: FaultRecord[] = []) => check.check(input(probes, faults));

/** A room started, wrote a key, read it back, idled out, and a new generation read it from storage. */
const honest = (): Probe[] => [
  params(),
  cold(0),
  event(0),
  live(100),
  get(100, 0, 'q', null),
  put(110, 1, [['q', 7]]),
  get(111, 2, 'q', 7),
  done(120, 1),
  evict(2_000),
  cold(3_000, '1.2'),
  live(3_100, '1.2'),
  get(3_100, 3, 'q', 7, '1.2'),
  list(3_101, 4, '', [['q', 7]], '1.2'),
];

describe('do-runtime', () => {
  it('holds for a host that keeps every rule', () => {
    const r = run(honest());
    expect(r.verdict).toBe('ok');
    expect(r.summary).toContain('2 instance generations, 4 reads and 1 writes');
  });

  describe('storage', () => {
    it('catches a read that misses the generation\'s own write still in flight (no storage cache)', () => {
      const h = honest();
      h[6] = get(111, 2, 'q', null);
      expect(run(h).summary).toContain('get q answered nothing, the runtime holds 7');
    });
    it('catches a completed write lost to the next generation', () => {
      const h = honest();
      h[11] = get(3_100, 3, 'q', null, '1.2');
      expect(run(h).verdict).toBe('violation');
    });
    it('catches a next generation that sees a write its predecessor never made durable', () => {
      const h = honest().filter((x) => x.name !== 'do.done');
      expect(run(h).summary).toContain('storage');
    });
    it('catches a list that leaves out a key, or shows a deleted one', () => {
      const h = honest();
      h[12] = list(3_101, 4, '', [], '1.2');
      expect(run(h).summary).toContain('list');
      const d = [params(), cold(0), live(100), put(110, 1, [['q', 7]]), done(120, 1), put(130, 2, [['q', null]]), list(131, 3, '', [['q', 7]])];
      expect(run(d).summary).toContain('list');
    });
  });

  describe('durability', () => {
    it('catches writes made durable out of issue order', () => {
      const h = [params(), cold(0), live(100), put(110, 1, [['a', 1]]), put(111, 2, [['b', 2]]), done(120, 2), done(121, 1)];
      expect(run(h).summary).toContain('made durable before write 1');
    });
    it('catches a write made durable twice, or never issued', () => {
      expect(run([...honest().slice(0, 8), done(125, 1)]).summary).toContain('durable twice');
      expect(run([params(), cold(0), live(100), done(120, 9)]).summary).toContain('never issued');
    });
  });

  describe('lifecycle', () => {
    it('catches a cold start shorter than the host declares, but not on a host whose clock drifted', () => {
      const h = honest();
      h[3] = live(50);
      expect(run(h).summary).toContain('took 0.05 ms to start');
      expect(run(h, [{ kind: 'drift', at: 0, until: 500, description: 'drift', node: 'do0' }]).verdict).toBe('ok');
    });
    it('catches storage used before the cold start is over, and anything after an eviction', () => {
      expect(run([params(), cold(0), get(50, 0, 'q', null), live(100)]).summary).toContain('before its cold start');
      expect(run([...honest().slice(0, 9), get(2_100, 9, 'q', 7)]).summary).toContain('after its eviction');
    });
    it('catches an eviction sooner than idleEvict after the last event', () => {
      const h = honest();
      h[8] = evict(900);
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
