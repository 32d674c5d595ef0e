import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventType, HistoryEvent } from '../../history.ts';
import { canonicalJson, type Value } from '../../value.ts';
import { bruteForceLinearizable } from '../brute-force.ts';
import { checkLinearizability, UnsupportedOperationError } from '../linearizability.ts';
import { ParseError, readJsonl } from '../readers/index.ts';
import { historyArb, type Gen } from '../random-history.ts';
import { modelByName, modelNames, type KvMapState } from './index.ts';
import { KvString } from './kv.ts';
import { setModel, type SetState } from './set.ts';
import type { Operation } from '../../history.ts';

type Ev = [process: number, type: EventType, f: string, value: Value];
const seq = (...evs: Ev[]): HistoryEvent[] => evs.map(([process, type, f, value], time) => ({ process, type, f, value, time }));
/** A sequential history of (f, input, output) triples by one process. */
const ops = (...xs: [string, Value, Value][]): HistoryEvent[] => seq(...xs.flatMap(([f, i, o]): Ev[] => [[0, 'invoke', f, i], [0, 'ok', f, o]]));
const verdict = (model: string, h: HistoryEvent[]) => checkLinearizability(h, modelByName(model), { steps: 1e6 }).verdict;

describe('model registry', () => {
  it('names every model the issue lists', () => {
    expect(modelNames()).toEqual(['counter', 'kv', 'kv-map', 'list', 'lock', 'queue', 'register', 'set']);
    expect(() => modelByName('nope')).toThrow(/unknown model 'nope'/);
  });
});

describe('every model declares its operations; any other is an error, never a verdict', () => {
  const fName = fc.stringMatching(/^[a-z][a-z-]{0,9}$/);
  it.each(modelNames())('%s', (name) => {
    const model = modelByName(name);
    fc.assert(
      fc.property(fName, fc.constantFrom<Value>(null, 1, 'a', [null, 1]), fc.boolean(), (f, value, completes) => {
        fc.pre(!model.ops.includes(f));
        const events: HistoryEvent[] = [{ process: 0, type: 'invoke', f, key: 'k', value, time: 0 }];
        if (completes) events.push({ process: 0, type: 'ok', f, key: 'k', value: true, time: 1 });
        expect(() => checkLinearizability(events, model, { steps: 1e6 })).toThrow(UnsupportedOperationError);
        // The reader refuses it on its line, before any search.
        const text = events.map((e) => JSON.stringify({ process: e.process, type: e.type, f: e.f, key: e.key, value: e.value })).join('\n');
        let err: unknown;
        try {
          readJsonl(text, { model: model.name, ops: model.ops });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ParseError);
        expect((err as ParseError).line).toBe(1);
        expect((err as ParseError).reason).toContain(`model '${model.name}'`);
      }),
      { seed: 5, numRuns: 100 },
    );
    // Every operation the model declares is accepted.
    for (const f of model.ops) expect(() => readJsonl(JSON.stringify({ process: 0, type: 'invoke', f, key: 'k' }), { model: model.name, ops: model.ops })).not.toThrow();
  });
});

describe('sequential semantics', () => {
  it('queue is FIFO', () => {
    expect(verdict('queue', ops(['enqueue', 1, null], ['enqueue', 2, null], ['dequeue', null, 1], ['peek', null, 2], ['dequeue', null, 2], ['dequeue', null, null]))).toBe('ok');
    expect(verdict('queue', ops(['enqueue', 1, null], ['enqueue', 2, null], ['dequeue', null, 2]))).toBe('violation');
  });
  it('list inserts, moves, removes and reads in order', () => {
    expect(verdict('list', ops(['insert', 'a', null], ['insert', { value: 'b', index: 0 }, null], ['read', null, ['b', 'a']], ['move', { value: 'a', index: 0 }, true], ['read', null, ['a', 'b']], ['remove', 'b', true], ['remove', 'b', false], ['read', null, ['a']]))).toBe('ok');
    expect(verdict('list', ops(['insert', 'a', null], ['insert', 'b', null], ['read', null, ['b', 'a']]))).toBe('violation');
  });
  it('lock grants one owner at a time, honours expiry, and checks releases', () => {
    expect(verdict('lock', ops(['acquire', 'p', true], ['acquire', 'q', false], ['release', 'q', false], ['release', 'p', true], ['acquire', 'q', true]))).toBe('ok');
    expect(verdict('lock', ops(['acquire', 'p', true], ['acquire', 'q', true]))).toBe('violation');
    // A lease that expires at time 2 lets q in at [2, 3].
    expect(verdict('lock', ops(['acquire', { owner: 'p', until: 2 }, true], ['acquire', 'q', true]))).toBe('ok');
    expect(verdict('lock', ops(['acquire', { owner: 'p', until: 10 }, true], ['acquire', 'q', true]))).toBe('violation');
  });
  it('set ignores order and duplicates in reads', () => {
    expect(verdict('set', ops(['add', 1, null], ['add', 2, null], ['add', 1, null], ['read', null, [2, 1]], ['contains', 1, true], ['remove', 1, null], ['contains', 1, false]))).toBe('ok');
    expect(verdict('set', ops(['add', 1, null], ['remove', 1, null], ['read', null, [1]]))).toBe('violation');
  });
  it('counter adds', () => {
    expect(verdict('counter', ops(['incr', null, null], ['add', 5, null], ['decr', 2, null], ['read', null, 4]))).toBe('ok');
    expect(verdict('counter', ops(['incr', null, null], ['read', null, 0]))).toBe('violation');
  });
  it('kv reads absent keys as null or "" and appends lists as well as strings', () => {
    expect(verdict('kv', ops(['get', null, null], ['get', null, ''], ['append', 'a', null], ['append', 'b', null], ['get', null, 'ab']))).toBe('ok');
    expect(verdict('kv', ops(['append', 1, null], ['append', 2, null], ['get', null, [1, 2]]))).toBe('ok');
  });
});

const tiny = fc.constantFrom<Value>(1, 2);
const gens: Record<string, Gen> = {
  queue: { fs: ['enqueue', 'dequeue', 'peek'], keys: ['q'], input: (f) => (f === 'enqueue' ? tiny : fc.constant(null)), output: (f) => (f === 'enqueue' ? fc.constant(null) : fc.constantFrom<Value>(null, 1, 2)) },
  list: {
    fs: ['insert', 'remove', 'move', 'read'],
    keys: ['l'],
    input: (f) => (f === 'read' ? fc.constant(null) : f === 'move' || f === 'insert' ? fc.record({ value: tiny, index: fc.constantFrom(0, 1) }) : tiny),
    output: (f) => (f === 'read' ? fc.constantFrom<Value>([], [1], [2], [1, 2], [2, 1]) : f === 'insert' ? fc.constant(null) : fc.boolean()),
  },
  lock: { fs: ['acquire', 'release'], keys: ['m', 'n'], input: () => fc.constantFrom<Value>('p', 'q', { owner: 'p', until: 4 }), output: () => fc.boolean() },
  set: { fs: ['add', 'remove', 'contains', 'read'], keys: ['s'], input: (f) => (f === 'read' ? fc.constant(null) : tiny), output: (f) => (f === 'contains' ? fc.boolean() : f === 'read' ? fc.constantFrom<Value>([], [1], [2], [1, 2]) : fc.constant(null)) },
  counter: { fs: ['incr', 'add', 'read'], keys: ['c', 'd'], input: (f) => (f === 'add' ? fc.constantFrom(2, -1) : fc.constant(null)), output: (f) => (f === 'read' ? fc.constantFrom(0, 1, 2, 3) : fc.constant(null)) },
};

describe('every model: the search agrees with brute force', () => {
  it.each(Object.keys(gens))('%s on 500 random histories', (name) => {
    const model = modelByName(name);
    let ok = 0;
    fc.assert(
      fc.property(historyArb(gens[name]!, 6), (h) => {
        const expected = bruteForceLinearizable(h, model);
        if (expected) ok++;
        expect(checkLinearizability(h, model, { steps: 1e7 }).verdict).toBe(expected ? 'ok' : 'violation');
      }),
      { seed: 42, numRuns: 500 },
    );
    expect(ok).toBeGreaterThan(25);
    expect(ok).toBeLessThan(475);
  });
});

describe('kv keeps strings as chains of appends (KvString), with plain-string semantics', () => {
  // kv-map steps each key with plain strings (stepKey); kv must agree with it op by op.
  const val = fc.constantFrom<Value>(null, '', 'a', 'b', 'ab', 'ba', 'aab', 1, [1]);
  const opArb = fc.record({ f: fc.constantFrom('get', 'read', 'put', 'append'), input: val, output: val, status: fc.constantFrom<'ok' | 'info'>('ok', 'ok', 'info') });
  it('on 3000 random op sequences: same legality, same value after every step', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 12 }), (xs) => {
        const kv = modelByName('kv');
        const map = modelByName('kv-map');
        let a: unknown = kv.init();
        let b: unknown = map.init();
        xs.forEach((x, i) => {
          const op: Operation = { id: i, process: 0, f: x.f, key: 'k', input: x.input, output: x.status === 'ok' ? x.output : null, status: x.status, invokeTime: 2 * i, completeTime: 2 * i + 1, invokeIndex: 2 * i, completeIndex: 2 * i + 1 };
          const na = kv.step(a, op);
          const nb = map.step(b, op);
          expect(na === undefined).toBe(nb === undefined);
          if (na === undefined || nb === undefined) return;
          a = na;
          b = nb;
          const plain = (b as KvMapState).values[0] ?? null;
          expect(a instanceof KvString ? a.value() : a).toEqual(plain);
          // Equal values are the same state to the search: same hash, and equal.
          const fresh = typeof plain === 'string' ? KvString.of(plain) : plain;
          expect(kv.hash(fresh)).toBe(kv.hash(a));
          expect(kv.equal!(fresh, a)).toBe(true);
        });
      }),
      { seed: 11, numRuns: 3000 },
    );
  });
});

/** The set step written plainly, as the model did before it prepared ops: the reference. */
function stepSet(state: SetState, op: Operation): SetState | undefined {
  switch (op.f) {
    case 'add':
      return [...new Set([...state, canonicalJson(op.input)])].sort();
    case 'remove': {
      const k = canonicalJson(op.input);
      return state.includes(k) ? state.filter((x) => x !== k) : state;
    }
    case 'contains':
      if (op.status !== 'ok') return state;
      return state.includes(canonicalJson(op.input)) === (op.output === true) ? state : undefined;
    case 'read': {
      if (op.status !== 'ok') return state;
      if (!Array.isArray(op.output)) return undefined;
      const seen = [...new Set((op.output as readonly Value[]).map((v) => canonicalJson(v)))].sort();
      return seen.length === state.length && seen.every((x, i) => x === state[i]) ? state : undefined;
    }
    default:
      return undefined;
  }
}

describe('set: steps prepared per op equal the plain step', () => {
  it('on 3000 random (set, op) pairs, including unknown outcomes and malformed reads', () => {
    const model = setModel();
    const elem = fc.constantFrom<Value>(1, 2, 'a', { x: 1 });
    const stateArb = fc.uniqueArray(elem.map((v) => JSON.stringify(v)), { maxLength: 3 }).map((xs) => [...xs].sort() as SetState);
    const opArb = fc
      .record({
        f: fc.constantFrom('add', 'remove', 'contains', 'read', 'other'),
        status: fc.constantFrom<'ok' | 'info'>('ok', 'info'),
        input: elem,
        output: fc.oneof(fc.boolean(), fc.array(elem, { maxLength: 4 }), fc.constant<Value>('not a list')),
      })
      .map((o): Operation => ({ id: 0, process: 0, f: o.f, key: undefined, input: o.input, output: o.output, status: o.status, invokeTime: 0, completeTime: 1, invokeIndex: 0, completeIndex: 1, node: undefined }));
    fc.assert(
      fc.property(stateArb, opArb, (s, op) => {
        expect((model.prepare as NonNullable<typeof model.prepare>)(op)(s)).toEqual(stepSet(s, op));
      }),
      { seed: 13, numRuns: 3000 },
    );
  });
});
