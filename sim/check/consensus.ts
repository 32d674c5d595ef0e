import type { NodeId, Value } from '../value.ts';
import type { CheckInput, CheckResult, Checker, Probe } from './types.ts';

/**
 * Safety of a consensus log (the Raft paper's Figure 3), observed from outside through the
 * probes a replicated log emits, never from its internals:
 *   `<p>leader`  { term, lastIndex, base, baseTerm, runs: [[firstIndex, term], ...] }
 *                on winning an election: the winner's log then, as term runs after `base`
 *                (the snapshot's last index, whose term is baseTerm);
 *   `<p>apply`   { index, term, digest, chain, nodeTerm } on applying an entry: its term, a
 *                digest of its content, a running hash of the log up to it, and the node's
 *                current term at that moment;
 *   any other `<p>*` probe with ok = false is an invariant the log reported broken itself.
 * Properties:
 *   election safety       at most one leader per term;
 *   state-machine safety  no two nodes apply different entries (term, digest) at one index;
 *   log matching          entries with the same index and term have the same log before them
 *                         (equal chains), as far as applied entries show;
 *   leader completeness   an entry applied by a node whose term was t is in the log (at that
 *                         index, with that term) of every leader of a term > t: it committed in
 *                         a term <= t, so every later leader must hold it (section 5.4).
 */
export interface ConsensusOptions {
  readonly name?: string;
  /** Probe name prefix (default 'raft.'). */
  readonly prefix?: string;
}

export interface ConsensusViolation {
  readonly [k: string]: Value;
  readonly property: 'election-safety' | 'state-machine-safety' | 'log-matching' | 'leader-completeness' | 'self-reported';
  readonly time: number;
  readonly what: string;
}

interface Applied {
  readonly term: number;
  readonly digest: number;
  readonly node: NodeId;
  readonly time: number;
  /** The lowest node term at which this index was applied anywhere. */
  minNodeTerm: number;
}

interface LeaderLog {
  readonly node: NodeId;
  readonly time: number;
  readonly term: number;
  readonly lastIndex: number;
  readonly base: number;
  readonly baseTerm: number;
  readonly runs: readonly (readonly [number, number])[];
}

const num = (d: { readonly [k: string]: Value }, k: string): number => (typeof d[k] === 'number' ? (d[k] as number) : NaN);

/** The term at `index` in a leader's log given as runs, or undefined past its end. */
export function termInRuns(l: LeaderLog, index: number): number | undefined {
  if (index === l.base) return l.baseTerm;
  if (index < l.base || index > l.lastIndex) return undefined;
  let t: number | undefined;
  for (const [first, term] of l.runs) {
    if (first > index) break;
    t = term;
  }
  return t;
}

const MAX_EVIDENCE = 10;

export function consensus(options: ConsensusOptions = {}): Checker {
  const name = options.name ?? 'consensus';
  const prefix = options.prefix ?? 'raft.';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const violations: ConsensusViolation[] = [];
      let count = 0;
      const report = (v: ConsensusViolation) => {
        count++;
        if (violations.length < MAX_EVIDENCE) violations.push(v);
      };
      const leaderOf = new Map<number, { node: NodeId; time: number }>();
      const applied = new Map<number, Applied>();
      const chains = new Map<string, { chain: number; node: NodeId }>();
      const leaders: LeaderLog[] = [];
      let applies = 0;
      for (const p of input.probes as readonly Probe[]) {
        if (!p.name.startsWith(prefix)) continue;
        const kind = p.name.slice(prefix.length);
        const d = (typeof p.detail === 'object' && p.detail !== null && !Array.isArray(p.detail) ? p.detail : {}) as { readonly [k: string]: Value };
        if (!p.ok) {
          report({ property: 'self-reported', time: p.time, what: `${p.name} on ${p.node}`, detail: p.detail });
          continue;
        }
        if (kind === 'leader') {
          const term = num(d, 'term');
          const prev = leaderOf.get(term);
          if (prev && prev.node !== p.node) {
            report({ property: 'election-safety', time: p.time, what: `two leaders in term ${term}: ${prev.node} (at ${prev.time}) and ${p.node}` });
          } else if (!prev) leaderOf.set(term, { node: p.node, time: p.time });
          const runs = Array.isArray(d.runs) ? (d.runs as readonly (readonly [number, number])[]) : [];
          leaders.push({ node: p.node, time: p.time, term, lastIndex: num(d, 'lastIndex'), base: num(d, 'base'), baseTerm: num(d, 'baseTerm'), runs });
        } else if (kind === 'apply') {
          applies++;
          const index = num(d, 'index');
          const term = num(d, 'term');
          const digest = num(d, 'digest');
          const nodeTerm = num(d, 'nodeTerm');
          const seen = applied.get(index);
          if (!seen) applied.set(index, { term, digest, node: p.node, time: p.time, minNodeTerm: nodeTerm });
          else {
            if (seen.term !== term || seen.digest !== digest) {
              report({
                property: 'state-machine-safety',
                time: p.time,
                what: `index ${index}: ${seen.node} applied term ${seen.term} (digest ${seen.digest}) at ${seen.time}, ${p.node} applied term ${term} (digest ${digest})`,
              });
            }
            if (nodeTerm < seen.minNodeTerm) seen.minNodeTerm = nodeTerm;
          }
          const key = `${index}:${term}`;
          const chain = num(d, 'chain');
          const c = chains.get(key);
          if (!c) chains.set(key, { chain, node: p.node });
          else if (c.chain !== chain) {
            report({ property: 'log-matching', time: p.time, what: `index ${index} term ${term}: ${c.node} and ${p.node} have different logs before it` });
          }
        }
      }
      // Leader completeness: every applied entry against every leader of a later term.
      const indices = [...applied.keys()].sort((a, b) => a - b);
      for (const l of leaders) {
        for (const index of indices) {
          if (index <= l.base) continue;
          const a = applied.get(index) as Applied;
          if (a.minNodeTerm >= l.term) continue;
          const t = termInRuns(l, index);
          if (t !== a.term) {
            report({
              property: 'leader-completeness',
              time: l.time,
              what: `${l.node}, leader of term ${l.term}, ${t === undefined ? 'lacks' : `has term ${t} at`} index ${index}, which ${a.node} applied (term ${a.term}) in term ${a.minNodeTerm}`,
            });
            break;
          }
        }
      }
      const summary = `${leaderOf.size} terms with a leader, ${applies} applies over ${applied.size} indices`;
      if (count === 0) return { name, verdict: 'ok', summary: `${summary}: election safety, state-machine safety, log matching, leader completeness held` };
      const first = violations[0] as ConsensusViolation;
      return {
        name,
        verdict: 'violation',
        summary: `${count} violations; first: ${first.property}: ${first.what}`,
        evidence: { violations, total: count },
      };
    },
  };
}
