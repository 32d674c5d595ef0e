import type { Value } from '../../sim/value.ts';
import { DeltaBuffer, type Lattice } from '../crdt/delta.ts';
import type { Flaws } from '../crdt/flaws.ts';
import { compareStamps, HLC_ZERO, type HlcState, hlcReceive, hlcTick, type Stamp, stampOf } from '../crdt/hlc.ts';
import { type LwwState, lwwMerge, lwwMergeWallclock, lwwSet } from '../crdt/lww.ts';
import { ORMAP_EMPTY, type OrMap, ormapMerge, ormapPut, ormapRemove, ormapValue } from '../crdt/ormap.ts';
import { ORSET_EMPTY, type OrSet, orsetAdd, orsetElements, orsetMerge, orsetRemove } from '../crdt/orset.ts';
import { RGA_EMPTY, type Rga, rgaDelete, rgaInsert, rgaMerge, rgaValues } from '../crdt/rga.ts';
import { type Change, type CitizenView, diffViews, type Engine, jsonBytes, type Outgoing } from './engine.ts';

/**
 * Option 1 with our reference CRDTs: ZenValue = LWW register (+ vector clock), ZenTable =
 * OR-Map, ZenSeq = RGA, ZenSet = OR-Set, composed into one product lattice. Local mutators
 * return deltas; the delta buffer is shipped as one delta-group on flush; anti-entropy sends
 * the full state to every peer periodically, which repairs lost deltas.
 */
export interface ReferenceOptions {
  /** 'hlc': hybrid logical clock stamps (corrected); 'wall': the node's own clock (as the document says). */
  readonly clock: 'hlc' | 'wall';
  /** false: ship the full state on every change instead of a delta (for the bytes comparison). */
  readonly deltas: boolean;
  readonly flaws: Flaws;
}

/** Parts may be absent in a delta (nothing changed there). */
interface State {
  readonly [k: string]: Value;
  readonly value: LwwState;
  readonly table: OrMap;
  readonly seq: Rga;
  readonly set: OrSet;
}
type Delta = Partial<State> & { readonly [k: string]: Value };

const EMPTY: State = { value: null, table: ORMAP_EMPTY, seq: RGA_EMPTY, set: ORSET_EMPTY };

function lattice(opts: ReferenceOptions): Lattice<Delta> {
  const lww = opts.clock === 'hlc' ? lwwMerge : lwwMergeWallclock;
  return {
    bottom: {},
    join(a, b) {
      const out: { [k: string]: Value } = {};
      if ('value' in a || 'value' in b) out.value = lww(a.value ?? null, b.value ?? null, opts.flaws).state;
      if (a.table || b.table) out.table = ormapMerge(a.table ?? ORMAP_EMPTY, b.table ?? ORMAP_EMPTY);
      if (a.seq || b.seq) out.seq = rgaMerge(a.seq ?? RGA_EMPTY, b.seq ?? RGA_EMPTY, opts.flaws);
      if (a.set || b.set) out.set = orsetMerge(a.set ?? ORSET_EMPTY, b.set ?? ORSET_EMPTY);
      return out as Delta;
    },
  };
}

/** The greatest stamp an incoming state carries (the HLC moves past it). */
function maxStamp(d: Delta): Stamp | undefined {
  let best: Stamp | undefined = d.value?.stamp;
  for (const dots of Object.values(d.table?.entries ?? {})) {
    for (const [, s] of Object.values(dots)) if (!best || compareStamps(s, best) > 0) best = s;
  }
  return best;
}

const viewOf = (s: State): CitizenView => ({ value: s.value?.value ?? null, table: ormapValue(s.table), seq: rgaValues(s.seq), set: orsetElements(s.set) });

interface Saved {
  readonly [k: string]: Value;
  readonly state: State;
  readonly hlc: HlcState;
  readonly dots: number;
}

export function referenceEngine(node: string, now: () => number, opts: ReferenceOptions, saved: Value | undefined): Engine {
  const L = lattice(opts);
  const s0 = saved as Saved | undefined;
  let state: State = s0?.state ?? EMPTY;
  let hlc: HlcState = s0?.hlc ?? HLC_ZERO;
  let dots = s0?.dots ?? 0;
  const subs: ((c: Change) => void)[] = [];
  const buffer = new DeltaBuffer<Delta>(L);

  const stamp = (): Stamp => {
    if (opts.clock === 'wall') return [now(), 0, node];
    hlc = hlcTick(hlc, now());
    return stampOf(hlc, node);
  };
  const emit = (cs: Change[]) => cs.forEach((c) => subs.forEach((f) => f(c)));
  /** Joins a delta into the state, buffers it for peers, and tells subscribers what changed. */
  const local = (delta: Delta) => {
    const before = viewOf(state);
    state = L.join(state, delta) as State;
    buffer.add(delta);
    emit(diffViews(before, viewOf(state)));
  };

  return {
    view: () => viewOf(state),
    subscribe: (cb) => void subs.push(cb),
    setValue(v) {
      local({ value: lwwSet(state.value, v, stamp()) });
    },
    put(k, v) {
      local({ table: ormapPut(state.table, k, v, `${node}:${++dots}`, stamp()).delta });
    },
    removeKey(k) {
      local({ table: ormapRemove(state.table, k).delta });
    },
    insert(i, v) {
      local({ seq: rgaInsert(state.seq, i, v, node).delta });
    },
    deleteAt(i) {
      const d = rgaDelete(state.seq, i);
      if (d) local({ seq: d.delta });
    },
    add(e, tag) {
      local({ set: orsetAdd(state.set, e, tag).delta });
    },
    discard(e) {
      const r = orsetRemove(state.set, e, opts.flaws);
      const before = viewOf(state);
      // The remover's own copy drops the element's dots even when (planted flaw) no tombstone is kept.
      state = { ...state, set: r.state };
      buffer.add({ set: r.delta });
      emit(diffViews(before, viewOf(state)));
      return r.observed;
    },
    receive(_from, msg) {
      const m = msg as { t?: Value; d?: Delta };
      if ((m.t !== 'delta' && m.t !== 'full') || !m.d) return [];
      const remote = maxStamp(m.d);
      if (opts.clock === 'hlc' && remote) hlc = hlcReceive(hlc, remote, now());
      const before = viewOf(state);
      state = L.join(state, m.d) as State;
      emit(diffViews(before, viewOf(state)));
      return [];
    },
    flush() {
      const g = buffer.take();
      if (!g) return [];
      return [{ msg: opts.deltas ? { t: 'delta', d: g } : { t: 'full', d: state } }];
    },
    antiEntropy: (peers) => peers.map((to) => ({ to, msg: { t: 'full', d: state } })),
    liveTokens: () => {
      const v = viewOf(state);
      const tags = Object.values(state.set.adds).flatMap((dots) => Object.keys(dots));
      return [v.value, ...v.seq, ...tags].filter((t): t is string => typeof t === 'string');
    },
    save: (): Saved => ({ state, hlc, dots }),
    encodedSize: () => jsonBytes(state),
  };
}

/** For tests: the reference state's register, to see vector clocks and stamps. */
export type { State as ReferenceState };
