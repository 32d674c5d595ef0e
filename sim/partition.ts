import type { Choices } from './choices.ts';
import type { NodeId } from './value.ts';

/**
 * Partition shapes, as Jepsen's nemeses name them. Each is a connectivity relation over the
 * nodes it names: a directed pair (a, b) is either connected or cut. Nodes a shape does not
 * mention keep talking to everyone. `among` defaults to the scenario's server nodes.
 */
export type PartitionShape =
  /** Cut one node off from every other node (clients included). */
  | { readonly shape: 'isolate'; readonly node: NodeId }
  /** Split `among` into two halves; `split` chooses the halves with a choice when absent. */
  | { readonly shape: 'halves'; readonly among?: readonly NodeId[] }
  /** Two halves that share one node, which sees both sides. */
  | { readonly shape: 'bridge'; readonly among?: readonly NodeId[] }
  /** Messages from `from` to `to` are cut; the reverse direction still flows. */
  | { readonly shape: 'one-way'; readonly from: readonly NodeId[]; readonly to: readonly NodeId[] }
  /** Every node sees a majority, but no two nodes see the same majority (Jepsen's majorities ring). */
  | { readonly shape: 'majority-ring'; readonly among?: readonly NodeId[] }
  /** Explicit groups: nodes in different groups cannot talk. */
  | { readonly shape: 'groups'; readonly groups: readonly (readonly NodeId[])[] };

export type Cut = readonly [from: NodeId, to: NodeId];

/**
 * The directed pairs a shape cuts. `all` is every node in the run; `servers` the default
 * membership for shapes with no `among`. Choices decide what the shape leaves open (which
 * nodes land in which half), under labels "faults.partition.*".
 */
export function cutsOf(
  shape: PartitionShape,
  all: readonly NodeId[],
  servers: readonly NodeId[],
  choices: Choices,
): Cut[] {
  const cuts: Cut[] = [];
  const cutBetween = (a: readonly NodeId[], b: readonly NodeId[]) => {
    for (const x of a) for (const y of b) if (x !== y) cuts.push([x, y]);
  };
  switch (shape.shape) {
    case 'isolate': {
      const others = all.filter((n) => n !== shape.node);
      cutBetween([shape.node], others);
      cutBetween(others, [shape.node]);
      return cuts;
    }
    case 'halves': {
      const [a, b] = splitInTwo(shuffled(shape.among ?? servers, choices), 0);
      cutBetween(a, b);
      cutBetween(b, a);
      return cuts;
    }
    case 'bridge': {
      const nodes = shuffled(shape.among ?? servers, choices);
      const [a, b] = splitInTwo(nodes, 1);
      // The last node of `a` is the bridge: it belongs to both sides.
      const bridge = a[a.length - 1];
      const left = a.filter((n) => n !== bridge);
      const right = b.filter((n) => n !== bridge);
      cutBetween(left, right);
      cutBetween(right, left);
      return cuts;
    }
    case 'one-way':
      cutBetween(shape.from, shape.to);
      return cuts;
    case 'majority-ring': {
      const nodes = shuffled(shape.among ?? servers, choices);
      const n = nodes.length;
      const m = Math.floor(n / 2) + 1;
      // Node i sees the majority centred on itself in ring order; it is cut from the rest.
      for (let i = 0; i < n; i++) {
        const sees = new Set<NodeId>();
        for (let k = -Math.floor((m - 1) / 2); k <= Math.ceil((m - 1) / 2); k++) sees.add(nodes[(i + k + n) % n] as NodeId);
        for (const other of nodes) if (!sees.has(other)) cuts.push([nodes[i] as NodeId, other]);
      }
      return cuts;
    }
    case 'groups':
      for (let i = 0; i < shape.groups.length; i++) {
        for (let j = 0; j < shape.groups.length; j++) if (i !== j) cutBetween(shape.groups[i] ?? [], shape.groups[j] ?? []);
      }
      return cuts;
  }
}

/** Splits into a smaller first half and a larger second half; `overlap` extra nodes go to the first. */
function splitInTwo(nodes: readonly NodeId[], overlap: number): [NodeId[], NodeId[]] {
  const k = Math.floor(nodes.length / 2) + overlap;
  return [nodes.slice(0, k), nodes.slice(k - overlap)];
}

/** Fisher-Yates driven by choices; all zeros leaves the order as given. */
function shuffled(nodes: readonly NodeId[], choices: Choices): NodeId[] {
  const out = [...nodes];
  for (let i = 0; i < out.length - 1; i++) {
    const j = i + choices.int(out.length - i, 'faults.partition.shuffle');
    const t = out[i] as NodeId;
    out[i] = out[j] as NodeId;
    out[j] = t;
  }
  return out;
}

export function describeShape(s: PartitionShape): string {
  switch (s.shape) {
    case 'isolate':
      return `isolate ${s.node}`;
    case 'halves':
      return 'split into halves';
    case 'bridge':
      return 'bridge (two halves sharing one node)';
    case 'one-way':
      return `one-way ${s.from.join(',')} -/-> ${s.to.join(',')}`;
    case 'majority-ring':
      return 'majority ring';
    case 'groups':
      return `groups ${s.groups.map((g) => `{${g.join(',')}}`).join(' | ')}`;
  }
}
