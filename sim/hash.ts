/**
 * Small, fast, deterministic hashing used for sub-stream seeds and the running trace hash.
 * Two independent 32-bit lanes (FNV-1a and a murmur-style mix) give a 64-bit identity, which
 * is plenty to tell runs apart and cheap enough to update on every event.
 */
export class Hash64 {
  private a = 0x811c9dc5 | 0;
  private b = 0x9747b28c | 0;

  updateString(s: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.a = a;
    this.b = b;
    return this;
  }

  updateNumber(n: number): this {
    // Integers are the common case (times, ids); others go through their decimal form.
    if (Number.isInteger(n) && Math.abs(n) < 2 ** 31) {
      this.a = Math.imul(this.a ^ n, 0x01000193);
      this.b = Math.imul(this.b ^ n, 0x5bd1e995);
      this.b ^= this.b >>> 13;
      return this;
    }
    return this.updateString(String(n));
  }

  /**
   * Five updateNumber calls in one, for integers that all pass its fast-path test
   * (|n| < 2^31): the same hash, without five calls and checks per traced event.
   */
  updateSmallInts(n1: number, n2: number, n3: number, n4: number, n5: number): this {
    let a = this.a;
    let b = this.b;
    a = Math.imul(a ^ n1, 0x01000193);
    b = Math.imul(b ^ n1, 0x5bd1e995);
    b ^= b >>> 13;
    a = Math.imul(a ^ n2, 0x01000193);
    b = Math.imul(b ^ n2, 0x5bd1e995);
    b ^= b >>> 13;
    a = Math.imul(a ^ n3, 0x01000193);
    b = Math.imul(b ^ n3, 0x5bd1e995);
    b ^= b >>> 13;
    a = Math.imul(a ^ n4, 0x01000193);
    b = Math.imul(b ^ n4, 0x5bd1e995);
    b ^= b >>> 13;
    a = Math.imul(a ^ n5, 0x01000193);
    b = Math.imul(b ^ n5, 0x5bd1e995);
    b ^= b >>> 13;
    this.a = a;
    this.b = b;
    return this;
  }

  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** A 32-bit unsigned integer from (seed, label): how sub-stream seeds are derived. */
export function seedFor(seed: number, label: string): number {
  const h = new Hash64().updateString(String(seed)).updateString('\u0000').updateString(label);
  // Fold both lanes so the labels "a" and "b" under one seed land far apart.
  const hex = h.hex();
  return (parseInt(hex.slice(0, 8), 16) ^ Math.imul(parseInt(hex.slice(8), 16), 0x9e3779b1)) >>> 0;
}

/** FNV-1a's offset basis: where a foldHash chain starts. */
export const FNV_BASIS = 0x811c9dc5;

/**
 * FNV-1a: folds the UTF-16 units of `s` into `h`. Returns an int32, which V8 keeps unboxed in
 * fields and arrays (a uint32 above 2^31 would be a heap number). The checker's models hash
 * states with it.
 */
export function foldHash(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}
