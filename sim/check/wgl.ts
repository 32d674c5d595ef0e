import type { Operation } from '../history.ts';
import type { LinModel, PreparedStep } from './models/types.ts';
import { widen } from '../typed-arrays.ts';

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
 * One pruning rule on top (sound, so verdicts do not change): an op that keeps the state
 * (`LinModel.readOnly` or `keepsState`: a read, a cas that saw another value) and can go
 * next and is legal now may be linearized first without loss. If any linearization of the
 * rest exists, moving that op to its front gives another one: it changes no state, and nothing
 * pending must precede it, since its call comes before every pending return. So at each node
 * the search first looks for such an op among the calls it may take; if there is one it is the
 * node's only child (the "forced" move), and when that child fails (or is found in the memo:
 * explored before, and failed) the node fails. Only when there is none does it walk the other
 * calls, skipping the state-keeping ones, which it now knows are illegal in this state.
 *
 * Speed comes from these things here:
 *  - the list lives in Int32Arrays (entry 2i is op i's call, 2i+1 its return), and lifting is
 *    dancing links: an unlift restores exactly what the lift removed;
 *  - model states are interned to small integers, and the model's answers are cached per
 *    (state id, op) for the first states met, so after the first time a step is one array
 *    read, whatever the model; past those, a model may offer `prepare` (a step specialised
 *    to one op) so that stepping an op does not re-decide what the op is;
 *  - the memo key is hashed incrementally (Zobrist: a fixed 32-bit word per op XORed in and
 *    out as ops are linearized and undone) and stored in flat typed arrays, so a step
 *    allocates nothing.
 *
 * The memo only prunes, so leaving a configuration out of it is always sound; it just may be
 * explored again. A configuration whose state the model has just produced for the first time
 * cannot be in the memo yet, and where most states are new (kv per key: appends in every
 * order, 150k states on c50, one memo hit in forty lifts) remembering it rarely pays. So
 * once a partition has met `memoSkipAfter` new states, and no fewer new states than
 * transitions back to older ones, such configurations are not remembered. Each is then
 * explored at most twice: on a second visit its state is no longer new, and it is
 * remembered. Where states recur (registers; kv-map, where old states outnumber new ones
 * four to ten times) nothing changes.
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

/**
 * A set of (bitset, state id) pairs: entries appended to a pool of Uint32 words
 * ([state id + 1, bitset words...]), and an open-addressing index of (hash, entry + 1) pairs,
 * so a probe reads the hash next to the slot and touches the pool only when the hash matches,
 * and growing rehashes the index without reading the pool.
 */
class MemoTable {
  private readonly stride: number;
  private pool: Uint32Array;
  private index: Int32Array;
  private mask: number;
  size = 0;

  constructor(
    private readonly words: number,
    private readonly max: number,
  ) {
    this.stride = words + 1;
    this.pool = new Uint32Array(this.stride * 512);
    this.index = new Int32Array(2 * 1024);
    this.mask = 1023;
  }

  /** Adds the pair: 1 if added, 0 if it was already there, 2 when the memory cap is reached. */
  add(bits: Uint32Array, sid1: number, h: number): number {
    const { stride, words, pool, index, mask } = this;
    let slot = h & mask;
    for (;;) {
      const e = index[2 * slot + 1]!;
      if (e === 0) break;
      if (index[2 * slot] === (h | 0)) {
        const base = (e - 1) * stride;
        if (pool[base] === sid1) {
          let w = 0;
          while (w < words && pool[base + 1 + w] === bits[w]) w++;
          if (w === words) return 0;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (this.size >= this.max) return 2;
    const base = this.size * stride;
    if (base + stride > pool.length) this.pool = widen(pool, pool.length * 2);
    const p = this.pool;
    p[base] = sid1;
    for (let w = 0; w < words; w++) p[base + 1 + w] = bits[w]!;
    index[2 * slot] = h;
    index[2 * slot + 1] = ++this.size;
    if (this.size * 2 > mask + 1) this.grow();
    return 1;
  }

  private grow(): void {
    const old = this.index;
    const slots = (this.mask + 1) * 2;
    const mask = slots - 1;
    const index = new Int32Array(2 * slots);
    for (let j = 0; j < old.length; j += 2) {
      const e = old[j + 1]!;
      if (e === 0) continue;
      const h = old[j]!;
      let slot = h & mask;
      while (index[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      index[2 * slot] = h;
      index[2 * slot + 1] = e;
    }
    this.index = index;
    this.mask = mask;
  }
}

/**
 * Interns model states to dense integer ids: by the hash alone when the model has no `equal`
 * (the hash is the state's identity), else by hash bucket plus `equal`. Integer hashes (small
 * enough to be exact) go to an open-addressing table in typed arrays, others to a Map; ids
 * with the same hash are chained through `sameHash`, so a state costs no allocation.
 */
class StateInterner<S> {
  private readonly byString = new Map<string | number, number>();
  /** Open addressing over integer hashes: slot -> id + 1 (0 = empty). */
  private slots = new Int32Array(64);
  private mask = 63;
  private used = 0;
  /** Per id: its hash if an integer, the next id with the same hash (or -1). */
  private intHash = new Int32Array(64);
  private sameHash = new Int32Array(64);
  /** The representative state of each id. */
  readonly states: S[] = [];

  constructor(private readonly model: LinModel<S>) {}

  id(state: S): number {
    const h = this.model.hash(state);
    if (typeof h === 'number' && (h | 0) === h) return this.intId(state, h);
    const head = this.byString.get(h);
    if (head !== undefined) {
      const found = this.find(head, state);
      if (found !== -1) return found;
    }
    const id = this.add(state, head ?? -1, 0);
    this.byString.set(h, id);
    return id;
  }

  private intId(state: S, h: number): number {
    const { slots, mask, intHash } = this;
    let slot = mix32(h) & mask;
    for (;;) {
      const e = slots[slot]!;
      if (e === 0) break;
      if (intHash[e - 1] === h) {
        const found = this.find(e - 1, state);
        if (found !== -1) return found;
        // A new state with the same hash: it becomes the head of this hash's chain.
        const id = this.add(state, e - 1, h);
        slots[slot] = id + 1;
        return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.add(state, -1, h);
    slots[slot] = id + 1;
    if (++this.used * 2 > mask + 1) this.growSlots();
    return id;
  }

  /** The id of a state equal to `state` in the chain starting at `head`, or -1. */
  private find(head: number, state: S): number {
    const equal = this.model.equal;
    if (!equal) return head;
    const { states, sameHash } = this;
    for (let id = head; id !== -1; id = sameHash[id]!) {
      const b = states[id]!;
      if (b === state || equal(b, state)) return id;
    }
    return -1;
  }

  private add(state: S, next: number, h: number): number {
    const id = this.states.length;
    this.states.push(state);
    if (id === this.sameHash.length) {
      this.sameHash = widen(this.sameHash, 2 * id);
      this.intHash = widen(this.intHash, 2 * id);
    }
    this.sameHash[id] = next;
    this.intHash[id] = h;
    return id;
  }

  private growSlots(): void {
    // Four times larger: slots are 4 bytes, and rehashing is the cost (kv: 150k states).
    const size = (this.mask + 1) * 4;
    const mask = size - 1;
    const slots = new Int32Array(size);
    const old = this.slots;
    for (let j = 0; j < old.length; j++) {
      const e = old[j]!;
      if (e === 0) continue;
      let slot = mix32(this.intHash[e - 1]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * Knobs of the search's fast paths, exported so tests can move them and drive every path
 * through the brute-force cross-checks: how many transitions to cache per partition (see
 * TransitionCache; 2^14 entries is 200 states of an 81-op etcd history, which needs 6);
 * whether to sort the history's entries as packed floats (else with a comparator, as for
 * histories too long to pack exactly); after how many new states the memo may skip
 * configurations whose state is new (see the header).
 */
export const searchTuning = { denseTransitions: 1 << 14, packedSort: true, memoSkipAfter: 1024 };

/**
 * Remembers model transitions: (state id, op) -> next state id, or "illegal". A model's step is
 * a function of the state (up to the model's equality) and the op, and the search asks the
 * same question over and over (etcd_007: 1.7M steps, 239 distinct transitions), so after the
 * first time a step is one array read. Dense rows, one Int32 per op, for the states met first
 * (up to `searchTuning.denseTransitions` entries); states past that are stepped by the model
 * each time. A hash table for those did not pay: where states are that many (appends in every
 * order), almost every (state, op) pair is asked about once.
 * Codes: 0 = not known yet, 1 = illegal, 2 + id = next state id.
 */
class TransitionCache {
  /** Row-major, n entries per state id below `rows`. */
  dense: Int32Array;
  rows: number;
  private readonly maxRows: number;

  constructor(private readonly n: number) {
    this.maxRows = Math.floor(searchTuning.denseTransitions / Math.max(1, n));
    this.rows = Math.min(this.maxRows, 8);
    this.dense = new Int32Array(this.rows * n);
  }

  set(sid: number, i: number, code: number): void {
    if (sid >= this.maxRows) return;
    const n = this.n;
    if (sid >= this.rows) {
      let rows = this.rows * 2;
      while (rows <= sid) rows *= 2;
      rows = Math.min(rows, this.maxRows);
      this.dense = widen(this.dense, rows * n);
      this.rows = rows;
    }
    this.dense[sid * n + i] = code;
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
  /** 1 for ops that keep the state wherever they are legal (reads, refused writes). */
  private readonly keeps: Uint8Array;
  private readonly memo: MemoTable;
  private readonly interner: StateInterner<S>;
  private readonly trans: TransitionCache;
  /** The model's step prepared per op (LinModel.prepare) on first use, when it has one. */
  private readonly prepared: (PreparedStep<S> | undefined)[] | undefined;
  private readonly stackOp: Int32Array;
  private readonly stackId: Int32Array;
  /** 1 where the op at that depth was a forced move: if it fails, the node below fails too. */
  private readonly stackForced: Uint8Array;
  /** 1 while looking for a forced move at the current node, 0 while walking its other calls. */
  private scanning = 1;
  /** Transitions (computed by the model) to a state never met before, and to an older one. */
  private newStates = 0;
  private oldStates = 0;
  private depth = 0;
  /** A longest partial linearization seen: its first `longestLen` entries. */
  private readonly longestBuf: Int32Array;
  private longestLen = 0;
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
    // Entries in real-time order. Unknown completions go last (after every definite one), in
    // op order.
    const pos = new Float64Array(2 * n);
    let definite = 0;
    const isOk = (this.isOk = new Uint8Array(n));
    let maxPos = 0;
    for (let i = 0; i < n; i++) {
      const op = ops[i]!;
      pos[2 * i] = op.invokeIndex;
      if (op.status === 'ok') {
        pos[2 * i + 1] = op.completeIndex;
        isOk[i] = 1;
        definite++;
      } else pos[2 * i + 1] = -1;
      if (pos[2 * i + 1]! > maxPos) maxPos = pos[2 * i + 1]!;
      if (op.invokeIndex > maxPos) maxPos = op.invokeIndex;
    }
    for (let e = 1; e < 2 * n; e += 2) if (pos[e] === -1) pos[e] = maxPos + 1;
    this.definite = definite;
    const scale = 2 * n + 1;
    let order: ArrayLike<number>;
    if (searchTuning.packedSort && (maxPos + 2) * scale <= Number.MAX_SAFE_INTEGER) {
      // (position, entry) packed in one exact float: a numeric sort, no comparator calls.
      const keys = new Float64Array(2 * n);
      for (let e = 0; e < 2 * n; e++) keys[e] = pos[e]! * scale + e;
      keys.sort();
      for (let j = 0; j < 2 * n; j++) keys[j] = keys[j]! - Math.floor(keys[j]! / scale) * scale;
      order = keys;
    } else {
      order = Array.from({ length: 2 * n }, (_, e) => e).sort((x, y) => pos[x]! - pos[y]! || x - y);
    }
    let last = head;
    for (let j = 0; j < 2 * n; j++) {
      const e = order[j]!;
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = -1;
    const words = Math.max(1, (n + 31) >>> 5);
    this.bits = new Uint32Array(words);
    this.zob = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.zob[i] = mix32((i + 1) * 0x9e3779b1);
    this.memo = new MemoTable(words, maxCacheEntries);
    this.interner = new StateInterner(model);
    this.trans = new TransitionCache(n);
    this.stackOp = new Int32Array(n);
    this.stackId = new Int32Array(n);
    this.stackForced = new Uint8Array(n);
    this.longestBuf = new Int32Array(n);
    const keeps = (this.keeps = new Uint8Array(n));
    // Read-only ops keep the state by definition; keepsState adds the ones that do only when legal.
    for (let i = 0; i < n; i++) keeps[i] = model.readOnly?.(ops[i]!) || model.keepsState?.(ops[i]!) ? 1 : 0;
    this.prepared = model.prepare ? new Array<PreparedStep<S> | undefined>(n).fill(undefined) : undefined;
    this.stateId = this.interner.id(model.init());
    this.e = next[head]!;
  }

  /** ok: indices into `ops` in linearization order (info ops left out never happened). */
  order(): number[] {
    return Array.from(this.stackOp.subarray(0, this.depth));
  }

  /** A longest partial linearization seen (indices into `ops`). */
  longest(): readonly number[] {
    return Array.from(this.longestBuf.subarray(0, this.longestLen));
  }

  /** Asks the model for the step of op i from state sid, and caches the answer. */
  private transition(sid: number, i: number): number {
    const states = this.interner.states;
    const state = states[sid]!;
    const prepared = this.prepared;
    let ns: S | undefined;
    if (prepared !== undefined) {
      let step = prepared[i];
      if (step === undefined) step = prepared[i] = this.model.prepare!(this.ops[i]!);
      ns = step(state);
    } else ns = this.model.step(state, this.ops[i]!);
    const code = ns === undefined ? 1 : 2 + (ns === state ? sid : this.interner.id(ns));
    this.trans.set(sid, i, code);
    return code;
  }

  /** Runs until a verdict, or `stepLimit` total steps ('paused'), or a limit. Resumable. */
  run(stepLimit: number, expired?: () => boolean): SliceOutcome {
    if (this.done) return this.done;
    const { n, next, prev, head, bits, zob, isOk, keeps, memo, trans, interner, stackOp, stackId, stackForced, definite } = this;
    let dense = trans.dense;
    let rows = trans.rows;
    const skipAfter = searchTuning.memoSkipAfter;
    let { depth, stateId, zh, linearizedOk, e, steps, scanning, newStates, oldStates } = this;
    const longest = this.longestBuf;
    let longestLen = this.longestLen;
    let outcome: SliceOutcome;
    if (linearizedOk === definite) outcome = 'ok';
    else
      for (;;) {
        if ((e & 1) === 0) {
          const i = e >>> 1;
          // Scanning: only state-keeping ops. Walking: only the others (the state-keeping ones
          // were all found illegal here by the scan).
          if (keeps[i] !== scanning) {
            e = next[e]!;
            continue;
          }
          if (steps >= stepLimit) {
            outcome = 'paused';
            break;
          }
          steps++;
          if ((steps & 4095) === 0 && expired !== undefined && expired()) {
            outcome = 'time';
            break;
          }
          let code = stateId < rows ? dense[stateId * n + i]! : 0;
          // A state the model has just produced for the first time: no memo entry holds it.
          let fresh = false;
          if (code === 0) {
            const known = interner.states.length;
            code = this.transition(stateId, i);
            fresh = code - 2 >= known;
            if (fresh) newStates++;
            else if (code !== 1 && code - 2 !== stateId) oldStates++;
            dense = trans.dense;
            rows = trans.rows;
          }
          if (code !== 1) {
            const nid = code - 2;
            if (scanning === 1 && nid !== stateId) throw new Error(`model ${this.model.name}: keepsState/readOnly says ${this.ops[i]!.f} keeps the state, but its step changed it`);
            const nz = (zh ^ zob[i]!) >>> 0;
            const w = i >>> 5;
            const bit = 1 << (i & 31);
            bits[w] = bits[w]! | bit;
            // Where the states met are mostly new (kv: appends in every order), such a
            // configuration is not remembered either (see the header comment).
            const skip = fresh && newStates >= oldStates && newStates >= skipAfter;
            const added = skip ? 1 : memo.add(bits, nid + 1, (nz ^ mix32(nid + 0x632be5ab)) >>> 0);
            if (added === 1) {
              stackOp[depth] = i;
              stackId[depth] = stateId;
              stackForced[depth] = scanning;
              depth++;
              if (depth > longestLen) {
                for (let j = 0; j < depth; j++) longest[j] = stackOp[j]!;
                longestLen = depth;
              }
              stateId = nid;
              zh = nz;
              // Lift the call and its return out of the list.
              const r = e + 1;
              let p = prev[e]!;
              let q = next[e]!;
              next[p] = q;
              prev[q] = p; // q is never -1: the return follows the call
              p = prev[r]!;
              q = next[r]!;
              next[p] = q;
              if (q !== -1) prev[q] = p;
              if (isOk[i] === 1 && ++linearizedOk === definite) {
                outcome = 'ok';
                break;
              }
              scanning = 1;
              e = next[head]!;
              continue;
            }
            bits[w] = bits[w]! & ~bit;
            if (added === 2) {
              steps--;
              outcome = 'memory';
              break;
            }
            if (scanning === 1) {
              // The forced move leads somewhere already explored, and failed there: so does
              // this node. Backtrack (an odd entry means "a return": -1 & 1 === 1).
              scanning = 0;
              e = -1;
              continue;
            }
          }
          e = next[e]!;
        } else if (scanning === 1) {
          // End of the calls this node may take, and no forced move: walk them.
          scanning = 0;
          e = next[head]!;
        } else {
          // Backtrack: undo the most recent choice; past a forced move, the node below it
          // fails as well, so keep undoing.
          let c = -1;
          while (depth > 0) {
            depth--;
            const i = stackOp[depth]!;
            stateId = stackId[depth]!;
            zh = (zh ^ zob[i]!) >>> 0;
            bits[i >>> 5] = bits[i >>> 5]! & ~(1 << (i & 31));
            linearizedOk -= isOk[i]!;
            // Unlift in reverse order of the lift: return first, then call.
            const r = 2 * i + 1;
            const q = next[r]!;
            next[prev[r]!] = r;
            if (q !== -1) prev[q] = r;
            next[prev[r - 1]!] = r - 1;
            prev[next[r - 1]!] = r - 1;
            if (stackForced[depth] === 0) {
              c = r - 1;
              break;
            }
          }
          if (c === -1) {
            outcome = 'violation';
            break;
          }
          e = next[c]!;
        }
      }
    this.depth = depth;
    this.stateId = stateId;
    this.zh = zh;
    this.linearizedOk = linearizedOk;
    this.e = e;
    this.steps = steps;
    this.scanning = scanning;
    this.newStates = newStates;
    this.oldStates = oldStates;
    this.longestLen = longestLen;
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
