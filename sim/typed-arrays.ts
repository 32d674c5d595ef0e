/** Typed arrays the kernel and the checker grow by doubling. */
export type GrowableArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

/** A copy of `a` with room for `capacity` elements (the new tail is zero). */
export function widen<A extends GrowableArray>(a: A, capacity: number): A {
  const b = new (a.constructor as new (n: number) => A)(capacity);
  b.set(a);
  return b;
}
