import * as Y from 'yjs';
import type { Value } from '../../sim/value.ts';
import type { Edit } from './edit.ts';
import { Rga, type RgaOp } from './rga.ts';

/**
 * The CRDT position models behind one interface: yjs (YATA, what most editors use) and our
 * reference RGA. A replica applies its own edits at once and integrates anyone's ops in any
 * order, duplicates included, so the sequencer only orders and stores them: no transform.
 */
export interface CrdtDoc {
  text(): string;
  /** Applies a local edit and returns the op that carries it. */
  local(e: Edit): Value;
  /** Integrates an op from anyone (idempotent, any order). */
  integrate(op: Value): void;
  snapshot(): Value;
  /** Bytes of replica state beyond the visible text. */
  metadataBytes(): number;
}

export interface CrdtModel {
  readonly name: 'yjs' | 'rga';
  /** `replica` must be unique per writer (the server integrates only, as replica 0). */
  create(replica: number): CrdtDoc;
  /**
   * A replica from a snapshot, then `ops` (its own pending ones among them). yjs renames a
   * replica whose own items arrive from outside (it takes them for another writer with its id)
   * and draws the new id from host randomness; so the id is taken only after everything is in.
   */
  restore(replica: number, snapshot: Value, ops?: readonly Value[]): CrdtDoc;
}

const toB64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
const fromB64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

class YjsDoc implements CrdtDoc {
  private readonly doc = new Y.Doc({ gc: true });
  private readonly ytext: Y.Text;
  private lastUpdate: Uint8Array | undefined;
  /** Times yjs found its own id in a remote update and renamed the replica (see integrate). */
  renames = 0;

  constructor(replica: number, snapshot?: Value, ops: readonly Value[] = []) {
    // Deterministic client ids; yjs would otherwise draw one from host randomness. While the
    // snapshot and ops go in, an id no writer uses (see CrdtModel.restore).
    this.doc.clientID = 0x7fffffff - replica;
    this.ytext = this.doc.getText('t');
    if (typeof snapshot === 'string') Y.applyUpdate(this.doc, fromB64(snapshot), 'remote');
    for (const op of ops) Y.applyUpdate(this.doc, fromB64(op as string), 'remote');
    this.doc.clientID = replica;
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') this.lastUpdate = u;
    });
  }

  text(): string {
    return this.ytext.toString();
  }

  local(e: Edit): Value {
    this.lastUpdate = undefined;
    if (e.kind === 'ins') this.ytext.insert(Math.min(e.pos, this.ytext.length), e.text);
    else this.ytext.delete(e.pos, Math.max(0, Math.min(e.len, this.ytext.length - e.pos)));
    // An edit that changed nothing (a delete past the end) still travels, as an empty update.
    return toB64(this.lastUpdate ?? Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.doc)));
  }

  integrate(op: Value): void {
    const id = this.doc.clientID;
    const before = Y.getState(this.doc.store, id);
    // yjs renames a replica that meets items of its own id it did not make (one that lost some
    // of its own ops, as the as-written resync can), drawing the new id from host randomness
    // and printing a warning. So the update goes in under an id no writer uses, and we do the
    // renaming ourselves, deterministically.
    this.doc.clientID = 0x7fffffff - (id % 100_000);
    Y.applyUpdate(this.doc, fromB64(op as string), 'remote');
    this.doc.clientID = Y.getState(this.doc.store, id) !== before ? (id % 100_000) + 100_000 * ++this.renames : id;
  }

  snapshot(): Value {
    return toB64(Y.encodeStateAsUpdate(this.doc));
  }

  metadataBytes(): number {
    return Y.encodeStateAsUpdate(this.doc).length - utf8(this.text());
  }
}

class RgaDoc implements CrdtDoc {
  constructor(private readonly rga: Rga) {}
  text(): string {
    return this.rga.text();
  }
  local(e: Edit): Value {
    const op = e.kind === 'ins' ? this.rga.insert(e.pos, e.text) : this.rga.delete(e.pos, e.len);
    return op as unknown as Value;
  }
  integrate(op: Value): void {
    this.rga.apply(op as unknown as RgaOp);
  }
  snapshot(): Value {
    return this.rga.snapshot();
  }
  metadataBytes(): number {
    return this.rga.metadataBytes();
  }
}

export const yjsModel: CrdtModel = {
  name: 'yjs',
  create: (replica) => new YjsDoc(replica),
  restore: (replica, s, ops) => new YjsDoc(replica, s, ops),
};

export const rgaModel: CrdtModel = {
  name: 'rga',
  create: (replica) => new RgaDoc(new Rga(replica)),
  restore: (replica, s, ops = []) => {
    const d = new RgaDoc(Rga.fromSnapshot(replica, s));
    for (const op of ops) d.integrate(op);
    return d;
  },
};
