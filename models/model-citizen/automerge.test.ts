import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { automergeActor, automergeEngine } from './automerge.ts';
import type { Engine, Outgoing } from './engine.ts';

/**
 * The no-resurrection finding of the automerge variant (citizen-partition seed 7: tag z2.103 of
 * e1 back on z2 at 22008 ms). Automerge keeps concurrent puts of one map key as conflicts and
 * shows one; a delete removes only the values its author had seen. So a tag hidden by a
 * concurrent winner is still a live add, and shows again when a remove that saw only the
 * winner arrives: the OR-Set's add-wins rule, not a resurrection.
 */
type S = { set: { [e: string]: A.ImmutableString } };
const tagOf = (d: A.Doc<S>, e: string): string | undefined => (d.set[e] as A.ImmutableString | undefined)?.val;

describe('automerge map keys: concurrent puts and a delete that saw only the winner', () => {
  it('the library shows the hidden put again (documented conflict semantics)', () => {
    const base = A.save(A.change(A.init<S>({ actor: '00' }), { time: 0 }, (d) => void (d.set = {})));
    const load = (actor: string) => A.load<S>(base, { actor });
    let a = A.change(load('01'), { time: 1 }, (d) => void (d.set.e = new A.ImmutableString('A')));
    const b = A.change(load('02'), { time: 1 }, (d) => void (d.set.e = new A.ImmutableString('B')));
    // c sees only B and removes the element.
    let c = A.merge(load('03'), b);
    c = A.change(c, { time: 2 }, (d) => void delete d.set.e);
    // a merges B: equal counters, the greater actor wins; A is kept as a conflict (getConflicts
    // gives an ImmutableString as a plain string).
    a = A.merge(a, b);
    expect(tagOf(a, 'e')).toBe('B');
    expect(Object.values(A.getConflicts(a.set, 'e') ?? {}).map(String).sort()).toEqual(['A', 'B']);
    // c's delete removes B only: A, never removed by anyone, is the value again.
    a = A.merge(a, c);
    expect(tagOf(a, 'e')).toBe('A');
  });

  it('the engine counts every conflict as a live tag, so the hidden one never "goes"', () => {
    let t = 0;
    const engines = [0, 1, 2].map((i) => automergeEngine(automergeActor(i), () => ++t * 1000, undefined));
    const [a, b, c] = engines as [Engine, Engine, Engine];
    const deliver = (from: Engine, to: Engine) => from.flush().forEach((o: Outgoing) => to.receive('x', o.msg));
    a.add('e', 'A');
    a.flush();
    b.add('e', 'B');
    const bOut = b.flush();
    bOut.forEach((o) => c.receive('b', o.msg));
    expect(c.discard('e')).toEqual(['B']); // what it saw: one value (getConflicts says undefined then)
    const seen: string[][] = [a.liveTokens().sort()];
    bOut.forEach((o) => a.receive('b', o.msg));
    seen.push(a.liveTokens().sort());
    deliver(c, a);
    seen.push(a.liveTokens().sort());
    expect(a.view().set).toEqual(['e']); // add-wins: A survives the remove that did not see it
    expect(seen).toEqual([['A'], ['A', 'B'], ['A']]);
    expect(a.discard('e')).toEqual(['A']);
  });
});
