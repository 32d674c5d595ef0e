import { type Flaws, NO_FLAWS } from './flaws.ts';

/** A vector clock: per node, how many of its events are known. Absent entries are 0. */
export type VClock = { readonly [node: string]: number };

export type Order = 'before' | 'after' | 'equal' | 'concurrent';

export function increment(v: VClock, node: string): VClock {
  return { ...v, [node]: (v[node] ?? 0) + 1 };
}

/** Pointwise maximum: the least clock that knows everything either knows. */
export function mergeClocks(a: VClock, b: VClock): VClock {
  const out: { [node: string]: number } = { ...a };
  for (const [n, c] of Object.entries(b)) if (c > (out[n] ?? 0)) out[n] = c;
  return out;
}

/** How `a` relates to `b`: before (a < b), after (a > b), equal, or concurrent. */
export function compareClocks(a: VClock, b: VClock, flaws: Flaws = NO_FLAWS): Order {
  let less = false;
  let greater = false;
  for (const n of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[n] ?? 0;
    const y = b[n] ?? 0;
    if (x < y) less = true;
    if (x > y) greater = true;
  }
  if (flaws.concurrentAsOrdered && less) return 'before'; // planted: concurrent taken as ordered
  if (less && greater) return 'concurrent';
  if (less) return 'before';
  if (greater) return 'after';
  return 'equal';
}
