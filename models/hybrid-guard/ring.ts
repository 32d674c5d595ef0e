import { FNV_BASIS, foldHash } from '../../sim/hash.ts';
import type { NodeId } from '../../sim/value.ts';

/**
 * A deliberately tiny consistent-hash ring for the guard's affinity hint (the routing model of
 * issue 13 builds the real one): FNV-1a of `<node>#<i>` for `vnodes` points per node; a key
 * goes to the first point at or after its own hash.
 */
export class HashRing {
  private readonly points: { readonly h: number; readonly node: NodeId }[];

  constructor(nodes: readonly NodeId[], vnodes = 16) {
    this.points = nodes.flatMap((node) => Array.from({ length: vnodes }, (_, i) => ({ h: foldHash(FNV_BASIS, `${node}#${i}`) >>> 0, node })));
    this.points.sort((a, b) => a.h - b.h || (a.node < b.node ? -1 : 1));
  }

  getNode(key: string): NodeId {
    const h = foldHash(FNV_BASIS, key) >>> 0;
    const p = this.points.find((x) => x.h >= h) ?? this.points[0];
    if (!p) throw new Error('empty hash ring');
    return p.node;
  }
}
