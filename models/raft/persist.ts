import { isTorn, type DurableStorage } from '../../sim/storage.ts';
import type { NodeId, Value } from '../../sim/value.ts';
import { FNV_BASIS } from '../../sim/hash.ts';
import { isWireEntry, RaftLog, type WireEntry } from './log.ts';

/**
 * Raft's persistent state (Figure 2: currentTerm, votedFor, log[]; section 7: the snapshot) in
 * a node's DurableStorage. Layout under the prefix:
 *   hs0, hs1      { seq, term, vote }: the hard state, written to the two slots in turn
 *   snap0, snap1  { seq, index, term, chain, state }: the snapshot, in turn too
 *   log/<index>   { t, d } or { t, d, c }: one entry per key (term, digest, command), index zero-padded
 * Two slots for what is overwritten in place, because a crash may tear the write in flight
 * (sim/storage.ts): the other slot then still holds the previous value. A log key that is torn,
 * or that follows a gap, ends the log on restart: such entries were never synced, so never
 * acknowledged (unless a planted bug acknowledged them).
 */
export interface HardState {
  readonly term: number;
  readonly vote: NodeId | null;
}

export interface StoredSnapshot {
  readonly index: number;
  readonly term: number;
  readonly chain: number;
  readonly state: Value;
}

export interface Loaded {
  readonly hard: HardState;
  readonly snapshot: StoredSnapshot | undefined;
  readonly log: RaftLog;
}

const pad = (i: number) => String(i).padStart(12, '0');

export class RaftStorage {
  private hsSeq = 0;
  private snapSeq = 0;

  constructor(
    private readonly s: DurableStorage,
    private readonly p: string,
  ) {}

  logKey(index: number): string {
    return `${this.p}log/${pad(index)}`;
  }

  saveHard(h: HardState): void {
    this.hsSeq++;
    this.s.put(`${this.p}hs${this.hsSeq % 2}`, { seq: this.hsSeq, term: h.term, vote: h.vote });
  }

  saveSnapshot(snap: StoredSnapshot): void {
    this.snapSeq++;
    this.s.put(`${this.p}snap${this.snapSeq % 2}`, { seq: this.snapSeq, index: snap.index, term: snap.term, chain: snap.chain, state: snap.state });
  }

  putEntry(index: number, e: WireEntry): void {
    this.s.put(this.logKey(index), e);
  }

  /** Deletes log keys in [from, to], ascending (so a crash that keeps a prefix leaves a gap, never a stale tail). */
  deleteEntries(from: number, to: number): void {
    for (let i = from; i <= to; i++) this.s.delete(this.logKey(i));
  }

  sync(): void {
    this.s.sync();
  }

  /** Reads everything back after a restart; cleans up what a crash or a compaction left behind. */
  load(): Loaded {
    const hs = this.newestSlot('hs');
    this.hsSeq = hs ? (hs.seq as number) : 0;
    const hard: HardState = hs ? { term: hs.term as number, vote: (hs.vote as NodeId | null) ?? null } : { term: 0, vote: null };
    const sn = this.newestSlot('snap');
    this.snapSeq = sn ? (sn.seq as number) : 0;
    const snapshot: StoredSnapshot | undefined = sn
      ? { index: sn.index as number, term: sn.term as number, chain: sn.chain as number, state: sn.state ?? null }
      : undefined;
    const log = new RaftLog();
    if (snapshot) {
      log.base = snapshot.index;
      log.baseTerm = snapshot.term;
      log.baseChain = snapshot.chain;
    } else log.baseChain = FNV_BASIS;
    const prefix = `${this.p}log/`;
    let ended = false;
    for (const key of this.s.keys(prefix)) {
      const index = Number(key.slice(prefix.length));
      const v = this.s.get(key);
      if (index <= log.base || ended || index !== log.lastIndex + 1 || isTorn(v) || !isWireEntry(v)) {
        if (index > log.base) ended = true;
        this.s.delete(key);
        continue;
      }
      log.appendWire(v);
    }
    this.s.sync();
    return { hard, snapshot, log };
  }

  private newestSlot(name: string): { readonly [k: string]: Value } | undefined {
    let best: { readonly [k: string]: Value } | undefined;
    for (const slot of [0, 1]) {
      const v = this.s.get(`${this.p}${name}${slot}`);
      if (v === undefined || isTorn(v) || typeof v !== 'object' || v === null || Array.isArray(v)) continue;
      const o = v as { readonly [k: string]: Value };
      if (typeof o.seq !== 'number') continue;
      if (!best || (o.seq as number) > (best.seq as number)) best = o;
    }
    return best;
  }
}
