import { canonicalJson } from '../../sim/value.ts';
import type { Value } from '../../sim/value.ts';
import { FNV_BASIS, foldHash } from '../../sim/hash.ts';

/**
 * One log entry in memory. `command` undefined is Raft's own no-op, appended by a new leader
 * (section 8) so that entries of earlier terms commit through an entry of its own term. `digest`
 * identifies the entry's content and `chain` the whole prefix up to it (a running hash), which
 * is what the consensus checker compares across nodes: equal chains at an index mean equal logs
 * up to it (the Log Matching property, section 5.3).
 */
export interface Entry {
  readonly term: number;
  readonly command: Value | undefined;
  readonly digest: number;
  readonly chain: number;
  /** The wire and disk form, built once. */
  readonly wire: WireEntry;
}

/**
 * The encoding of an entry on the wire and on disk: `{ t, d }` for a no-op, `{ t, d, c }`
 * otherwise. `d` is the digest the proposing leader computed once; followers keep it rather
 * than hash every command again (the command object itself travels unchanged).
 */
export type WireEntry = { readonly t: number; readonly d: number; readonly c?: Value };

export function digestOf(term: number, command: Value | undefined): number {
  return foldHash(foldHash(FNV_BASIS, String(term)), command === undefined ? '~noop' : canonicalJson(command));
}

export function chainOf(prevChain: number, index: number, digest: number): number {
  return foldHash(prevChain, `${index}:${digest}`);
}

export function makeEntry(prevChain: number, index: number, term: number, command: Value | undefined, digest = digestOf(term, command)): Entry {
  const wire: WireEntry = command === undefined ? { t: term, d: digest } : { t: term, d: digest, c: command };
  return { term, command, digest, chain: chainOf(prevChain, index, digest), wire };
}

/** An entry as received (AppendEntries, or the disk): its digest comes with it. */
export function entryFromWire(prevChain: number, index: number, w: WireEntry): Entry {
  return { term: w.t, command: w.c, digest: w.d, chain: chainOf(prevChain, index, w.d), wire: w };
}

export function isWireEntry(v: Value | undefined): v is WireEntry {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { t?: Value }).t === 'number' && typeof (v as { d?: Value }).d === 'number';
}

/**
 * The in-memory log: the entries after the snapshot, index `base + 1` onwards, where `base` is
 * the snapshot's lastIncludedIndex (section 7). Indices are the paper's, starting at 1.
 */
export class RaftLog {
  entries: Entry[] = [];
  base = 0;
  baseTerm = 0;
  baseChain = FNV_BASIS;

  get lastIndex(): number {
    return this.base + this.entries.length;
  }

  get lastTerm(): number {
    return this.entries.length > 0 ? (this.entries[this.entries.length - 1] as Entry).term : this.baseTerm;
  }

  /** The term at `index`, or undefined if it is compacted away (below base) or past the end. */
  termAt(index: number): number | undefined {
    if (index === this.base) return this.baseTerm;
    if (index < this.base || index > this.lastIndex) return undefined;
    return (this.entries[index - this.base - 1] as Entry).term;
  }

  entry(index: number): Entry | undefined {
    return index > this.base ? this.entries[index - this.base - 1] : undefined;
  }

  chainAt(index: number): number {
    if (index === this.base) return this.baseChain;
    return this.entry(index)?.chain ?? this.baseChain;
  }

  append(term: number, command: Value | undefined): Entry {
    const e = makeEntry(this.chainAt(this.lastIndex), this.lastIndex + 1, term, command);
    this.entries.push(e);
    return e;
  }

  appendWire(w: WireEntry): Entry {
    const e = entryFromWire(this.chainAt(this.lastIndex), this.lastIndex + 1, w);
    this.entries.push(e);
    return e;
  }

  /** Removes every entry from `index` on (a conflict, section 5.3). */
  truncateFrom(index: number): void {
    this.entries.length = Math.max(0, index - this.base - 1);
  }

  /** Drops entries up to `index` into a snapshot whose last entry had `term` (section 7). */
  compactTo(index: number, term: number, chain: number): void {
    const keep = index <= this.lastIndex && this.termAt(index) === term ? this.entries.slice(index - this.base) : [];
    this.entries = keep;
    this.base = index;
    this.baseTerm = term;
    this.baseChain = chain;
  }

  /** The log's terms as runs [firstIndex, term], oldest first: a short summary for probes. */
  termRuns(): [number, number][] {
    const runs: [number, number][] = [];
    let prev = -1;
    for (let i = 0; i < this.entries.length; i++) {
      const t = (this.entries[i] as Entry).term;
      if (t !== prev) runs.push([this.base + 1 + i, t]);
      prev = t;
    }
    return runs;
  }

  /** The first index of the run of `term` that contains `index` (the conflict hint of 5.3). */
  firstIndexOfTermAt(index: number): number {
    const t = this.termAt(index);
    let i = index;
    while (i - 1 > this.base && this.termAt(i - 1) === t) i--;
    return i;
  }
}
