import type { Value } from '../../sim/value.ts';
import { type Flaws, NO_FLAWS } from './flaws.ts';
import { compareStamps, type Stamp } from './hlc.ts';
import { compareClocks, increment, mergeClocks, type VClock } from './vclock.ts';

/**
 * A last-writer-wins register with a vector clock beside the timestamp, as the document's
 * `CrdtZenValue` has (crdt_state + vector_clock). The clock decides causality: a write that saw
 * the other wins outright; only concurrent writes are settled by timestamp (ties by node id).
 * With hybrid-logical stamps a causally later write also has the greater stamp, so the merge is
 * the join "greatest stamp, pointwise-max clock"; with raw wall-clock stamps that fails (see
 * `mergeWallclock`).
 */
export interface LwwRegister {
  readonly [k: string]: Value;
  readonly value: Value;
  readonly stamp: Stamp;
  readonly vc: VClock;
}

export type LwwState = LwwRegister | null;

/** A local write; the new register is also the delta to ship. */
export function lwwSet(s: LwwState, value: Value, stamp: Stamp): LwwRegister {
  return { value, stamp, vc: increment(s?.vc ?? {}, stamp[2]) };
}

export interface LwwMerge {
  readonly state: LwwState;
  /** The merge settled two concurrent writes by timestamp: `dropped` lost. */
  readonly conflict?: { readonly kept: Value; readonly dropped: Value };
}

/** Causal merge (the corrected variant, with HLC stamps). */
export function lwwMerge(a: LwwState, b: LwwState, flaws: Flaws = NO_FLAWS): LwwMerge {
  if (a === null) return { state: b };
  if (b === null) return { state: a };
  const order = compareClocks(a.vc, b.vc, flaws);
  if (order === 'before') return { state: b };
  if (order === 'after' || order === 'equal') return { state: a };
  const aWins = compareStamps(a.stamp, b.stamp) >= 0;
  const [w, l] = aWins ? [a, b] : [b, a];
  return { state: { value: w.value, stamp: w.stamp, vc: mergeClocks(a.vc, b.vc) }, conflict: { kept: w.value, dropped: l.value } };
}

/**
 * The document's LWW taken literally: the greater timestamp wins, full stop. With stamps from
 * each node's own clock, a node whose clock runs ahead beats writes made after it in real time.
 */
export function lwwMergeWallclock(a: LwwState, b: LwwState, flaws: Flaws = NO_FLAWS): LwwMerge {
  if (a === null) return { state: b };
  if (b === null) return { state: a };
  const order = compareClocks(a.vc, b.vc, flaws);
  const aWins = compareStamps(a.stamp, b.stamp) >= 0;
  const [w, l] = aWins ? [a, b] : [b, a];
  const state = { value: w.value, stamp: w.stamp, vc: mergeClocks(a.vc, b.vc) };
  return order === 'concurrent' ? { state, conflict: { kept: w.value, dropped: l.value } } : { state };
}
