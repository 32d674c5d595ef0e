import { pairOperations } from '../../sim/history.ts';
import type { Checker, CheckInput, CheckResult } from '../../sim/check/types.ts';
import type { Value } from '../../sim/value.ts';

/**
 * The document's own checks, on what clients saw during the run (every `read` a client
 * recorded, with its time) and on the final texts of clients and replicas. They read the
 * history and finalStates only. Every typed character is unique in a run, so a character names
 * the insert that typed it.
 */
interface Typed {
  readonly opId: string;
  readonly text: string;
  readonly left: string | null;
  readonly right: string | null;
  readonly status: 'ok' | 'fail' | 'info';
}

interface Seen {
  /** Who saw it and when ('final' for the end state). */
  readonly where: string;
  readonly time: number;
  readonly text: string;
}

function inserts(input: CheckInput): Typed[] {
  return pairOperations(input.history)
    .filter((o) => o.f === 'insert')
    .map((o) => {
      const v = o.input as { opId: string; text: string; left: string | null; right: string | null };
      return { opId: v.opId, text: v.text, left: v.left, right: v.right, status: o.status };
    });
}

function deletes(input: CheckInput): { opId: string; text: string; status: string }[] {
  return pairOperations(input.history)
    .filter((o) => o.f === 'delete')
    .map((o) => ({ ...(o.input as { opId: string; text: string }), status: o.status }));
}

/** Every text anyone saw: each client read during the run, then every final state. */
function seen(input: CheckInput): Seen[] {
  const out: Seen[] = [];
  for (const o of pairOperations(input.history)) {
    if (o.f === 'read' && o.status === 'ok' && typeof o.output === 'string') out.push({ where: o.node ?? `p${o.process}`, time: o.completeTime, text: o.output });
  }
  for (const [node, s] of input.finalStates) {
    const t = (s as { text?: Value } | null)?.text;
    if (typeof t === 'string') out.push({ where: `${node} (final)`, time: Infinity, text: t });
  }
  return out;
}

const positions = (text: string): Map<string, number> => {
  const m = new Map<string, number>();
  let i = 0;
  for (const ch of text) m.set(ch, i++);
  return m;
};

function verdict(name: string, what: string, checked: number, bad: Value[], total: number): CheckResult {
  if (total === 0) return { name, verdict: 'ok', summary: `${checked} ${what}` };
  return { name, verdict: 'violation', summary: `${total} violations; first: ${JSON.stringify(bad[0])}`, evidence: { violations: bad, total } };
}

/**
 * Intention preservation: an insert typed between characters L and R lands between them in
 * every text that holds it and them (and its own characters stay in the order typed).
 */
export function intentionPreserved(options: { name?: string } = {}): Checker {
  const name = options.name ?? 'intention';
  return {
    name,
    check(input) {
      const ins = inserts(input);
      const bad: Value[] = [];
      let total = 0;
      let checked = 0;
      for (const s of seen(input)) {
        const pos = positions(s.text);
        for (const t of ins) {
          const chars = Array.from(t.text);
          const idx = chars.map((c) => pos.get(c));
          const first = idx.find((x) => x !== undefined);
          if (first === undefined) continue;
          checked++;
          const l = t.left === null ? -1 : pos.get(t.left);
          const r = t.right === null ? Infinity : pos.get(t.right);
          let ok = true;
          let prev = l ?? -1;
          for (const x of idx) {
            if (x === undefined) continue;
            if (x <= prev) ok = false;
            prev = x;
          }
          if (r !== undefined && prev >= r) ok = false;
          if (!ok) {
            total++;
            if (bad.length < 10) bad.push({ where: s.where, time: s.time, opId: t.opId, typed: t.text, left: t.left, right: t.right, around: aroundOf(s.text, first) });
          }
        }
      }
      return verdict(name, 'insert placements checked, each between the characters it was typed between', checked, bad, total);
    },
  };
}

const aroundOf = (text: string, at: number): string => Array.from(text).slice(Math.max(0, at - 3), at + 4).join('');

/** Exactly once in the text: no character is ever seen twice in one text (a re-applied insert). */
export function appliedOnceInText(options: { name?: string } = {}): Checker {
  const name = options.name ?? 'applied-once';
  return {
    name,
    check(input) {
      const bad: Value[] = [];
      let total = 0;
      const all = seen(input);
      for (const s of all) {
        const count = new Map<string, number>();
        for (const ch of s.text) count.set(ch, (count.get(ch) ?? 0) + 1);
        for (const [ch, n] of count) {
          if (n > 1) {
            total++;
            if (bad.length < 10) bad.push({ where: s.where, time: s.time, char: ch, times: n });
          }
        }
      }
      return verdict(name, 'texts seen, no character twice in any', all.length, bad, total);
    },
  };
}

/**
 * No acknowledged op lost: in every final text, each character of an acked insert is present
 * unless some delete (acked or not) removed it, and each character of an acked delete is gone.
 */
export function ackedKept(options: { name?: string } = {}): Checker {
  const name = options.name ?? 'acked-kept';
  return {
    name,
    check(input) {
      const dels = deletes(input);
      const deleted = new Set<string>();
      for (const d of dels) for (const ch of d.text) deleted.add(ch);
      const ackedIns = inserts(input).filter((t) => t.status === 'ok');
      const ackedDel = dels.filter((d) => d.status === 'ok');
      const bad: Value[] = [];
      let total = 0;
      let finals = 0;
      for (const [node, s] of input.finalStates) {
        const t = (s as { text?: Value } | null)?.text;
        if (typeof t !== 'string') continue;
        finals++;
        const has = new Set(Array.from(t));
        for (const i of ackedIns) {
          for (const ch of i.text) {
            if (!has.has(ch) && !deleted.has(ch)) {
              total++;
              if (bad.length < 10) bad.push({ node, lost: 'insert', opId: i.opId, char: ch });
            }
          }
        }
        for (const d of ackedDel) {
          for (const ch of d.text) {
            if (has.has(ch)) {
              total++;
              if (bad.length < 10) bad.push({ node, lost: 'delete', opId: d.opId, char: ch });
            }
          }
        }
      }
      return verdict(name, `acked ops (${ackedIns.length} inserts, ${ackedDel.length} deletes) kept in ${finals} final texts`, ackedIns.length + ackedDel.length, bad, total);
    },
  };
}
