import { search, type SearchLimits, type SearchOrder, type SearchResult, type SearchSpace, type Visit } from './search.ts';

/**
 * A model stated as a plain state machine, with no processes, messages or clocks: initial
 * states, a successor function (its actions), invariants, and optionally a symmetry. The
 * explorer's engine (search.ts) explores it exactly as it explores a scenario's choice tree,
 * with the state itself as the node and `key` as its digest.
 */
export interface TransitionSystem<S> {
  readonly name: string;
  readonly init: readonly S[];
  /** Calls `emit` once per enabled action with the state it leads to. */
  next(s: S, emit: (action: string, to: S) => void): void;
  readonly invariants: readonly Invariant<S>[];
  /** Equal keys mean equal states: the digest the engine hashes (a number hashes fastest). */
  key(s: S): string | number;
  /** When given, every state is replaced by its representative before it is hashed. */
  readonly symmetry?: Symmetry<S>;
}

export interface Invariant<S> {
  readonly name: string;
  holds(s: S): boolean;
}

/** Maps a state to one representative of its class of symmetric states. */
export interface Symmetry<S> {
  representative(s: S): S;
}

/**
 * Symmetry over `count(s)` interchangeable components (replicas, resource managers, clients):
 * the representative is the state with its components sorted by `sortKey`, rearranged by
 * `permute(s, order)`, where order[j] is the old index of the component that goes to slot j.
 * `permute` must move everything indexed by component (and rename indices stored inside the
 * state, if any). Sorting gives one representative per class when sortKey captures all of a
 * component's own state; a coarser sortKey (equal keys, different components, broken by index)
 * still reduces soundly, since every representative is a real reachable state of the class,
 * but may leave several representatives per class.
 */
export function permutationSymmetry<S>(o: {
  count(s: S): number;
  sortKey(s: S, i: number): string | number;
  permute(s: S, order: readonly number[]): S;
}): Symmetry<S> {
  return {
    representative(s) {
      const n = o.count(s);
      const keys = Array.from({ length: n }, (_, i) => o.sortKey(s, i));
      const order = Array.from({ length: n }, (_, i) => i);
      // Stable: equal keys keep their index order.
      order.sort((a, b) => {
        const x = keys[a] as string | number;
        const y = keys[b] as string | number;
        return x < y ? -1 : x > y ? 1 : a - b;
      });
      let identity = true;
      for (let j = 0; j < n; j++) if (order[j] !== j) identity = false;
      return identity ? s : o.permute(s, order);
    },
  };
}

/** A state on the search's frontier, with the way it was reached (for counterexamples). */
interface TsNode<S> {
  readonly state: S;
  readonly depth: number;
  readonly parent: TsNode<S> | undefined;
  readonly action: string;
}

export interface TsViolation<S> {
  readonly invariant: string;
  /** Initial state, then each action and the state it led to. */
  readonly trace: readonly { readonly action: string; readonly state: S }[];
}

export interface TsExploreOptions extends SearchLimits {
  readonly order?: SearchOrder;
  /** Explore no state deeper than this many actions from an initial state. */
  readonly depth?: number;
}

function traceOf<S>(n: TsNode<S>): { action: string; state: S }[] {
  const out: { action: string; state: S }[] = [];
  for (let m: TsNode<S> | undefined = n; m; m = m.parent) out.push({ action: m.action, state: m.state });
  return out.reverse();
}

export function transitionSpace<S>(ts: TransitionSystem<S>, maxDepth = Infinity): SearchSpace<TsNode<S>, TsViolation<S>> {
  const rep = ts.symmetry ? (s: S) => (ts.symmetry as Symmetry<S>).representative(s) : (s: S) => s;
  const broken = (s: S): string | undefined => {
    for (const inv of ts.invariants) if (!inv.holds(s)) return inv.name;
    return undefined;
  };
  return {
    roots(visit: Visit) {
      const roots: TsNode<S>[] = [];
      for (const s0 of ts.init) {
        const s = s0;
        if (!visit(ts.key(rep(s0)), 0)) continue;
        const node: TsNode<S> = { state: s, depth: 0, parent: undefined, action: 'init' };
        const bad = broken(s);
        if (bad) return { roots, violation: { invariant: bad, trace: traceOf(node) } };
        roots.push(node);
      }
      return roots;
    },
    expand(node, visit) {
      const children: TsNode<S>[] = [];
      let observed = 0;
      let truncated = false;
      let violation: TsViolation<S> | undefined;
      const depth = node.depth + 1;
      ts.next(node.state, (action, to) => {
        observed++;
        if (violation) return;
        if (depth > maxDepth) {
          truncated = true;
          return;
        }
        // Hashed by its representative, but the path goes on from the state itself (as TLC and
        // Stateright do): the counterexample stays a real path of the system.
        if (!visit(ts.key(rep(to)), depth)) return;
        const child: TsNode<S> = { state: to, depth, parent: node, action };
        const bad = broken(to);
        if (bad) violation = { invariant: bad, trace: traceOf(child) };
        children.push(child);
      });
      return { children, depth: children.length > 0 ? depth : node.depth, truncated, observed, ...(violation ? { violation } : {}) };
    },
  };
}

/** Explores a transition system; the first invariant violation found stops the search. */
export function exploreTransitionSystem<S>(ts: TransitionSystem<S>, opts: TsExploreOptions = {}): SearchResult<TsViolation<S>> {
  return search(transitionSpace(ts, opts.depth ?? Infinity), opts.order ?? 'bfs', opts);
}
