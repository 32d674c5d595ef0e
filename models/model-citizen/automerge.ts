import * as A from '@automerge/automerge';
import type { Value } from '../../sim/value.ts';
import type { Change, CitizenView, Engine, Outgoing } from './engine.ts';

/**
 * Option 1 on Automerge: one document `{ value, table, seq, set }` (set: element -> tag).
 * Determinism: every replica loads one base document made by a fixed actor at time 0 (so the
 * four containers are one object everywhere, not four concurrent creations that would conflict),
 * with its own actor id (`load(bytes, { actor })`), and every `change` gets `{ time }` from the
 * node's clock (Automerge would read the host clock otherwise).
 *
 * Wire mapping: after each local change, `getLastLocalChange` goes to every peer as
 * `{ t: 'am', c: <base64> }` and is applied with `applyChanges` (Automerge queues changes whose
 * dependencies have not arrived). Anti-entropy is a digest exchange: `{ t: 'amh', h: heads }`;
 * the receiver answers `saveSince(doc, heads)` if it has those heads, else its whole `save`,
 * as `{ t: 'amx', b: <base64> }`, which the asker applies with `loadIncremental`. Change
 * callbacks come from Automerge's patches (`patchCallback`).
 */
interface Shape {
  value: A.ImmutableString | null;
  table: { [k: string]: A.ImmutableString };
  seq: A.ImmutableString[];
  set: { [e: string]: A.ImmutableString };
}

/**
 * Tokens are atomic values, so they are stored as `ImmutableString` (a plain string in
 * Automerge 3 is collaborative text, edited by splices, which is not what a ZenValue holds).
 */
const im = (v: Value): A.ImmutableString => new A.ImmutableString(String(v));
const str = (v: unknown): Value => (v === null || v === undefined ? null : v instanceof A.ImmutableString ? v.val : typeof v === 'object' && 'val' in (v as object) ? String((v as { val: unknown }).val) : String(v));

const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
const bytes = (s: Value): Uint8Array => new Uint8Array(Buffer.from(typeof s === 'string' ? s : '', 'base64'));

let base: Uint8Array | undefined;
function baseDoc(): Uint8Array {
  base ??= A.save(
    A.change(A.init<Shape>({ actor: '00' }), { time: 0 }, (d) => {
      d.value = null;
      d.table = {};
      d.seq = [];
      d.set = {};
    }),
  );
  return base;
}

export function automergeActor(index: number): string {
  return (index + 1).toString(16).padStart(2, '0').repeat(8);
}

export function automergeEngine(actor: string, now: () => number, saved: Value | undefined): Engine {
  let doc = A.load<Shape>(typeof saved === 'string' ? bytes(saved) : baseDoc(), { actor });
  const subs: ((c: Change) => void)[] = [];
  const emit = (c: Change) => subs.forEach((f) => f(c));
  let outbox: Outgoing[] = [];
  const time = () => Math.floor(now() / 1_000_000);

  /** Patches to change callbacks; set puts need the before state to tell an add from a re-tag. */
  const onPatches = (before: A.Doc<Shape>) => (patches: A.Patch[]) => {
    for (const p of patches) {
      const [root, key] = p.path;
      if (root === 'value' && p.path.length === 1 && p.action === 'put') emit({ o: 'value', v: str(p.value) });
      else if (root === 'table' && p.path.length === 2) {
        if (p.action === 'put') emit({ o: 'table', k: String(key), v: str(p.value) });
        else if (p.action === 'del') emit({ o: 'table-del', k: String(key) });
      } else if (root === 'set' && p.path.length === 2) {
        if (p.action === 'put' && !(String(key) in before.set)) emit({ o: 'set-add', e: String(key) });
        else if (p.action === 'del') emit({ o: 'set-del', e: String(key) });
      } else if (root === 'seq' && p.path.length === 2) {
        const i = Number(key);
        if (p.action === 'insert') p.values.forEach((v, n) => emit({ o: 'seq-ins', i: i + n, v: str(v) }));
        else if (p.action === 'del') for (let n = 0; n < (p.length ?? 1); n++) emit({ o: 'seq-del', i });
        else if (p.action === 'put') {
          emit({ o: 'seq-del', i });
          emit({ o: 'seq-ins', i, v: str(p.value) });
        }
      }
    }
  };
  const local = (fn: (d: Shape) => void) => {
    const before = doc;
    doc = A.change(doc, { time: time(), patchCallback: onPatches(before) }, fn);
    const c = A.getLastLocalChange(doc);
    if (c && doc !== before) outbox.push({ msg: { t: 'am', c: b64(c) } });
  };

  /**
   * The tags of every live add of `e`: all its conflicting puts, not only the one Automerge
   * shows. `getConflicts` answers undefined when there is just one value, so that one is the tag.
   */
  const tagsOf = (e: string): string[] => {
    if (!(e in doc.set)) return [];
    const all = A.getConflicts(doc.set, e);
    return (all ? Object.values(all) : [doc.set[e]]).map((x) => String(str(x))).sort();
  };

  const view = (): CitizenView => {
    const t: { [k: string]: Value } = {};
    for (const k of Object.keys(doc.table).sort()) t[k] = str(doc.table[k]);
    return { value: str(doc.value), table: t, seq: doc.seq.map(str), set: Object.keys(doc.set).sort() };
  };

  return {
    view,
    subscribe: (cb) => void subs.push(cb),
    setValue: (v) => local((d) => void (d.value = im(v))),
    put: (k, v) => local((d) => void (d.table[k] = im(v))),
    removeKey: (k) => {
      if (k in doc.table) local((d) => void delete d.table[k]);
    },
    insert: (i, v) => local((d) => void (d.seq as A.List<A.ImmutableString>).insertAt(Math.max(0, Math.min(i, d.seq.length)), im(v))),
    deleteAt: (i) => {
      if (i >= 0 && i < doc.seq.length) local((d) => void (d.seq as A.List<A.ImmutableString>).deleteAt(i));
    },
    add: (e, tag) => local((d) => void (d.set[e] = im(tag))),
    discard(e) {
      if (!(e in doc.set)) return [];
      const observed = tagsOf(e);
      local((d) => void delete d.set[e]);
      return observed;
    },
    receive(from, msg) {
      const m = msg as { t?: Value; c?: Value; h?: Value; b?: Value };
      const before = doc;
      if (m.t === 'am') [doc] = A.applyChanges(doc, [bytes(m.c ?? '')], { patchCallback: onPatches(before) });
      else if (m.t === 'amx') doc = A.loadIncremental(doc, bytes(m.b ?? ''), { patchCallback: onPatches(before) });
      else if (m.t === 'amh') {
        const heads = (m.h ?? []) as string[];
        const data = A.hasHeads(doc, heads) ? A.saveSince(doc, heads) : A.save(doc);
        return [{ to: from, msg: { t: 'amx', b: b64(data) } }];
      }
      return [];
    },
    flush() {
      const out = outbox;
      outbox = [];
      return out;
    },
    antiEntropy: (peers) => peers.map((to) => ({ to, msg: { t: 'amh', h: A.getHeads(doc) } })),
    // A put hidden by a concurrent winner is still a live add (a remove that saw only the
    // winner leaves it, and it shows again): count every conflict, as `discard` does.
    liveTokens: () => [str(doc.value), ...doc.seq.map(str), ...Object.keys(doc.set).flatMap(tagsOf)].filter((t): t is string => typeof t === 'string'),
    save: () => b64(A.save(doc)),
    encodedSize: () => A.save(doc).byteLength,
  };
}
