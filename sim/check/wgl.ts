import type { Operation } from '../history.ts';
import type { LinModel } from './models/types.ts';

/**
 * The Wing-Gong search as improved by Lowe and used by Porcupine, for one partition.
 *
 * The history is a doubly linked list of call and return entries in real-time order. The search
 * walks it: at a call it tries to linearize that operation now (the model must accept it, and
 * the pair (set of linearized ops, resulting state) must be new, else this branch was already
 * explored); linearizing lifts the call and its return out of the list and restarts from the
 * head. Reaching a return entry means the op it closes should already have been linearized, so
 * the search backtracks: it undoes the most recent choice and tries the next call after it.
 *
 * Speed comes from three things here:
 *  - the list lives in Int32Arrays (entry 2i is op i's call, 2i+1 its return), and lifting is
 *    dancing links: an unlift restores exactly what the lift removed;
 *  - the memo key is hashed incrementally (Zobrist: a fixed 32-bit word per op XORed in and
 *    out as ops are linearized and undone) and stored in a flat open-addressing table of
 *    Uint32 words, so a step allocates nothing;
 *  - model states are interned to small integers once, so comparing memo entries is
 *    comparing words.
 *
 * Jepsen semantics: an `info` op's return entry sits after every definite return (it may take
 * effect at any later instant), and the search succeeds as soon as every `ok` op is
 * linearized: remaining `info` ops are the ones that never happened.
 */

export interface SearchLimits {
  /** Deterministic budget: attempts to linearize a call. */
  readonly maxSteps: number;
  /** Wall-clock limit injected from outside sim/; polled every 4096 steps. */
  readonly expired?: () => boolean;
  /** Memory cap: number of (linearized set, state) pairs remembered. */
  readonly maxCacheEntries: number;
}

export type SearchOutcome =
  | { readonly kind: 'ok'; readonly order: readonly number[]; readonly steps: number }
  | { readonly kind: 'violation'; readonly longest: readonly number[]; readonly steps: number }
  | { readonly kind: 'unknown'; readonly reason: 'steps' | 'time' | 'memory'; readonly steps: number };

/** murmur3's 32-bit finaliser: spreads small integers (op indices, state ids) over 32 bits. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A set of (bitset, state id) pairs: open addressing over a flat word pool. */
class MemoTable {
  private readonly stride: number;
  private pool: Uint32Array;
  private table: Int32Array;
  private mask: number;
  size = 0;

  constructor(
    private readonly words: number,
    private readonly max: number,
  ) {
    this.stride = words + 2; // bitset words, state id, hash
    this.pool = new Uint32Array(this.stride * 1024);
    this.table = new Int32Array(2048);
    this.mask = 2047;
  }

  /** Adds the pair; false if it was already there; 'full' when the memory cap is reached. */
  add(bits: Uint32Array, stateId: number, h: number): boolean | 'full' {
    const { stride, words, pool, table } = this;
    let slot = h & this.mask;
    for (;;) {
      const e = table[slot]!;
      if (e === 0) break;
      const base = (e - 1) * stride;
      if (pool[base + words + 1] === h && pool[base + words] === stateId) {
        let same = true;
        for (let w = 0; w < words; w++) {
          if (pool[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size >= this.max) return 'full';
    let base = this.size * stride;
    if (base + stride > this.pool.length) {
      const grown = new Uint32Array(this.pool.length * 2);
      grown.set(this.pool);
      this.pool = grown;
    }
    const p = this.pool;
    for (let w = 0; w < words; w++) p[base + w] = bits[w]!;
    p[base + words] = stateId;
    p[base + words + 1] = h;
    this.size++;
    table[slot] = this.size;
    if (this.size * 2 > table.length) this.rehash();
    return true;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    const { stride, words, pool } = this;
    for (let e = 0; e < this.size; e++) {
      let slot = pool[e * stride + words + 1]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = e + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** Interns model states to dense integer ids, by identity hash or by hash bucket plus `equal`. */
class StateInterner<S> {
  private readonly exact = new Map<string | number, number>();
  private readonly buckets = new Map<string | number, { state: S; id: number }[]>();
  private next = 0;

  constructor(private readonly model: LinModel<S>) {}

  id(state: S): number {
    const h = this.model.hash(state);
    const equal = this.model.equal;
    if (!equal) {
      let id = this.exact.get(h);
      if (id === undefined) {
        id = this.next++;
        this.exact.set(h, id);
      }
      return id;
    }
    let bucket = this.buckets.get(h);
    if (!bucket) {
      bucket = [];
      this.buckets.set(h, bucket);
    }
    for (const b of bucket) if (b.state === state || equal(b.state, state)) return b.id;
    const id = this.next++;
    bucket.push({ state, id });
    return id;
  }
}

/** What one slice of search work ended with. */
export type SliceOutcome = 'ok' | 'violation' | 'paused' | 'time' | 'memory';

/**
 * The search over one partition as a resumable object, so a checker can interleave partitions
 * in slices of steps (as Porcupine runs them in parallel) and stop as soon as one fails, while
 * staying deterministic. `ops` are the `ok` and `info` operations (no `fail`); their order in
 * the array is irrelevant. Real-time order is by position in the original history: op A
 * precedes op B iff A's completion event comes before B's invoke event.
 */
export class PartitionSearch<S> {
  private readonly n: number;
  private readonly head: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly definite: number;
  private readonly bits: Uint32Array;
  private readonly zob: Uint32Array;
  private readonly isOk: Uint8Array;
  private readonly memo: MemoTable;
  private readonly interner: StateInterner<S>;
  private readonly stackOp: Int32Array;
  private readonly stackState: S[];
  private readonly stackId: Int32Array;
  private depth = 0;
  private longestOrder: number[] = [];
  private state: S;
  private stateId: number;
  private zh = 0;
  private linearizedOk = 0;
  private e: number;
  private done: 'ok' | 'violation' | undefined;
  /** Steps taken so far (attempts to linearize a call). */
  steps = 0;

  constructor(
    private readonly model: LinModel<S>,
    private readonly ops: readonly Operation[],
    maxCacheEntries: number,
  ) {
    const n = (this.n = ops.length);
    const head = (this.head = 2 * n);
    const next = (this.next = new Int32Array(2 * n + 1));
    const prev = (this.prev = new Int32Array(2 * n + 1));
    // Entries in real-time order. Unknown completions go last (after every definite one).
    const pos = new Float64Array(2 * n);
    let definite = 0;
    for (let i = 0; i < n; i++) {
      const op = ops[i]!;
      pos[2 * i] = op.invokeIndex;
      if (op.status === 'ok') {
        pos[2 * i + 1] = op.completeIndex;
        definite++;
      } else pos[2 * i + 1] = Infinity;
    }
    this.definite = definite;
    const order = Array.from({ length: 2 * n }, (_, e) => e).sort((a, b) => pos[a]! - pos[b]! || a - b);
    let last = head;
    for (const e of order) {
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = -1;
    const words = Math.max(1, (n + 31) >>> 5);
    this.bits = new Uint32Array(words);
    this.zob = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.zob[i] = mix32((i + 1) * 0x9e3779b1);
    this.isOk = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.isOk[i] = ops[i]!.status === 'ok' ? 1 : 0;
    this.memo = new MemoTable(words, maxCacheEntries);
    this.interner = new StateInterner(model);
    this.stackOp = new Int32Array(n);
    this.stackState = new Array<S>(n);
    this.stackId = new Int32Array(n);
    this.state = model.init();
    this.stateId = this.interner.id(this.state);
    this.e = next[head]!;
  }

  /** ok: indices into `ops` in linearization order (info ops left out never happened). */
  order(): number[] {
    return Array.from(this.stackOp.subarray(0, this.depth));
  }

  /** A longest partial linearization seen (indices into `ops`). */
  longest(): readonly number[] {
    return this.longestOrder;
  }

  /** Runs until a verdict, or `stepLimit` total steps ('paused'), or a limit. Resumable. */
  run(stepLimit: number, expired?: () => boolean): SliceOutcome {
    if (this.done) return this.done;
    const { model, ops, next, prev, head, bits, zob, isOk, memo, interner, stackOp, stackState, stackId, definite } = this;
    let { depth, state, stateId, zh, linearizedOk, e, steps } = this;
    let longest = this.longestOrder;
    let outcome: SliceOutcome;
    for (;;) {
      if (linearizedOk === definite) {
        outcome = 'ok';
        break;
      }
      if (e === -1) {
        outcome = 'violation'; // defensive: cannot happen while a definite return remains
        break;
      }
      if ((e & 1) === 0) {
        const i = e >>> 1;
        if (steps >= stepLimit) {
          outcome = 'paused';
          break;
        }
        steps++;
        if ((steps & 4095) === 0 && expired && expired()) {
          outcome = 'time';
          break;
        }
        const ns = model.step(state, ops[i]!);
        if (ns !== undefined) {
          const nid = ns === state ? stateId : interner.id(ns);
          const nz = (zh ^ zob[i]!) >>> 0;
          const w = i >>> 5;
          const bit = 1 << (i & 31);
          bits[w] = bits[w]! | bit;
          const added = memo.add(bits, nid, (nz ^ mix32(nid + 0x632be5ab)) >>> 0);
          if (added === 'full') {
            bits[w] = bits[w]! & ~bit;
            steps--;
            outcome = 'memory';
            break;
          }
          if (added) {
            stackOp[depth] = i;
            stackState[depth] = state;
            stackId[depth] = stateId;
            depth++;
            if (depth > longest.length) longest = Array.from(stackOp.subarray(0, depth));
            state = ns;
            stateId = nid;
            zh = nz;
            linearizedOk += isOk[i]!;
            // Lift the call and its return out of the list.
            const r = e + 1;
            next[prev[e]!] = next[e]!;
            if (next[e] !== -1) prev[next[e]!] = prev[e]!;
            next[prev[r]!] = next[r]!;
            if (next[r] !== -1) prev[next[r]!] = prev[r]!;
            e = next[head]!;
            continue;
          }
          bits[w] = bits[w]! & ~bit;
        }
        e = next[e]!;
      } else {
        if (depth === 0) {
          outcome = 'violation';
          break;
        }
        depth--;
        const i = stackOp[depth]!;
        state = stackState[depth]!;
        stateId = stackId[depth]!;
        zh = (zh ^ zob[i]!) >>> 0;
        bits[i >>> 5] = bits[i >>> 5]! & ~(1 << (i & 31));
        linearizedOk -= isOk[i]!;
        // Unlift in reverse order of the lift: return first, then call.
        const c = 2 * i;
        const r = c + 1;
        next[prev[r]!] = r;
        if (next[r] !== -1) prev[next[r]!] = r;
        next[prev[c]!] = c;
        if (next[c] !== -1) prev[next[c]!] = c;
        e = next[c]!;
      }
    }
    Object.assign(this, { depth, state, stateId, zh, linearizedOk, e, steps });
    this.longestOrder = longest;
    if (outcome === 'ok' || outcome === 'violation') this.done = outcome;
    return outcome;
  }
}

/** Runs one partition to the end or to a limit. */
export function searchPartition<S>(model: LinModel<S>, ops: readonly Operation[], limits: SearchLimits): SearchOutcome {
  const search = new PartitionSearch(model, ops, limits.maxCacheEntries);
  const out = search.run(limits.maxSteps, limits.expired);
  const steps = search.steps;
  if (out === 'ok') return { kind: 'ok', order: search.order(), steps };
  if (out === 'violation') return { kind: 'violation', longest: search.longest(), steps };
  return { kind: 'unknown', reason: out === 'paused' ? 'steps' : out, steps };
}
