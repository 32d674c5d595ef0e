import * as Y from 'yjs';
import type { Value } from '../../sim/value.ts';
import type { Change, CitizenView, Engine, Outgoing } from './engine.ts';

/**
 * Option 1 on Yjs: ZenValue = Y.Map key "v", ZenTable = Y.Map, ZenSeq = Y.Array, ZenSet = Y.Map
 * (element -> tag of the add). Determinism: `doc.clientID` is set from the context's index
 * (Yjs draws a random one at construction, which we overwrite before any change) and the guid
 * is fixed; Yjs core reads no clock.
 *
 * Wire mapping: every local transaction's `doc.on('update')` bytes go to every peer as
 * `{ t: 'y', u: <base64> }` and are applied with `Y.applyUpdate(doc, bytes, 'remote')` (Yjs
 * holds updates with missing dependencies as pending). Anti-entropy is Yjs's own digest
 * exchange: `{ t: 'ysv', sv: <base64 state vector> }`, answered with
 * `Y.encodeStateAsUpdate(doc, sv)` (the peer's missing structs plus the whole delete set).
 * Change callbacks come from Yjs's observers (map key changes, array deltas).
 */
const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
const bytes = (s: Value): Uint8Array => new Uint8Array(Buffer.from(typeof s === 'string' ? s : '', 'base64'));

export function yjsEngine(clientId: number, saved: Value | undefined): Engine {
  const doc = new Y.Doc({ guid: 'model-citizen', gc: true });
  // Loading is a remote transaction; do it under the construction-time id so Yjs does not see
  // "its own" client in a remote update and draw a fresh (random) id.
  if (typeof saved === 'string') Y.applyUpdate(doc, bytes(saved), 'load');
  doc.clientID = clientId;
  const value = doc.getMap<Value>('value');
  const table = doc.getMap<Value>('table');
  const seq = doc.getArray<Value>('seq');
  const set = doc.getMap<string>('set');
  const subs: ((c: Change) => void)[] = [];
  const emit = (c: Change) => subs.forEach((f) => f(c));
  let outbox: Outgoing[] = [];

  value.observe((e) => {
    if (e.keysChanged.has('v')) emit({ o: 'value', v: value.get('v') ?? null });
  });
  table.observe((e) => {
    for (const [k, ch] of e.changes.keys) emit(ch.action === 'delete' ? { o: 'table-del', k } : { o: 'table', k, v: table.get(k) ?? null });
  });
  set.observe((e) => {
    for (const [k, ch] of e.changes.keys) {
      if (ch.action === 'add') emit({ o: 'set-add', e: k });
      else if (ch.action === 'delete') emit({ o: 'set-del', e: k });
    }
  });
  seq.observe((e) => {
    let i = 0;
    for (const d of e.changes.delta) {
      if (d.retain !== undefined) i += d.retain;
      if (d.insert !== undefined) for (const v of d.insert as Value[]) emit({ o: 'seq-ins', i: i++, v });
      if (d.delete !== undefined) for (let n = 0; n < d.delete; n++) emit({ o: 'seq-del', i });
    }
  });
  doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'remote' && origin !== 'load') outbox.push({ msg: { t: 'y', u: b64(u) } });
  });
  const guardId = () => {
    if (doc.clientID !== clientId) throw new Error(`yjs replaced clientID ${clientId} by ${doc.clientID}: a remote update carried our own id`);
  };

  const view = (): CitizenView => {
    const t: { [k: string]: Value } = {};
    for (const k of [...table.keys()].sort()) t[k] = table.get(k) ?? null;
    return { value: value.get('v') ?? null, table: t, seq: seq.toArray(), set: [...set.keys()].sort() };
  };

  return {
    view,
    subscribe: (cb) => void subs.push(cb),
    setValue: (v) => value.set('v', v),
    put: (k, v) => table.set(k, v),
    removeKey: (k) => {
      if (table.has(k)) table.delete(k);
    },
    insert: (i, v) => seq.insert(Math.max(0, Math.min(i, seq.length)), [v]),
    deleteAt: (i) => {
      if (i >= 0 && i < seq.length) seq.delete(i, 1);
    },
    add: (e, tag) => set.set(e, tag),
    discard(e) {
      const tag = set.get(e);
      if (tag === undefined) return [];
      set.delete(e);
      return [tag];
    },
    receive(from, msg) {
      const m = msg as { t?: Value; u?: Value; sv?: Value };
      if (m.t === 'y') {
        Y.applyUpdate(doc, bytes(m.u ?? ''), 'remote');
        guardId();
        return [];
      }
      if (m.t === 'ysv') return [{ to: from, msg: { t: 'y', u: b64(Y.encodeStateAsUpdate(doc, bytes(m.sv ?? ''))) } }];
      return [];
    },
    flush() {
      const out = outbox;
      outbox = [];
      return out;
    },
    antiEntropy: (peers) => peers.map((to) => ({ to, msg: { t: 'ysv', sv: b64(Y.encodeStateVector(doc)) } })),
    liveTokens: () => [value.get('v') ?? null, ...seq.toArray(), ...set.values()].filter((t): t is string => typeof t === 'string'),
    save: () => b64(Y.encodeStateAsUpdate(doc)),
    encodedSize: () => Y.encodeStateAsUpdate(doc).byteLength,
  };
}
