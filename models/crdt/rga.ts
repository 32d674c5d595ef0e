import type { Value } from '../../sim/value.ts';
import { type Flaws, NO_FLAWS } from './flaws.ts';

/**
 * A replicated growable array (Roh et al. 2011), state-based. Each element has a unique id
 * (Lamport counter, node) and the id of the element it was inserted after; siblings (inserts
 * after the same element) are ordered newest first, which is what makes concurrent inserts
 * land in one order everywhere. Deletes leave a tombstone. Merge is union with "deleted" ORed.
 *
 * This one backs ZenSeq in models/model-citizen; models/doc-sequencer/rga.ts (seed 002) is a
 * separate RGA for text written alongside, to be unified.
 */
export type RgaNode = readonly [counter: number, node: string, parent: string | null, value: Value, deleted: 0 | 1];

export interface Rga {
  readonly [k: string]: Value;
  readonly nodes: { readonly [id: string]: RgaNode };
}

export const RGA_EMPTY: Rga = { nodes: {} };

export const rgaId = (counter: number, node: string): string => `${counter}@${node}`;

/** Siblings newest first: greater counter, then greater node id. */
function newerFirst(a: RgaNode, b: RgaNode): number {
  if (a[0] !== b[0]) return b[0] - a[0];
  return a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0;
}

/** Visible elements in order, as [id, value]. */
export function rgaEntries(s: Rga): [string, Value][] {
  const children = new Map<string | null, [string, RgaNode][]>();
  for (const [id, n] of Object.entries(s.nodes)) {
    const list = children.get(n[2]);
    if (list) list.push([id, n]);
    else children.set(n[2], [[id, n]]);
  }
  for (const list of children.values()) list.sort((x, y) => newerFirst(x[1], y[1]));
  const out: [string, Value][] = [];
  const stack: [string, RgaNode][] = [...(children.get(null) ?? [])].reverse();
  while (stack.length > 0) {
    const [id, n] = stack.pop() as [string, RgaNode];
    if (n[4] === 0) out.push([id, n[3]]);
    const kids = children.get(id);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as [string, RgaNode]);
  }
  return out;
}

export const rgaValues = (s: Rga): Value[] => rgaEntries(s).map(([, v]) => v);

export function rgaMaxCounter(s: Rga): number {
  let m = 0;
  for (const n of Object.values(s.nodes)) if (n[0] > m) m = n[0];
  return m;
}

/** Inserts `value` so that it becomes visible element `index` (0 = first). */
export function rgaInsert(s: Rga, index: number, value: Value, node: string): { state: Rga; delta: Rga; id: string } {
  const visible = rgaEntries(s);
  const parent = index <= 0 ? null : (visible[Math.min(index, visible.length) - 1]?.[0] ?? null);
  const counter = rgaMaxCounter(s) + 1;
  const id = rgaId(counter, node);
  const delta: Rga = { nodes: { [id]: [counter, node, parent, value, 0] } };
  return { state: rgaMerge(s, delta), delta, id };
}

/** Tombstones visible element `index`. */
export function rgaDelete(s: Rga, index: number): { state: Rga; delta: Rga } | undefined {
  const target = rgaEntries(s)[index];
  if (!target) return undefined;
  const n = s.nodes[target[0]] as RgaNode;
  const delta: Rga = { nodes: { [target[0]]: [n[0], n[1], n[2], n[3], 1] } };
  return { state: rgaMerge(s, delta), delta };
}

export function rgaMerge(a: Rga, b: Rga, flaws: Flaws = NO_FLAWS): Rga {
  const nodes: { [id: string]: RgaNode } = { ...a.nodes };
  for (const [id, n] of Object.entries(b.nodes)) {
    const mine = nodes[id];
    if (!mine) nodes[id] = n;
    else if (flaws.mergeNotIdempotent) nodes[id] = [n[0], n[1], n[2], n[3], mine[4] === n[4] ? 0 : 1]; // planted: XOR, not OR
    else if (n[4] === 1 && mine[4] === 0) nodes[id] = n;
  }
  return { nodes };
}
