/**
 * The explorer's engine: depth-first or breadth-first search over a space of nodes with state
 * hashing, shared by simulated scenarios (a node is a choice prefix, expanded by one run) and
 * plain transition systems (a node is a state, expanded by its successors).
 *
 * An expansion walks from its node and observes states on the way; for each it asks `visit`
 * whether the state is new. A state is new when its digest was never seen, or was seen only
 * deeper than now (with a depth bound, a state first reached deep had less room below it, so
 * reaching it shallower must explore it again: the classic depth-bounded caching fix). An
 * expansion stops at the first state that is not new: everything below it is explored, or is
 * on the frontier, from the first visit.
 */

/** Asked at each observed state: true if it is new (go on), false if it was seen (prune). */
export type Visit = (digest: string | number, depth: number) => boolean;

export interface Expansion<N, V> {
  /** Nodes to explore next, the one to try first first. */
  readonly children: readonly N[];
  /** What went wrong on this expansion's path, if anything (the search stops at it). */
  readonly violation?: V;
  /** Deepest depth this expansion reached. */
  readonly depth: number;
  /** Alternatives the depth bound kept this expansion from adding. */
  readonly truncated: boolean;
  /** States observed, including those `visit` found old (and those without a digest). */
  readonly observed: number;
  /** The expansion could not decide (a checker ran out of budget): no proof is possible. */
  readonly undecided?: boolean;
}

export interface SearchSpace<N, V> {
  roots(visit: Visit): readonly N[] | { readonly roots: readonly N[]; readonly violation?: V };
  expand(node: N, visit: Visit): Expansion<N, V>;
}

export type SearchOrder = 'dfs' | 'bfs';

export interface SearchLimits {
  /** Stop once this many distinct states are known. */
  readonly maxStates?: number;
  /** Stop after this many expansions (runs, for scenarios). */
  readonly maxRuns?: number;
  /** Asked before every expansion; true stops (the CLI's wall-clock limit, measured in bin/). */
  readonly shouldStop?: () => boolean;
}

export type CutOff = 'depth' | 'states' | 'runs' | 'time';

export interface SearchStats {
  /** States observed (with repeats). */
  readonly visited: number;
  /** Distinct state digests. */
  readonly distinct: number;
  /** Expansions made (runs, for scenarios). */
  readonly runs: number;
  readonly maxDepth: number;
  /** Nothing was left to explore and no bound cut anything off. */
  readonly exhausted: boolean;
  /** Every bound that cut the search off (empty when exhausted or stopped at a violation). */
  readonly cutOff: readonly CutOff[];
  /** Expansions that could not decide (checker budget). */
  readonly undecided: number;
}

export interface SearchResult<V> extends SearchStats {
  readonly violation: V | undefined;
}

export function search<N, V>(space: SearchSpace<N, V>, order: SearchOrder, limits: SearchLimits = {}): SearchResult<V> {
  const seen = new Map<string | number, number>();
  let visited = 0;
  const visit: Visit = (digest, depth) => {
    const before = seen.get(digest);
    if (before !== undefined && before <= depth) return false;
    seen.set(digest, depth);
    return true;
  };
  const r = space.roots(visit);
  const roots = Array.isArray(r) ? (r as readonly N[]) : (r as { roots: readonly N[] }).roots;
  const rootViolation = Array.isArray(r) ? undefined : (r as { violation?: V }).violation;
  visited = seen.size;
  // DFS pops from the end, so children go on in reverse; BFS reads from `head`.
  const frontier: N[] = order === 'dfs' ? [...roots].reverse() : [...roots];
  let head = 0;
  let runs = 0;
  let maxDepth = 0;
  let truncated = false;
  let undecided = 0;
  let violation: V | undefined = rootViolation;
  const cut = new Set<CutOff>();
  const maxStates = limits.maxStates ?? Infinity;
  const maxRuns = limits.maxRuns ?? Infinity;
  while (violation === undefined) {
    const left = order === 'dfs' ? frontier.length : frontier.length - head;
    if (left === 0) break;
    if (seen.size >= maxStates) {
      cut.add('states');
      break;
    }
    if (runs >= maxRuns) {
      cut.add('runs');
      break;
    }
    if (limits.shouldStop?.()) {
      cut.add('time');
      break;
    }
    const node = (order === 'dfs' ? frontier.pop() : frontier[head++]) as N;
    if (order === 'bfs' && head > 4096 && head * 2 > frontier.length) {
      frontier.splice(0, head);
      head = 0;
    }
    const e = space.expand(node, visit);
    runs++;
    visited += e.observed;
    if (e.depth > maxDepth) maxDepth = e.depth;
    if (e.truncated) truncated = true;
    if (e.undecided) undecided++;
    if (e.violation !== undefined) violation = e.violation;
    if (order === 'dfs') for (let i = e.children.length - 1; i >= 0; i--) frontier.push(e.children[i] as N);
    else for (const c of e.children) frontier.push(c);
  }
  if (violation === undefined && truncated) cut.add('depth');
  const left = order === 'dfs' ? frontier.length : frontier.length - head;
  return {
    violation,
    visited,
    distinct: seen.size,
    runs,
    maxDepth,
    exhausted: violation === undefined && left === 0 && cut.size === 0,
    cutOff: violation === undefined ? [...cut] : [],
    undecided,
  };
}
