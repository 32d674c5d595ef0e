import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { historyArb, type Gen } from './check/random-history.ts';
import { HistoryError, pairOperations, type HistoryEvent, type Operation } from './history.ts';
import type { Value } from './value.ts';

const registerGen: Gen = {
  fs: ['read', 'write', 'cas'],
  keys: ['x', 'x', 'y'],
  input: (f) => (f === 'read' ? fc.constant(null) : f === 'write' ? fc.constantFrom(0, 1, 2) : fc.tuple(fc.constantFrom<Value>(null, 0, 1, 2), fc.constantFrom(0, 1, 2))),
  output: (f) => (f === 'read' ? fc.constantFrom<Value>(null, 0, 1, 2) : f === 'cas' ? fc.constantFrom<Value>(true, true, false) : fc.constant(null)),
};

/**
 * The obvious pairing, kept as the reference for `pairOperations`: walk the events with a map of
 * pending invokes, build each op when it completes, then the ones never completed.
 */
function referencePairing(events: readonly HistoryEvent[]): Operation[] {
  const pending = new Map<number, { ev: HistoryEvent; index: number; id: number }>();
  const ops: Operation[] = [];
  let nextId = 0;
  const op = (open: { ev: HistoryEvent; index: number; id: number }, done: HistoryEvent | undefined, index: number): Operation => {
    const known = done !== undefined && done.type !== 'info';
    return {
      id: open.id,
      process: open.ev.process,
      f: open.ev.f,
      ...(open.ev.key !== undefined ? { key: open.ev.key } : {}),
      input: open.ev.value,
      output: known ? done.value : null,
      status: done && done.type !== 'invoke' ? done.type : 'info',
      invokeTime: open.ev.time,
      completeTime: known ? done.time : Infinity,
      invokeIndex: open.index,
      completeIndex: index,
      ...(open.ev.node !== undefined ? { node: open.ev.node } : {}),
    };
  };
  events.forEach((ev, index) => {
    const open = pending.get(ev.process);
    if (ev.type === 'invoke') {
      if (open) throw new HistoryError(`process ${ev.process} invokes ${ev.f} while its ${open.ev.f} (event ${open.index}) is still pending`, index);
      pending.set(ev.process, { ev, index, id: nextId++ });
      return;
    }
    if (!open) throw new HistoryError(`process ${ev.process} completes ${ev.f} with nothing pending`, index);
    pending.delete(ev.process);
    ops[open.id] = op(open, ev, index);
  });
  for (const open of pending.values()) ops[open.id] = op(open, undefined, -1);
  return ops;
}

describe('pairOperations', () => {
  it('builds the same operations as the reference pairing, and throws the same errors at the same event', () => {
    const outcome = (f: () => Operation[]): Operation[] | { error: string; index: number } => {
      try {
        return f();
      } catch (e) {
        if (!(e instanceof HistoryError)) throw e;
        return { error: e.message, index: e.index };
      }
    };
    let errors = 0;
    fc.assert(
      fc.property(historyArb(registerGen, 7), fc.nat(20), fc.nat(3), fc.boolean(), (hist, at, p, keyed) => {
        const h2 = keyed ? hist.map((e, i) => ({ ...e, key: `k${e.process % 2}`, ...(i % 3 ? { node: `n${e.process}` } : {}) })) : hist;
        expect(pairOperations(h2)).toEqual(referencePairing(h2));
        // A stray event: an invoke by a process that may be pending, or a lone completion.
        const stray: HistoryEvent = { process: p, type: at % 2 ? 'invoke' : 'ok', f: 'read', value: null, time: 99 };
        const bad = [...h2.slice(0, at), stray, ...h2.slice(at)];
        const want = outcome(() => referencePairing(bad));
        if (!Array.isArray(want)) errors++;
        expect(outcome(() => pairOperations(bad))).toEqual(want);
      }),
      { seed: 5, numRuns: 2000 },
    );
    expect(errors, 'the stray events must make malformed histories too').toBeGreaterThan(200);
  });
});
