import type { StateMachine } from '../raft/api.ts';
import { SequencerState } from '../doc-sequencer/state-machine.ts';
import type { Value } from '../../sim/value.ts';
import type { Change, CitizenView } from './engine.ts';
import { opChanges, textTokens } from './seq-ot.ts';

/**
 * Option 2's replicated state machine: the four objects, changed only by committed
 * transactions, in Raft log order, on every context. A transaction is a list of changes across
 * objects; it commits whole or aborts whole ("Clear commit/rollback semantics"). Preconditions
 * that abort it: a ZenValue write is a compare-and-set against the value its writer saw; a
 * ZenSeq insert names the element it goes after, and a delete the element it removes, so a
 * sequence edit made on a stale view aborts instead of landing in the wrong place.
 *
 * Option 3 (`ot: true`) keeps ZenSeq in doc-sequencer's SequencerState (ot-text-unicode, server
 * side transform against every op after the proposer's base, in log order): a ZenSeq edit is
 * an OT op at a position of the text as of `base`, transformed instead of aborted.
 */
export type TxChange =
  | { readonly [k: string]: Value; readonly o: 'value'; readonly v: Value; readonly expect: Value }
  | { readonly [k: string]: Value; readonly o: 'table'; readonly k: string; readonly v: Value }
  | { readonly [k: string]: Value; readonly o: 'table-del'; readonly k: string }
  | { readonly [k: string]: Value; readonly o: 'seq-ins'; readonly after: string | null; readonly v: string }
  | { readonly [k: string]: Value; readonly o: 'seq-del'; readonly x: string }
  | { readonly [k: string]: Value; readonly o: 'seq-ot'; readonly op: Value; readonly base: number; readonly n: number }
  | { readonly [k: string]: Value; readonly o: 'set-add'; readonly e: string; readonly tag: string }
  | { readonly [k: string]: Value; readonly o: 'set-del'; readonly e: string };

export interface TxCommand {
  readonly [k: string]: Value;
  readonly k: 'tx';
  readonly id: string;
  readonly from: string;
  readonly changes: readonly TxChange[];
  /** A read-only transaction: its output carries the registers (and text) at its log position. */
  readonly read: boolean;
}

export interface TxReads {
  readonly [k: string]: Value;
  readonly value: Value;
  readonly table: { readonly [k: string]: Value };
  readonly set: { readonly [e: string]: Value };
  readonly text: string | null;
}

export type TxOutput =
  | { readonly [k: string]: Value; readonly id: string; readonly r: 'commit'; readonly changes: readonly Change[]; readonly reads: TxReads | null }
  /** `failed`: index of the change whose precondition failed; `changes`: what was applied anyway (only a planted bug applies any). */
  | { readonly [k: string]: Value; readonly id: string; readonly r: 'abort'; readonly reason: string; readonly failed: number; readonly changes: readonly Change[] }
  | { readonly [k: string]: Value; readonly id: string; readonly r: 'dup' };

export interface TxOptions {
  readonly ot: boolean;
  /** bug:partial-abort: a failed precondition aborts, but the changes before it stay applied. */
  readonly partialAbort?: boolean;
  /** bug:ot-no-transform: an OT op is applied as if its base were the newest text (never transformed). */
  readonly otNoTransform?: boolean;
  /** ZenSeq OT log compaction (ops); a proposal based before the compacted prefix aborts. */
  readonly compactEvery?: number;
}

interface Objects {
  [k: string]: Value;
  value: Value;
  table: { [k: string]: Value };
  seq: string[];
  set: { [e: string]: string };
}

export class TxState implements StateMachine {
  private o: Objects = { value: null, table: {}, seq: [], set: {} };
  /** Transaction ids applied (committed or aborted): a forwarded proposal retried is applied once. */
  private done = new Set<string>();
  private seqOt: SequencerState | undefined;

  constructor(private readonly opts: TxOptions) {
    if (opts.ot) this.seqOt = newSequencer(opts);
  }

  /** The ZenSeq OT version a proposer bases its op on (0 without OT). */
  get seqVersion(): number {
    return this.seqOt?.lastSeq ?? 0;
  }

  text(): string | null {
    return this.seqOt ? this.seqOt.docText() : null;
  }

  private seq(): string[] {
    return this.seqOt ? textTokens(this.seqOt.docText()) : this.o.seq;
  }

  view(): CitizenView {
    const table: { [k: string]: Value } = {};
    for (const k of Object.keys(this.o.table).sort()) table[k] = this.o.table[k] ?? null;
    return { value: this.o.value, table, seq: [...this.seq()], set: Object.keys(this.o.set).sort() };
  }

  liveTokens(): string[] {
    return [this.o.value, ...this.seq(), ...Object.values(this.o.set)].filter((t): t is string => typeof t === 'string');
  }

  apply(command: Value, _index: number): Value {
    const c = command as TxCommand | null;
    if (!c || typeof c !== 'object' || c.k !== 'tx') return null;
    if (this.done.has(c.id)) return { id: c.id, r: 'dup' };
    this.done.add(c.id);
    return this.run(c) as unknown as Value;
  }

  private run(c: TxCommand): TxOutput {
    // Every precondition is tried on a copy; the copy replaces the state only on commit.
    const w: Objects = structuredClone(this.o);
    const out: Change[] = [];
    const ot = c.changes.find((x) => x.o === 'seq-ot');
    if (ot && this.seqOt && (ot.base as number) < this.seqOt.lastIncludedSeq) return { id: c.id, r: 'abort', reason: 'stale base', failed: c.changes.indexOf(ot), changes: [] };
    for (let i = 0; i < c.changes.length; i++) {
      const ch = c.changes[i] as TxChange;
      const why = step(w, ch, out);
      if (why !== null) {
        if (this.opts.partialAbort) this.o = w; // the planted bug: no rollback of what came before
        return { id: c.id, r: 'abort', reason: why, failed: i, changes: this.opts.partialAbort ? out : [] };
      }
    }
    this.o = w;
    if (ot && this.seqOt) {
      const base = this.opts.otNoTransform ? this.seqOt.lastSeq : (ot.base as number);
      const r = this.seqOt.apply({ k: 'op', opId: c.id, clientId: c.from, localSeq: ot.n as number, base, op: ot.op, seq: null }, 0) as { r: string; applied?: Value };
      if (r.r === 'seq' && r.applied !== undefined) out.push(...opChanges(r.applied));
    }
    const reads: TxReads | null = c.read ? { value: this.o.value, table: { ...this.o.table }, set: { ...this.o.set }, text: this.text() } : null;
    return { id: c.id, r: 'commit', changes: out, reads };
  }

  snapshot(): Value {
    return { o: structuredClone(this.o), done: [...this.done], seqOt: this.seqOt ? this.seqOt.snapshot() : null };
  }

  restore(snapshot: Value): void {
    const s = snapshot as { o: Objects; done: string[]; seqOt: Value };
    this.o = structuredClone(s.o);
    this.done = new Set(s.done);
    if (this.opts.ot) {
      this.seqOt = newSequencer(this.opts);
      if (s.seqOt !== null) this.seqOt.restore(s.seqOt);
    }
  }

  fingerprint(): string {
    return `${JSON.stringify(this.o)}|${this.done.size}|${this.seqOt?.fingerprint() ?? ''}`;
  }

  /** Bytes of state beyond the contents: the dedup table and, with OT, the op log. */
  encodedSize(): number {
    return Buffer.byteLength(JSON.stringify(this.snapshot()), 'utf8');
  }
}

function newSequencer(opts: TxOptions): SequencerState {
  return new SequencerState({ position: 'ot', seqAt: 'apply', replicatedDedup: false, compactEvery: opts.compactEvery ?? 200, compactKeep: 0 });
}

/** Applies one change to `w`, appending its callbacks; returns why it cannot apply, or null. */
function step(w: Objects, ch: TxChange, out: Change[]): string | null {
  switch (ch.o) {
    case 'value':
      if (JSON.stringify(w.value) !== JSON.stringify(ch.expect)) return 'value changed';
      w.value = ch.v;
      out.push({ o: 'value', v: ch.v });
      return null;
    case 'table':
      w.table[ch.k] = ch.v;
      out.push({ o: 'table', k: ch.k, v: ch.v });
      return null;
    case 'table-del':
      if (!(ch.k in w.table)) return null;
      delete w.table[ch.k];
      out.push({ o: 'table-del', k: ch.k });
      return null;
    case 'seq-ins': {
      const at = ch.after === null ? 0 : w.seq.indexOf(ch.after) + 1;
      if (at === 0 && ch.after !== null) return 'anchor gone';
      w.seq.splice(at, 0, ch.v);
      out.push({ o: 'seq-ins', i: at, v: ch.v });
      return null;
    }
    case 'seq-del': {
      const i = w.seq.indexOf(ch.x);
      if (i < 0) return 'element gone';
      w.seq.splice(i, 1);
      out.push({ o: 'seq-del', i });
      return null;
    }
    case 'seq-ot':
      return null; // applied after the rest, by the sequencer (it cannot fail once the base is current)
    case 'set-add': {
      const had = ch.e in w.set;
      w.set[ch.e] = ch.tag;
      if (!had) out.push({ o: 'set-add', e: ch.e });
      return null;
    }
    case 'set-del':
      if (!(ch.e in w.set)) return null;
      delete w.set[ch.e];
      out.push({ o: 'set-del', e: ch.e });
      return null;
  }
}
