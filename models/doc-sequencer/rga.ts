import type { Value } from '../../sim/value.ts';

/**
 * A small reference RGA (Roh et al., Replicated Growable Array) of our own, so the yjs results
 * have something independent to be checked against (rga.test.ts: same ops, same text; any
 * delivery order converges). The lead should unify it with the RGA in models/crdt/ (seed 004).
 *
 * Each character has an id (lamport counter, replica). An insert names the id it goes after
 * (null: the start); siblings after one id are ordered by id, largest first, which the scan
 * "skip while the next id is larger" implements because a character's counter always exceeds
 * the counter of the one it was inserted after. A delete leaves a tombstone. An op whose
 * parent or target has not arrived waits in `pending` (delivery need not be causal).
 */
export type RgaId = readonly [counter: number, replica: number];

export type RgaOp =
  /** Inserts `text`, its characters chained: ids (c, r), (c+1, r), ..., the first after `after`. */
  | { readonly ins: { readonly id: RgaId; readonly after: RgaId | null; readonly text: string } }
  | { readonly del: readonly RgaId[] };

interface Node {
  readonly id: RgaId;
  readonly ch: string;
  deleted: boolean;
}

const key = (id: RgaId): string => `${id[0]}.${id[1]}`;
/** True if a sorts after b in sibling order (larger ids first in the text). */
const greater = (a: RgaId, b: RgaId): boolean => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

export class Rga {
  private nodes: Node[] = [];
  private readonly index = new Map<string, Node>();
  private pending: RgaOp[] = [];
  private clock = 0;

  constructor(readonly replica: number) {}

  text(): string {
    let s = '';
    for (const n of this.nodes) if (!n.deleted) s += n.ch;
    return s;
  }

  /** The visible character ids, in order (what an editor's positions map to). */
  private visible(): Node[] {
    return this.nodes.filter((n) => !n.deleted);
  }

  /** A local insert at visible position `pos`; applies it and returns the op to broadcast. */
  insert(pos: number, text: string): RgaOp {
    const vis = this.visible();
    const after = pos > 0 ? (vis[Math.min(pos, vis.length) - 1] as Node).id : null;
    const op: RgaOp = { ins: { id: [this.clock + 1, this.replica], after, text } };
    this.apply(op);
    return op;
  }

  /** A local delete of `len` visible characters from `pos`. */
  delete(pos: number, len: number): RgaOp {
    const ids = this.visible()
      .slice(pos, pos + len)
      .map((n) => n.id);
    const op: RgaOp = { del: ids };
    this.apply(op);
    return op;
  }

  /** Integrates an op (local or remote, any order, duplicates ignored). */
  apply(op: RgaOp): void {
    if (!this.tryApply(op)) {
      this.pending.push(op);
      return;
    }
    // One op in may free others that waited for it.
    let progress = true;
    while (progress && this.pending.length > 0) {
      progress = false;
      const waiting = this.pending;
      this.pending = [];
      for (const p of waiting) {
        if (this.tryApply(p)) progress = true;
        else this.pending.push(p);
      }
    }
  }

  private tryApply(op: RgaOp): boolean {
    if ('del' in op) {
      if (op.del.some((id) => !this.index.has(key(id)))) return false;
      for (const id of op.del) (this.index.get(key(id)) as Node).deleted = true;
      return true;
    }
    const { id, after, text } = op.ins;
    if (after !== null && !this.index.has(key(after))) return false;
    if (this.index.has(key(id))) return true; // a duplicate
    const chars = Array.from(text);
    let at = after === null ? 0 : this.nodes.indexOf(this.index.get(key(after)) as Node) + 1;
    while (at < this.nodes.length && greater((this.nodes[at] as Node).id, id)) at++;
    const fresh: Node[] = chars.map((ch, k) => ({ id: [id[0] + k, id[1]] as RgaId, ch, deleted: false }));
    this.nodes.splice(at, 0, ...fresh);
    for (const n of fresh) this.index.set(key(n.id), n);
    this.clock = Math.max(this.clock, id[0] + chars.length - 1);
    return true;
  }

  /** Everything, tombstones and waiting ops included, as plain data. */
  snapshot(): Value {
    return {
      nodes: this.nodes.map((n) => [n.id[0], n.id[1], n.ch, n.deleted ? 1 : 0]),
      pending: this.pending as unknown as Value,
      clock: this.clock,
    };
  }

  static fromSnapshot(replica: number, s: Value): Rga {
    const r = new Rga(replica);
    const o = s as { nodes: [number, number, string, number][]; pending: RgaOp[]; clock: number };
    r.nodes = o.nodes.map(([c, rep, ch, d]) => ({ id: [c, rep] as RgaId, ch, deleted: d === 1 }));
    for (const n of r.nodes) r.index.set(key(n.id), n);
    r.pending = [...o.pending];
    r.clock = o.clock;
    return r;
  }

  /** Bytes of state beyond the visible text: ids, tombstones, waiting ops. */
  metadataBytes(): number {
    return Buffer.byteLength(JSON.stringify(this.snapshot()), 'utf8') - Buffer.byteLength(this.text(), 'utf8');
  }
}
