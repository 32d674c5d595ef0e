import type { Value } from '../../sim/value.ts';
import { type Flaws, NO_FLAWS } from './flaws.ts';

/**
 * An add-wins observed-remove set with explicit tombstones. Every add mints a unique dot
 * ("node:counter"); a remove tombstones the dots it has observed for the element, so an add
 * it did not observe (a concurrent one) survives. The element is present while it has a live
 * dot. Merge is union of dots minus union of tombstones: a join.
 */
export interface OrSet {
  readonly [k: string]: Value;
  /** element -> live dots */
  readonly adds: { readonly [elem: string]: { readonly [dot: string]: true } };
  /** removed dots */
  readonly tomb: { readonly [dot: string]: true };
}

export const ORSET_EMPTY: OrSet = { adds: {}, tomb: {} };

export function orsetElements(s: OrSet): string[] {
  return Object.keys(s.adds).filter((e) => Object.keys(s.adds[e] ?? {}).length > 0).sort();
}

export function orsetHas(s: OrSet, e: string): boolean {
  return Object.keys(s.adds[e] ?? {}).length > 0;
}

/** Returns the new state and the delta (just the new dot). */
export function orsetAdd(s: OrSet, e: string, dot: string): { state: OrSet; delta: OrSet } {
  const delta: OrSet = { adds: { [e]: { [dot]: true } }, tomb: {} };
  return { state: orsetMerge(s, delta), delta };
}

/** Tombstones every dot of `e` this replica has observed. */
export function orsetRemove(s: OrSet, e: string, flaws: Flaws = NO_FLAWS): { state: OrSet; delta: OrSet; observed: string[] } {
  const observed = Object.keys(s.adds[e] ?? {}).sort();
  const tombstones = flaws.forgetTombstone ? [] : observed; // planted: the remove keeps no tombstone
  const delta: OrSet = { adds: {}, tomb: Object.fromEntries(tombstones.map((d) => [d, true] as const)) };
  const { [e]: _gone, ...rest } = s.adds;
  return { state: orsetMerge({ adds: rest, tomb: s.tomb }, delta), delta, observed };
}

export function orsetMerge(a: OrSet, b: OrSet): OrSet {
  const tomb: { [dot: string]: true } = { ...a.tomb, ...b.tomb };
  const adds: { [elem: string]: { [dot: string]: true } } = {};
  for (const src of [a.adds, b.adds]) {
    for (const [e, dots] of Object.entries(src)) {
      for (const d of Object.keys(dots)) {
        if (tomb[d]) continue;
        (adds[e] ??= {})[d] = true;
      }
    }
  }
  return { adds, tomb };
}
