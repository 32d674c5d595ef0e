import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CrdtModel, rgaModel, yjsModel } from './crdt.ts';
import type { Edit } from './edit.ts';
import { apply, diffOp, editToOp, transform } from './ot.ts';
import { Rga } from './rga.ts';

/** Edits as fractions of the document, so any drawn sequence is valid on any text. */
const editArb = fc.record({ del: fc.boolean(), at: fc.double({ min: 0, max: 1, noNaN: true }), n: fc.integer({ min: 1, max: 3 }) });
type Drawn = { del: boolean; at: number; n: number };

let fresh = 0;
const uniqueText = (n: number): string => Array.from({ length: n }, () => String.fromCodePoint(0x4e00 + fresh++)).join('');

function concrete(d: Drawn, len: number): Edit {
  if (d.del && len > 0) {
    const pos = Math.min(len - 1, Math.floor(d.at * len));
    return { kind: 'del', pos, len: Math.min(d.n, len - pos) };
  }
  return { kind: 'ins', pos: Math.floor(d.at * (len + 1)) % (len + 1), text: uniqueText(d.n) };
}

describe('position models agree on sequential edits', () => {
  it('OT, yjs and RGA give the same text for one writer', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 40 }), (drawn) => {
        let text = '';
        const y = yjsModel.create(1);
        const r = rgaModel.create(1);
        for (const d of drawn) {
          const e = concrete(d, Array.from(text).length);
          text = apply(text, editToOp(e));
          y.local(e);
          r.local(e);
        }
        expect(y.text()).toBe(text);
        expect(r.text()).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it('yjs and RGA replay each other\'s op streams in causal order to the same text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), editArb), { maxLength: 30 }), (steps) => {
        // Three writers taking turns, each seeing everything before it: no concurrency.
        for (const m of [yjsModel, rgaModel]) {
          const docs = [1, 2, 3].map((i) => m.create(i));
          for (const [w, d] of steps) {
            const me = docs[w]!;
            const op = me.local(concrete(d, Array.from(me.text()).length));
            for (const other of docs) if (other !== me) other.integrate(op);
          }
          const t = docs[0]!.text();
          for (const d of docs) expect(d.text()).toBe(t);
        }
      }),
      { numRuns: 100 },
    );
  });
});

/** Concurrent writers: each makes edits on its own replica, then ops are delivered in a drawn order. */
function concurrentRun(m: CrdtModel, edits: [number, Drawn][], order: number[]): { texts: string[]; chars: string[] } {
  const docs = [1, 2, 3].map((i) => m.create(i));
  const ops: { from: number; op: unknown }[] = [];
  for (const [w, d] of edits) {
    const me = docs[w]!;
    ops.push({ from: w, op: me.local(concrete(d, Array.from(me.text()).length)) });
  }
  for (let k = 0; k < docs.length; k++) {
    // Each replica gets every other replica's ops in its own permutation (any delivery order).
    const mineFirst = order.map((i) => ops[(i + k * 7) % Math.max(1, ops.length)]).filter((x) => x !== undefined);
    for (const o of [...mineFirst, ...ops]) if (o.from !== k) docs[k]!.integrate(o.op as never);
  }
  return { texts: docs.map((d) => d.text()), chars: docs.map((d) => [...d.text()].sort().join('')) };
}

describe('CRDTs converge under any delivery order', () => {
  const arb = fc.tuple(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), editArb), { maxLength: 20 }),
    fc.array(fc.nat(), { maxLength: 30 }),
  );
  for (const m of [yjsModel, rgaModel]) {
    it(`${m.name}: every replica ends with the same text, duplicates and reordering included`, () => {
      fc.assert(
        fc.property(arb, ([edits, order]) => {
          const { texts } = concurrentRun(m, edits, order);
          expect(texts[1]).toBe(texts[0]);
          expect(texts[2]).toBe(texts[0]);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('yjs and RGA keep the same characters (they may order concurrent inserts differently)', () => {
    fc.assert(
      fc.property(arb, ([edits, order]) => {
        const start = fresh;
        const a = concurrentRun(yjsModel, edits, order);
        fresh = start; // the same characters typed again
        const b = concurrentRun(rgaModel, edits, order);
        expect(b.chars[0]).toBe(a.chars[0]);
      }),
      { numRuns: 100 },
    );
  });

  it('RGA: an insert whose parent has not arrived waits for it', () => {
    const a = new Rga(1);
    const b = new Rga(2);
    const o1 = a.insert(0, 'x');
    const o2 = a.insert(1, 'y');
    b.apply(o2);
    expect(b.text()).toBe('');
    b.apply(o1);
    expect(b.text()).toBe('xy');
  });
});

describe('ot-text-unicode as the OT model uses it', () => {
  it('TP1: two concurrent edits transformed ShareDB-style give one text', () => {
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 8 }), editArb, editArb, (prefix, da, db) => {
        let base = '';
        for (const d of prefix) base = apply(base, editToOp(concrete(d, Array.from(base).length)));
        const len = Array.from(base).length;
        const a = editToOp(concrete(da, len));
        const b = editToOp(concrete(db, len));
        const viaA = apply(apply(base, a), transform(b, a, 'right'));
        const viaB = apply(apply(base, b), transform(a, b, 'left'));
        expect(viaA).toBe(viaB);
      }),
      { numRuns: 200 },
    );
  });

  it('diffOp takes one unique-character text to another', () => {
    expect(apply('abcdef', diffOp('abcdef', 'aXbdeYf'))).toBe('aXbdeYf');
    expect(apply('', diffOp('', 'xyz'))).toBe('xyz');
    expect(apply('xyz', diffOp('xyz', ''))).toBe('');
  });
});
