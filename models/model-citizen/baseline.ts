import type { Value } from '../../sim/value.ts';
import { type Change, type CitizenView, diffViews, type Engine, jsonBytes, type Outgoing } from './engine.ts';

/**
 * The design as it stands ("Current State Analysis"): every change is applied locally at once
 * and broadcast fire-and-forget, with no ordering, acknowledgement or merge. The document does
 * not give the wire format; we send the changed object's whole new contents, so a receiver
 * replaces its copy: the last message applied wins, and a concurrent change is clobbered.
 */
interface Objects {
  [k: string]: Value;
  value: Value;
  table: { [key: string]: Value };
  seq: Value[];
  /** element -> tag of the add that put it there */
  set: { [elem: string]: string };
}

type Part = 'value' | 'table' | 'seq' | 'set';

export function baselineEngine(saved: Value | undefined): Engine {
  const o: Objects = (saved as Objects | undefined) ? structuredClone(saved as Objects) : { value: null, table: {}, seq: [], set: {} };
  const subs: ((c: Change) => void)[] = [];
  let outbox: Outgoing[] = [];

  const view = (): CitizenView => {
    const table: { [key: string]: Value } = {};
    for (const k of Object.keys(o.table).sort()) table[k] = o.table[k] ?? null;
    return { value: o.value, table, seq: [...o.seq], set: Object.keys(o.set).sort() };
  };
  const emit = (cs: Change[]) => cs.forEach((c) => subs.forEach((s) => s(c)));
  const changed = (part: Part, cs: Change[]) => {
    emit(cs);
    outbox.push({ msg: { t: 'snap', part, v: structuredClone(o[part]) } });
  };

  return {
    view,
    subscribe: (cb) => void subs.push(cb),
    setValue(v) {
      o.value = v;
      changed('value', [{ o: 'value', v }]);
    },
    put(k, v) {
      o.table[k] = v;
      changed('table', [{ o: 'table', k, v }]);
    },
    removeKey(k) {
      if (!(k in o.table)) return;
      delete o.table[k];
      changed('table', [{ o: 'table-del', k }]);
    },
    insert(i, v) {
      const at = Math.max(0, Math.min(i, o.seq.length));
      o.seq.splice(at, 0, v);
      changed('seq', [{ o: 'seq-ins', i: at, v }]);
    },
    deleteAt(i) {
      if (i < 0 || i >= o.seq.length) return;
      o.seq.splice(i, 1);
      changed('seq', [{ o: 'seq-del', i }]);
    },
    add(e, tag) {
      const had = e in o.set;
      o.set[e] = tag;
      changed('set', had ? [] : [{ o: 'set-add', e }]);
    },
    discard(e) {
      const tag = o.set[e];
      if (tag === undefined) return [];
      delete o.set[e];
      changed('set', [{ o: 'set-del', e }]);
      return [tag];
    },
    receive(_from, msg) {
      const m = msg as { t?: Value; part?: Part; v?: Value };
      if (m.t !== 'snap' || !m.part) return [];
      const before = view();
      (o as { [k: string]: Value })[m.part] = structuredClone(m.v ?? null);
      emit(diffViews(before, view()));
      return [];
    },
    flush() {
      const out = outbox;
      outbox = [];
      return out;
    },
    antiEntropy: () => [],
    liveTokens: () => [o.value, ...o.seq, ...Object.values(o.set)].filter((t): t is string => typeof t === 'string'),
    save: () => structuredClone(o),
    encodedSize: () => jsonBytes(view()),
  };
}
