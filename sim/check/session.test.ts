import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../history.ts';
import type { Value } from '../value.ts';
import { sessionGuarantees, type SessionViolation } from './session.ts';
import type { CheckInput } from './types.ts';

/** Sequential ops [process, f, key, input, output], each invoked and completed at once. */
type Op = [process: number, f: string, key: string, input: Value, output: Value];
function hist(...ops: Op[]): HistoryEvent[] {
  return ops.flatMap(([process, f, key, input, output]): HistoryEvent[] => [
    { process, type: 'invoke', f, key, value: input, time: 0 },
    { process, type: 'ok', f, key, value: output, time: 0 },
  ]).map((e, time) => ({ ...e, time }));
}
const input = (history: HistoryEvent[]): CheckInput => ({ history, finalStates: new Map(), probes: [], budget: { steps: 1000 } });
const run = (history: HistoryEvent[]) => sessionGuarantees().check(input(history));
const violations = (history: HistoryEvent[]): SessionViolation[] => ((run(history).evidence as { violations?: SessionViolation[] }).violations ?? []);

describe('session guarantees, hand-built', () => {
  it('read-your-writes: reading the initial value or an older write after your own write', () => {
    const v = violations(hist([0, 'write', 'x', 1, 1], [1, 'write', 'x', 2, 2], [1, 'read', 'x', null, 1]));
    expect(v.map((x) => x.guarantee)).toContain('read-your-writes');
    expect(v.find((x) => x.guarantee === 'read-your-writes')!.pair.map((o) => o.id)).toEqual([1, 2]);
    expect(violations(hist([0, 'write', 'x', 1, 1], [0, 'read', 'x', null, null])).map((x) => x.guarantee)).toEqual(['read-your-writes']);
  });
  it('monotonic reads: a later read in the session sees an older version', () => {
    const v = violations(hist([0, 'write', 'x', 1, 1], [0, 'write', 'x', 2, 2], [1, 'read', 'x', null, 2], [1, 'read', 'x', null, 1]));
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ guarantee: 'monotonic-reads', session: '1' });
    expect(v[0]!.pair.map((o) => o.id)).toEqual([2, 3]);
  });
  it('monotonic writes: a reader sees the second write of a session but not the first', () => {
    const v = violations(hist([0, 'write', 'x', 1, 1], [0, 'write', 'y', 1, 1], [1, 'read', 'y', null, 1], [1, 'read', 'x', null, null]));
    expect(v.map((x) => x.guarantee)).toEqual(['monotonic-writes']);
    expect(v[0]!.pair.map((o) => o.id)).toEqual([0, 1]);
    expect(v[0]!.observedBy!.map((o) => o.id)).toEqual([2, 3]);
  });
  it('writes-follow-reads: a reader sees a write but not what its writer had read', () => {
    const v = violations(hist([0, 'write', 'x', 1, 1], [1, 'read', 'x', null, 1], [1, 'write', 'y', 7, 7], [2, 'read', 'y', null, 7], [2, 'read', 'x', null, null]));
    expect(v.map((x) => x.guarantee)).toEqual(['writes-follow-reads']);
    expect(v[0]!.pair.map((o) => o.id)).toEqual([1, 2]);
  });
  it('concurrent writes are incomparable: no violation', () => {
    const h: HistoryEvent[] = [
      { process: 0, type: 'invoke', f: 'write', key: 'x', value: 1, time: 0 },
      { process: 1, type: 'invoke', f: 'write', key: 'x', value: 2, time: 1 },
      { process: 0, type: 'ok', f: 'write', key: 'x', value: 1, time: 2 },
      { process: 1, type: 'ok', f: 'write', key: 'x', value: 2, time: 3 },
      { process: 2, type: 'invoke', f: 'read', key: 'x', value: null, time: 4 },
      { process: 2, type: 'ok', f: 'read', key: 'x', value: 2, time: 5 },
      { process: 2, type: 'invoke', f: 'read', key: 'x', value: null, time: 6 },
      { process: 2, type: 'ok', f: 'read', key: 'x', value: 1, time: 7 },
    ];
    expect(run(h).verdict).toBe('ok');
  });
  it('sessions follow node across fresh process numbers; guarantees can be chosen', () => {
    const h = hist([0, 'write', 'x', 1, 1], [5, 'read', 'x', null, null]).map((e) => ({ ...e, node: 'c1' }));
    expect(run(h).verdict).toBe('violation');
    expect(sessionGuarantees({ guarantees: ['monotonic-reads'] }).check(input(h)).verdict).toBe('ok');
  });
});

/**
 * Random histories from a linearizable store (every op takes effect atomically at one instant
 * inside its interval) satisfy all four guarantees; from a store whose reads go to a random,
 * possibly stale replica, every reported violation must be real.
 */
describe('session guarantees, random histories', () => {
  const action = fc.record({ process: fc.nat(3), write: fc.boolean(), key: fc.constantFrom('x', 'y'), lag: fc.nat(3) });
  function build(actions: { process: number; write: boolean; key: string; lag: number }[], stale: boolean): HistoryEvent[] {
    const log: { key: string; value: number }[] = [];
    const events: HistoryEvent[] = [];
    let n = 0;
    for (const a of actions) {
      if (a.write) {
        const value = ++n;
        log.push({ key: a.key, value });
        events.push({ process: a.process, type: 'invoke', f: 'write', key: a.key, value, time: events.length }, { process: a.process, type: 'ok', f: 'write', key: a.key, value, time: events.length + 1 });
      } else {
        const visible = stale ? log.slice(0, Math.max(0, log.length - a.lag)) : log;
        const last = [...visible].reverse().find((w) => w.key === a.key);
        events.push({ process: a.process, type: 'invoke', f: 'read', key: a.key, value: null, time: events.length }, { process: a.process, type: 'ok', f: 'read', key: a.key, value: last ? last.value : null, time: events.length + 1 });
      }
    }
    return events;
  }
  it('a linearizable store never violates them (1000 histories)', () => {
    fc.assert(fc.property(fc.array(action, { maxLength: 30 }), (acts) => {
      expect(run(build(acts, false)).verdict).toBe('ok');
    }), { seed: 11, numRuns: 1000 });
  });
  it('a stale-read store: violations are found, and each is real (1000 histories)', () => {
    let found = 0;
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (acts) => {
        const h = build(acts, true);
        const value = (o: { output: Value; input: Value; f: string }) => (o.f === 'read' ? o.output : o.input);
        for (const v of violations(h)) {
          found++;
          const [a, b] = v.pair;
          if (v.guarantee === 'read-your-writes') {
            expect(a.process).toBe(b.process);
            expect(b.output === null || (b.output as number) < (a.input as number)).toBe(true); // values grow with time here
          }
          if (v.guarantee === 'monotonic-reads') expect(value(b) === null || (value(b) as number) < (value(a) as number)).toBe(true);
          if (v.observedBy) {
            const [r1, r2] = v.observedBy as [typeof a, typeof a];
            expect(r1.process).toBe(r2.process);
            expect(r1.output).toBe(b.input);
          }
        }
      }),
      { seed: 12, numRuns: 1000 },
    );
    expect(found).toBeGreaterThan(100);
  });
});
