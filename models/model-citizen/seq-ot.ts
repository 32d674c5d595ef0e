import type { Value } from '../../sim/value.ts';
import { codePoints } from '../doc-sequencer/edit.ts';
import { asOp, editToOp, type TextOp } from '../doc-sequencer/ot.ts';
import type { Change } from './engine.ts';

/**
 * Option 3 keeps ZenSeq as text for ot-text-unicode (the library doc-sequencer uses; there is
 * no list OT type installed, and a ZenSeq of unique tokens is a string of unique symbols).
 * Each token `z<i>.<n>` is one code point of a supplementary private-use plane, 20,000 per
 * context, so ot-text-unicode's positions (code points) are ZenSeq indices and the mapping is
 * a pure function both ways: no dictionary to replicate.
 */
const BASE = 0xf0000;
const PER_CONTEXT = 20_000;

export function tokenChar(token: string): string {
  const m = /^z(\d+)\.(\d+)$/.exec(token);
  if (!m) throw new Error(`not a ZenSeq token: ${token}`);
  const n = Number(m[2]);
  if (n >= PER_CONTEXT) throw new Error(`token counter ${n} past the OT code point block`);
  return String.fromCodePoint(BASE + Number(m[1]) * PER_CONTEXT + n);
}

export function charToken(ch: string): string {
  const cp = (ch.codePointAt(0) ?? BASE) - BASE;
  return `z${Math.floor(cp / PER_CONTEXT)}.${cp % PER_CONTEXT}`;
}

export const textTokens = (text: string): string[] => codePoints(text).map(charToken);

/** The user's edit at a position of the text it sees, as an ot-text-unicode op. */
export const insertOp = (pos: number, token: string): Value => editToOp({ kind: 'ins', pos, text: tokenChar(token) }) as unknown as Value;
export const deleteOp = (pos: number): Value => editToOp({ kind: 'del', pos, len: 1 }) as unknown as Value;

/** The change callbacks an applied op makes on the sequence it was applied to (left to right). */
export function opChanges(op: Value): Change[] {
  const out: Change[] = [];
  let pos = 0;
  for (const c of asOp(op) as TextOp) {
    if (typeof c === 'number') pos += c;
    else if (typeof c === 'string') {
      for (const ch of codePoints(c)) out.push({ o: 'seq-ins', i: pos++, v: charToken(ch) });
    } else {
      const n = typeof c.d === 'number' ? c.d : codePoints(c.d).length;
      for (let k = 0; k < n; k++) out.push({ o: 'seq-del', i: pos });
    }
  }
  return out;
}
