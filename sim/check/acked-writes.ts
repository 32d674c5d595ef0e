import { pairOperations, type Operation } from '../history.ts';
import { canonicalJson, type NodeId, type Value } from '../value.ts';
import { opView } from './op-view.ts';
import type { CheckInput, CheckResult, Checker } from './types.ts';

/**
 * No acknowledged write lost: after the run healed and settled, every write a client saw
 * acknowledged (`ok`) must be in each replica's final state, or overwritten by a write that
 * may come after it. Reads only the history and the final states.
 *
 * Written values must be unique per key (the workload's uniqueValue), so a final value names
 * the write that put it there. For an ok write w to key k, with final value v on a replica:
 *  - v is absent (null): w is lost;
 *  - v was written by no operation: w is lost (the state holds a value nobody wrote);
 *  - v was written by an ok write that completed before w was invoked: w had to come later and
 *    is not there, so it is lost.
 * A final value from a write concurrent with w, or from one whose outcome is unknown (info),
 * may have overwritten w, so no verdict. Writes are `ok` ops whose f is in `writes`, writing
 * their input, and ok `cas` ops with output true, writing `to` of [from, to].
 */
export interface AckedWritesOptions {
  /** The replica's final state as key -> value, or undefined to skip the node. */
  readonly project: (node: NodeId, state: Value) => ReadonlyMap<string, Value> | undefined;
  readonly writes?: readonly string[];
  readonly name?: string;
}

export function ackedWritesSurvive(options: AckedWritesOptions): Checker {
  const name = options.name ?? 'acked-writes-survive';
  const writeFs = new Set(options.writes ?? ['write']);
  return {
    name,
    check(input: CheckInput): CheckResult {
      const ops = pairOperations(input.history);
      const writtenBy = (op: Operation): Value | undefined => {
        if (writeFs.has(op.f) && op.status !== 'fail') return op.input;
        if (op.f === 'cas' && op.status !== 'fail' && op.output !== false && Array.isArray(op.input) && op.input.length === 2) return op.input[1] as Value;
        return undefined;
      };
      const byValue = new Map<string, Operation>();
      const acked: Operation[] = [];
      for (const op of ops) {
        const v = writtenBy(op);
        if (v === undefined) continue;
        byValue.set(`${op.key ?? ''}\u0000${canonicalJson(v)}`, op);
        if (op.status === 'ok') acked.push(op);
      }
      const lost: Value[] = [];
      let replicas = 0;
      for (const node of [...input.finalStates.keys()].sort()) {
        const state = options.project(node, input.finalStates.get(node) as Value);
        if (!state) continue;
        replicas++;
        for (const w of acked) {
          const key = w.key ?? '';
          const final = state.get(key) ?? null;
          if (canonicalJson(final) === canonicalJson(writtenBy(w) as Value)) continue;
          const writer = final === null ? undefined : byValue.get(`${key}\u0000${canonicalJson(final)}`);
          const isLost = final === null || writer === undefined || (writer.status === 'ok' && writer.completeIndex < w.invokeIndex);
          if (isLost) lost.push({ node, key, write: opView(w), final, finalWriter: writer ? opView(writer) : null });
        }
      }
      if (lost.length === 0) return { name, verdict: 'ok', summary: `${acked.length} acknowledged writes all survive on ${replicas} replicas`, evidence: { acked: acked.length, replicas } };
      const first = lost[0] as { node: string; key: string; write: { id: number; input: Value }; final: Value };
      return {
        name,
        verdict: 'violation',
        summary: `${lost.length} acknowledged write(s) lost; first: op #${first.write.id} wrote ${canonicalJson(first.write.input)} to ${first.key}, ${first.node} ends with ${canonicalJson(first.final)}`,
        evidence: { lost: lost.slice(0, 20), total: lost.length },
      };
    },
  };
}
