import { canonicalJson, valueEquals, type Value } from '../value.ts';
import type { CheckInput, CheckResult, Checker } from './types.ts';

/**
 * Strong eventual consistency, checked at the end of a run: once faults have healed and the
 * network is quiet (the kernel only fills `finalStates` then), every live replica's state must
 * be equal. Replicas are compared in name order against the first; the evidence names a
 * diverging pair, the first path where they differ (object keys sorted, arrays by index) and
 * both values there, plus the groups of replicas that agree with each other.
 */
export interface ConvergenceEvidence {
  readonly [field: string]: Value;
  readonly replicas: readonly [string, string];
  /** JSON-pointer-like path, e.g. `/rows/3/title`; '' means the whole state. */
  readonly path: string;
  readonly left: Value;
  readonly right: Value;
  /** Replicas with equal states, one group per distinct state. */
  readonly groups: readonly (readonly string[])[];
}

const MISSING = '<missing>';

/** The first path (depth first, keys sorted) at which a and b differ, or undefined if equal. */
export function firstDifference(a: Value, b: Value, path = ''): { path: string; left: Value; right: Value } | undefined {
  if (valueEquals(a, b)) return undefined;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
  if (bothArrays) {
    const x = a as readonly Value[];
    const y = b as readonly Value[];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      if (i >= x.length || i >= y.length) return { path: `${path}/${i}`, left: i < x.length ? x[i]! : MISSING, right: i < y.length ? y[i]! : MISSING };
      const d = firstDifference(x[i]!, y[i]!, `${path}/${i}`);
      if (d) return d;
    }
  }
  if (bothObjects) {
    const x = a as { readonly [k: string]: Value };
    const y = b as { readonly [k: string]: Value };
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
    for (const k of keys) {
      const seg = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!(k in x) || !(k in y)) return { path: seg, left: k in x ? x[k]! : MISSING, right: k in y ? y[k]! : MISSING };
      const d = firstDifference(x[k]!, y[k]!, seg);
      if (d) return d;
    }
  }
  return { path, left: a, right: b };
}

export interface ConvergenceOptions {
  /** Compare only part of each state (e.g. drop replica-local metadata); default: all of it. */
  readonly project?: (replica: string, state: Value) => Value;
  readonly name?: string;
}

export function convergence(options: ConvergenceOptions = {}): Checker {
  const name = options.name ?? 'convergence';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const replicas = [...input.finalStates.keys()].sort();
      if (replicas.length < 2) {
        return { name, verdict: 'ok', summary: `converged trivially: ${replicas.length} replica${replicas.length === 1 ? '' : 's'}`, evidence: { replicas } };
      }
      const states = new Map(replicas.map((r) => [r, options.project ? options.project(r, input.finalStates.get(r)!) : input.finalStates.get(r)!]));
      const groups = new Map<string, string[]>();
      for (const r of replicas) {
        const key = canonicalJson(states.get(r)!);
        const g = groups.get(key);
        if (g) g.push(r);
        else groups.set(key, [r]);
      }
      if (groups.size === 1) return { name, verdict: 'ok', summary: `converged: ${replicas.length} replicas hold equal states`, evidence: { replicas } };
      const first = replicas[0]!;
      const other = replicas.find((r) => !valueEquals(states.get(first)!, states.get(r)!))!;
      const d = firstDifference(states.get(first)!, states.get(other)!)!;
      const evidence: ConvergenceEvidence = { replicas: [first, other], path: d.path, left: d.left, right: d.right, groups: [...groups.values()] };
      return {
        name,
        verdict: 'violation',
        summary: `diverged: ${first} and ${other} differ at ${d.path || '(root)'}: ${canonicalJson(d.left)} vs ${canonicalJson(d.right)} (${groups.size} distinct states)`,
        evidence,
      };
    },
  };
}
