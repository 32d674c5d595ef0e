import type { StateMachine } from '../raft/api.ts';
import type { Value } from '../../sim/value.ts';
import type { CrdtDoc, CrdtModel } from './crdt.ts';
import { apply as otApply, applyFitting, asOp, asValue, transform } from './ot.ts';
import type { SeqOp } from './protocol.ts';

/**
 * The sequencer: the deterministic state machine every replica applies in Raft log order.
 * It assigns serverSeq, deduplicates by opId, transforms an OT op against the ops its client
 * had not seen, keeps the op log after lastIncludedSeq with the document as of lastIncludedSeq,
 * compacts, and answers STALE_BASE. Output of each command goes to the leader, which acks.
 */
export type PositionName = 'ot' | 'yjs' | 'rga';

export interface SequencerOptions {
  readonly position: PositionName;
  readonly crdt?: CrdtModel;
  /**
   * 'apply' (corrected): serverSeq is the count of ops applied, in commit order, so it is
   * gapless and unique by construction. 'proposal' (as-written, "assigns serverSeq (arrival
   * order at leader)"): the leader numbers an op on arrival and the command carries it.
   */
  readonly seqAt: 'apply' | 'proposal';
  /** Keep the opId dedup table in the replicated state (corrected); as-written keeps it in the leader's memory. */
  readonly replicatedDedup: boolean;
  /** Snapshot and truncate after this many ops since the last snapshot. */
  readonly compactEvery: number;
  /** Ops kept in the log after a compaction (0: truncate up to lastIncludedSeq, as written). */
  readonly compactKeep: number;
  /** bug:stale-off-by-one: STALE_BASE only below lastIncludedSeq - 1, so one compacted op is never transformed against. */
  readonly staleSlack?: number;
}

export interface OpCommand {
  readonly [k: string]: Value;
  readonly k: 'op';
  readonly opId: string;
  readonly clientId: string;
  readonly localSeq: number;
  readonly base: number;
  readonly op: Value;
  /** Only when seqAt is 'proposal': the serverSeq the leader gave it on arrival. */
  readonly seq: number | null;
}

export type SequencerOutput =
  | { readonly r: 'seq'; readonly seq: number; readonly applied: Value }
  | { readonly r: 'dup'; readonly seq: number }
  | { readonly r: 'stale'; readonly lastIncludedSeq: number };

/** What a replica probes on each serverSeq it applies, for the sequencer checker. */
export type ApplyProbe = (seq: number, prev: number, opId: string) => void;

export class SequencerState implements StateMachine {
  lastSeq = 0;
  lastIncludedSeq = 0;
  /** The document as of lastIncludedSeq (what a resyncing client starts from). */
  private snapDoc: Value;
  private text = '';
  private crdt: CrdtDoc | undefined;
  private log: SeqOp[] = [];
  /** clientId → clientLocalSeq → serverSeq (replicated dedup only). */
  private dedup: Record<string, Record<string, number>> = {};
  /** Work done: transform calls (OT) or integrations (CRDT). */
  work = 0;

  constructor(
    private readonly opts: SequencerOptions,
    private readonly onAssign: ApplyProbe = () => {},
  ) {
    if (opts.position !== 'ot') this.crdt = this.crdtModel().create(0);
    this.snapDoc = this.docSnapshot();
  }

  private crdtModel(): CrdtModel {
    if (!this.opts.crdt) throw new Error(`position model ${this.opts.position} needs a CRDT implementation`);
    return this.opts.crdt;
  }

  private docSnapshot(): Value {
    return this.crdt ? this.crdt.snapshot() : this.text;
  }

  docText(): string {
    return this.crdt ? this.crdt.text() : this.text;
  }

  metadataBytes(): number {
    return this.crdt ? this.crdt.metadataBytes() : 0;
  }

  apply(command: Value, _index: number): Value {
    const c = command as OpCommand | null | undefined;
    if (c === null || c === undefined || typeof c !== 'object' || c.k !== 'op') return null; // Raft's no-op of a new term
    return this.applyOp(c) as unknown as Value;
  }

  private applyOp(c: OpCommand): SequencerOutput {
    if (this.opts.replicatedDedup) {
      const earlier = this.dedup[c.clientId]?.[String(c.localSeq)];
      if (earlier !== undefined) return { r: 'dup', seq: earlier };
    }
    const slack = this.opts.staleSlack ?? 0;
    if (c.base < this.lastIncludedSeq - slack) return { r: 'stale', lastIncludedSeq: this.lastIncludedSeq };
    let applied: Value;
    if (this.crdt) {
      this.crdt.integrate(c.op);
      this.work++;
      applied = c.op;
    } else {
      // Server-side transform: against every op after the client's base, oldest first.
      let op = asOp(c.op);
      for (const o of this.log) {
        if (o.seq <= c.base) continue;
        op = transform(op, asOp(o.op), 'left');
        this.work++;
      }
      const done = applyFitting(this.text, op);
      this.text = done.text;
      applied = asValue(done.op);
    }
    const prev = this.lastSeq;
    const seq = this.opts.seqAt === 'proposal' && c.seq !== null ? c.seq : prev + 1;
    this.lastSeq = seq;
    this.log.push({ seq, opId: c.opId, op: applied });
    if (this.opts.replicatedDedup) (this.dedup[c.clientId] ??= {})[String(c.localSeq)] = seq;
    this.onAssign(seq, prev, c.opId);
    if (this.log.length >= this.opts.compactEvery + this.opts.compactKeep) this.compact();
    return { r: 'seq', seq, applied };
  }

  /** Snapshot (materialized doc + lastIncludedSeq) and truncate the log up to it. */
  private compact(): void {
    const keep = this.opts.compactKeep;
    const cut = this.log.length - keep;
    if (cut <= 0) return;
    // The document as of the last truncated op: replay the truncated ops onto the old snapshot.
    if (this.crdt) {
      const d = this.crdtModel().restore(0, this.snapDoc);
      for (const o of this.log.slice(0, cut)) d.integrate(o.op);
      this.snapDoc = d.snapshot();
    } else {
      let t = this.snapDoc as string;
      for (const o of this.log.slice(0, cut)) t = otApply(t, asOp(o.op));
      this.snapDoc = t;
    }
    this.lastIncludedSeq = (this.log[cut - 1] as SeqOp).seq;
    this.log = this.log.slice(cut);
  }

  /** The ops after `since`, or undefined when some of them were compacted away. */
  opsSince(since: number): SeqOp[] | undefined {
    if (since < this.lastIncludedSeq) return undefined;
    return this.log.filter((o) => o.seq > since);
  }

  snapshotForClient(): { lastIncludedSeq: number; snapshot: Value; ops: SeqOp[] } {
    return { lastIncludedSeq: this.lastIncludedSeq, snapshot: this.snapDoc, ops: [...this.log] };
  }

  /** This client's ops from clientLocalSeq `from` on that the replicated dedup table knows, with their serverSeq. */
  committedOf(clientId: string, from: number): Record<string, number> {
    const mine = this.dedup[clientId] ?? {};
    const out: Record<string, number> = {};
    for (const [ls, seq] of Object.entries(mine)) if (Number(ls) >= from) out[ls] = seq;
    return out;
  }

  snapshot(): Value {
    return {
      lastSeq: this.lastSeq,
      lastIncludedSeq: this.lastIncludedSeq,
      snapDoc: this.snapDoc,
      doc: this.docSnapshot(),
      log: this.log.slice(),
      // Copied: Raft keeps the snapshot while this table goes on changing.
      dedup: JSON.parse(JSON.stringify(this.dedup)) as Value,
      work: this.work,
    };
  }

  restore(snapshot: Value): void {
    const s = snapshot as {
      lastSeq: number;
      lastIncludedSeq: number;
      snapDoc: Value;
      doc: Value;
      log: SeqOp[];
      dedup: Record<string, Record<string, number>>;
      work: number;
    };
    this.lastSeq = s.lastSeq;
    this.lastIncludedSeq = s.lastIncludedSeq;
    this.snapDoc = s.snapDoc;
    if (this.opts.position === 'ot') this.text = s.doc as string;
    else this.crdt = this.crdtModel().restore(0, s.doc);
    this.log = [...s.log];
    this.dedup = JSON.parse(JSON.stringify(s.dedup)) as Record<string, Record<string, number>>;
    this.work = s.work;
  }

  fingerprint(): string {
    return `${this.lastSeq}:${this.lastIncludedSeq}:${this.log.length}:${this.docText().length}`;
  }
}
