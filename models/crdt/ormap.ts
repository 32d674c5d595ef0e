import type { Value } from '../../sim/value.ts';
import { compareStamps, type Stamp } from './hlc.ts';

/**
 * An observed-remove map whose values are last-writer-wins: each put mints a dot carrying
 * [value, stamp] and tombstones the dots of the key it has observed; a remove tombstones them
 * too. A key is present while it has a live dot (a put concurrent with a remove survives); its
 * value is the live entry with the greatest stamp (concurrent puts: one is dropped).
 */
export type Entry = readonly [value: Value, stamp: Stamp];

export interface OrMap {
  readonly [k: string]: Value;
  readonly entries: { readonly [key: string]: { readonly [dot: string]: Entry } };
  readonly tomb: { readonly [dot: string]: true };
}

export const ORMAP_EMPTY: OrMap = { entries: {}, tomb: {} };

function winner(dots: { readonly [dot: string]: Entry } | undefined): Entry | undefined {
  let best: Entry | undefined;
  for (const e of Object.values(dots ?? {})) if (!best || compareStamps(e[1], best[1]) > 0) best = e;
  return best;
}

export function ormapGet(m: OrMap, key: string): Value | undefined {
  return winner(m.entries[key])?.[0];
}

/** The map's contents, keys sorted. */
export function ormapValue(m: OrMap): { [key: string]: Value } {
  const out: { [key: string]: Value } = {};
  for (const k of Object.keys(m.entries).sort()) {
    const w = winner(m.entries[k]);
    if (w) out[k] = w[0];
  }
  return out;
}

/** Live entries of `key` that did not win: concurrent puts the LWW read hides. */
export function ormapConflicts(m: OrMap, key: string): Value[] {
  const w = winner(m.entries[key]);
  return Object.values(m.entries[key] ?? {}).filter((e) => e !== w).map((e) => e[0]);
}

const observedTomb = (m: OrMap, key: string) => Object.fromEntries(Object.keys(m.entries[key] ?? {}).map((d) => [d, true] as const));

export function ormapPut(m: OrMap, key: string, value: Value, dot: string, stamp: Stamp): { state: OrMap; delta: OrMap } {
  const delta: OrMap = { entries: { [key]: { [dot]: [value, stamp] } }, tomb: observedTomb(m, key) };
  return { state: ormapMerge(m, delta), delta };
}

export function ormapRemove(m: OrMap, key: string): { state: OrMap; delta: OrMap } {
  const delta: OrMap = { entries: {}, tomb: observedTomb(m, key) };
  return { state: ormapMerge(m, delta), delta };
}

export function ormapMerge(a: OrMap, b: OrMap): OrMap {
  const tomb: { [dot: string]: true } = { ...a.tomb, ...b.tomb };
  const entries: { [key: string]: { [dot: string]: Entry } } = {};
  for (const src of [a.entries, b.entries]) {
    for (const [k, dots] of Object.entries(src)) {
      for (const [d, e] of Object.entries(dots)) {
        if (tomb[d]) continue;
        (entries[k] ??= {})[d] = e;
      }
    }
  }
  return { entries, tomb };
}
