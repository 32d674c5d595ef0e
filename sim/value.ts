/**
 * Plain data that can cross every boundary in faultline: messages, storage, history values,
 * evidence, JSON files. Keeping payloads to this shape is what lets a trace be hashed and a
 * repro be written without custom serialisers.
 */
export type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value };

/** Virtual time, an integer number of microseconds since the start of the run. */
export type Micros = number;

export const MS: Micros = 1_000;
export const SECOND: Micros = 1_000_000;

/** A node's name in the simulated network (servers and clients alike). */
export type NodeId = string;

/** Deep structural equality on Values; objects compare key-by-key regardless of key order. */
export function valueEquals(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as readonly Value[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as { readonly [k: string]: Value };
  const bo = b as { readonly [k: string]: Value };
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) if (!(k in bo) || !valueEquals(ao[k], bo[k])) return false;
  return true;
}

/** Canonical JSON: object keys sorted, so equal Values always print (and hash) the same. */
export function canonicalJson(v: Value | undefined): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map((x: Value) => canonicalJson(x)).join(',') + ']';
  const o = v as { readonly [k: string]: Value };
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}
