import { FNV_BASIS, foldHash } from '../../sim/hash.ts';

/**
 * The document's `HashRing` (Option C, "Consistent Hash Ring"): every worker owns `vnodes`
 * points on a 32-bit ring; a DO id belongs to the first point at or after its own hash,
 * wrapping around. Hash: FNV-1a 32 over the UTF-16 units (sim/hash.ts foldHash), then
 * MurmurHash3's 32-bit finalizer (fmix32), because FNV-1a alone maps ids that differ only in
 * their last character ("w0#1", "w0#2") to nearby values, which clusters a worker's points.
 */
export function ringHash(s: string): number {
  let h = foldHash(FNV_BASIS, s);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class HashRing {
  /** Point positions, ascending; owners[i] owns points[i]. */
  private readonly points: Uint32Array;
  private readonly owners: readonly string[];

  constructor(
    readonly members: readonly string[],
    readonly vnodes: number,
  ) {
    if (!(Number.isInteger(vnodes) && vnodes >= 1)) throw new Error('vnodes must be a positive integer');
    const pts: [number, string][] = [];
    for (const m of [...new Set(members)].sort()) {
      for (let i = 0; i < vnodes; i++) pts.push([ringHash(`${m}#${i}`), m]);
    }
    // Ties (two points on one position) go to the smaller member name, the same on every balancer.
    pts.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    this.points = Uint32Array.from(pts.map((p) => p[0]));
    this.owners = pts.map((p) => p[1]);
  }

  /** The document's `getNode(doId)`; undefined on an empty ring. */
  getNode(doId: string): string | undefined {
    const n = this.points.length;
    if (n === 0) return undefined;
    const h = ringHash(doId);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.points[mid] as number) < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === n ? 0 : lo];
  }
}

/** How evenly a ring spreads `ids`: DOs per member, with the max/mean ratio (1 is perfect). */
export function loadSpread(ring: HashRing, ids: readonly string[]): { perMember: Record<string, number>; max: number; mean: number; maxOverMean: number } {
  const perMember: Record<string, number> = Object.fromEntries(ring.members.map((m) => [m, 0]));
  for (const id of ids) {
    const m = ring.getNode(id);
    if (m !== undefined) perMember[m] = (perMember[m] ?? 0) + 1;
  }
  const counts = Object.values(perMember);
  const max = Math.max(0, ...counts);
  const mean = counts.length === 0 ? 0 : ids.length / counts.length;
  return { perMember, max, mean, maxOverMean: mean === 0 ? 0 : max / mean };
}
