import { type as otType, type TextOp as LibTextOp } from 'ot-text-unicode';
import type { Value } from '../../sim/value.ts';
import { codePoints, type Edit } from './edit.ts';

/**
 * The OT position model: ot-text-unicode, the text type ShareDB uses, unchanged. Transform,
 * apply and compose are the library's; this file only converts our Edit to its op format and,
 * for the as-written client that re-sends untransformed ops against a newer document, clamps
 * an op to the document it is applied to (the library throws on an op that runs past the end).
 */
export type TextOp = LibTextOp;
export const textType = otType;

export function editToOp(e: Edit): TextOp {
  if (e.kind === 'ins') return e.pos > 0 ? [e.pos, e.text] : [e.text];
  return e.pos > 0 ? [e.pos, { d: e.len }] : [{ d: e.len }];
}

export const apply = (doc: string, op: TextOp): string => textType.apply(doc, op);

/**
 * Applies `op`, cut to the document first if it does not fit (see fitOp); returns the op as
 * applied too. The library checks the op as it goes, so the fit is paid only when it fails.
 */
export function applyFitting(doc: string, op: TextOp): { text: string; op: TextOp } {
  try {
    return { text: textType.apply(doc, op), op };
  } catch {
    const fitted = fitOp(op, doc);
    return { text: textType.apply(doc, fitted), op: fitted };
  }
}
/** `side` 'left': op's insert goes first when both insert at one place (ShareDB's rule for the later op). */
export const transform = (op: TextOp, other: TextOp, side: 'left' | 'right'): TextOp => textType.transform(op, other, side);
export const compose = (a: TextOp, b: TextOp): TextOp => textType.compose(a, b);

/** Skips and deletes cut to what `doc` has, so an op made for another document still applies. */
export function fitOp(op: TextOp, doc: string): TextOp {
  let left = codePoints(doc).length;
  const out: TextOp = [];
  for (const c of op) {
    if (typeof c === 'number') {
      const n = Math.min(c, left);
      if (n > 0) out.push(n);
      left -= n;
    } else if (typeof c === 'string') out.push(c);
    else {
      const len = typeof c.d === 'number' ? c.d : codePoints(c.d).length;
      const n = Math.min(len, left);
      if (n > 0) out.push({ d: n });
      left -= n;
    }
  }
  return textType.normalize(out);
}

export const asValue = (op: TextOp): Value => op as unknown as Value;
export const asOp = (v: Value): TextOp => v as unknown as TextOp;

/**
 * An op taking `from` to `to`, found by character identity: the text every run types has
 * unique characters (each client draws from its own block of code points), so the characters
 * both texts hold appear in the same order in both, and the op deletes what `to` lacks and
 * inserts what `from` lacks, each where it stood. The corrected OT client rebases its pending
 * ops over this after a STALE_BASE resync, when the ops in between were compacted away. On text
 * with repeated characters this is a heuristic (a common subsequence, not the edits made).
 */
export function diffOp(from: string, to: string): TextOp {
  const a = codePoints(from);
  const b = codePoints(to);
  const inB = new Set(b);
  const inA = new Set(a);
  const op: TextOp = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x !== undefined && !inB.has(x)) {
      op.push({ d: 1 });
      i++;
    } else if (y !== undefined && !inA.has(y)) {
      op.push(y);
      j++;
    } else if (x !== undefined && x === y) {
      op.push(1);
      i++;
      j++;
    } else if (x !== undefined) {
      // Both present but out of order (repeated characters): replace x.
      op.push({ d: 1 });
      i++;
    } else {
      op.push(y as string);
      j++;
    }
  }
  return textType.normalize(op);
}
