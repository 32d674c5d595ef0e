import type { OpView } from '../sim/check/op-view.ts';
import type { CheckResult } from '../sim/check/types.ts';
import type { Value } from '../sim/value.ts';

/** An operation as check evidence shows it: the linearizability checker's own view. */
export type EvidenceOp = OpView;

/** The first violation of a run, located in time, with what evidence said about it. */
export interface Violation {
  readonly check: string;
  readonly summary: string;
  /** When the violation became visible: the culprit's completion, or a best guess. */
  readonly at: number;
  readonly key: string | null;
  readonly culprit: EvidenceOp | null;
  readonly failingPrefix: readonly EvidenceOp[];
  readonly unplacedIds: readonly number[];
}

type Obj = { readonly [k: string]: Value };
const isObj = (v: Value | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function asOp(v: Value | undefined): EvidenceOp | null {
  if (!isObj(v)) return null;
  const { id, process, f, invokeTime } = v;
  if (typeof id !== 'number' || typeof process !== 'number' || typeof f !== 'string' || typeof invokeTime !== 'number') return null;
  const ct = v['completeTime'];
  const key = v['key'];
  return {
    id,
    process,
    f,
    key: typeof key === 'string' ? key : null,
    input: v['input'] ?? null,
    output: v['output'] ?? null,
    status: typeof v['status'] === 'string' ? v['status'] : 'ok',
    invokeTime,
    completeTime: typeof ct === 'number' ? ct : null,
  };
}

/**
 * Finds counterexample-shaped evidence ({culprit, failingPrefix, ...}) anywhere in a check's
 * evidence: the linearizability checker nests it under partitions[i].violation, other checkers
 * may put it at the top. Searched breadth-first so the shallowest wins.
 */
function findCounterexample(ev: Value | undefined): Obj | null {
  const queue: Value[] = ev === undefined ? [] : [ev];
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const v = queue[i] as Value;
    if (isObj(v)) {
      if ('culprit' in v && 'failingPrefix' in v) return v;
      queue.push(...Object.values(v));
    } else if (Array.isArray(v)) queue.push(...(v as readonly Value[]));
  }
  return null;
}

/** A number somewhere obvious in evidence that says when: time, at, t. */
function evidenceTime(ev: Value | undefined): number | null {
  if (!isObj(ev)) return null;
  for (const k of ['time', 'at', 't']) if (typeof ev[k] === 'number') return ev[k] as number;
  return null;
}

/** The first check that found a violation, located in time; `fallbackAt` when evidence does not say. */
export function firstViolation(checks: readonly CheckResult[], fallbackAt: number): Violation | null {
  const c = checks.find((x) => x.verdict === 'violation');
  if (!c) return null;
  const cx = findCounterexample(c.evidence);
  const culprit = cx ? asOp(cx['culprit']) : null;
  const prefixRaw = cx?.['failingPrefix'];
  const failingPrefix = Array.isArray(prefixRaw) ? (prefixRaw as readonly Value[]).map(asOp).filter((o): o is EvidenceOp => o !== null) : [];
  const unplacedRaw = cx?.['unplaced'];
  const unplacedIds = Array.isArray(unplacedRaw) ? (unplacedRaw as readonly Value[]).map(asOp).filter((o): o is EvidenceOp => o !== null).map((o) => o.id) : [];
  const key = cx && typeof cx['key'] === 'string' ? (cx['key'] as string) : (culprit?.key ?? null);
  const at = culprit ? (culprit.completeTime ?? culprit.invokeTime) : (evidenceTime(c.evidence) ?? fallbackAt);
  return { check: c.name, summary: c.summary, at, key, culprit, failingPrefix, unplacedIds };
}
