import { pairOperations } from '../history.ts';
import type { Value } from '../value.ts';
import type { Checker, CheckInput, CheckResult } from './types.ts';

/**
 * A replicated sequencer, checked from what replicas probed and what clients were told.
 *
 * Replicas probe `probe` (default 'sequencer.assign') with `{ seq, prev, opId }` each time they
 * apply an op under a sequence number, `prev` being the number before it on that replica.
 * Clients' operations in `ops` carry `opId` in their invocation and `{ seq }` in an ok result.
 * The sequencer must be:
 *  - gapless: every replica's numbers go up by exactly one (`seq === prev + 1`);
 *  - unique: one op per number across all replicas and incarnations, and one number per op
 *    (an op applied twice under two numbers is a duplicate: exactly once);
 *  - faithful: the number a client was acked with is the one the replicas hold for its op
 *    (an acked op no replica applied, or applied under another number, was lost);
 *  - linearizable: an op acked before another was invoked has the smaller number (a sequencer
 *    is a fetch-and-increment object, for which unique numbers in real-time order suffice).
 */
export interface SequencerOptions {
  readonly name?: string;
  readonly probe?: string;
  /** Operation names whose ok result carries a serverSeq (default: every op with an opId). */
  readonly ops?: readonly string[];
}

const field = (v: Value, k: string): Value | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { readonly [x: string]: Value })[k] : undefined;

export function sequencer(options: SequencerOptions = {}): Checker {
  const name = options.name ?? 'sequencer';
  const probeName = options.probe ?? 'sequencer.assign';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const problems: Value[] = [];
      const kinds = new Map<string, number>();
      const note = (kind: string, detail: Value) => {
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        if (problems.length < 20) problems.push({ kind, ...(detail as object) });
      };
      const opAt = new Map<number, string>();
      const seqOf = new Map<string, number>();
      let assigned = 0;
      for (const p of input.probes) {
        if (p.name !== probeName) continue;
        assigned++;
        const seq = field(p.detail, 'seq') as number;
        const prev = field(p.detail, 'prev') as number;
        const opId = String(field(p.detail, 'opId'));
        if (seq !== prev + 1) note('gap', { node: p.node, time: p.time, seq, prev, opId });
        const was = opAt.get(seq);
        if (was === undefined) opAt.set(seq, opId);
        else if (was !== opId) note('two ops at one seq', { node: p.node, time: p.time, seq, ops: [was, opId] });
        const had = seqOf.get(opId);
        if (had === undefined) seqOf.set(opId, seq);
        else if (had !== seq) note('one op at two seqs', { node: p.node, time: p.time, opId, seqs: [had, seq] });
      }
      const ops = pairOperations(input.history).filter((o) => (options.ops ? options.ops.includes(o.f) : field(o.input, 'opId') !== undefined));
      const acked: { opId: string; seq: number; invoke: number; complete: number }[] = [];
      for (const o of ops) {
        if (o.status !== 'ok') continue;
        const seq = field(o.output, 'seq');
        if (typeof seq !== 'number') continue;
        const opId = String(field(o.input, 'opId'));
        acked.push({ opId, seq, invoke: o.invokeTime, complete: o.completeTime });
        const held = seqOf.get(opId);
        if (held === undefined) note('acked op never applied', { opId, seq, acked: o.completeTime });
        else if (held !== seq && opAt.get(seq) !== opId) note('acked under another seq', { opId, acked: seq, applied: held });
      }
      // Real-time order: sweep invocations in time order, knowing the largest seq acked before each.
      const byComplete = [...acked].sort((a, b) => a.complete - b.complete);
      const byInvoke = [...acked].sort((a, b) => a.invoke - b.invoke);
      let k = 0;
      let best: (typeof acked)[number] | undefined;
      for (const b of byInvoke) {
        while (k < byComplete.length && (byComplete[k] as (typeof acked)[number]).complete < b.invoke) {
          const c = byComplete[k] as (typeof acked)[number];
          if (!best || c.seq > best.seq) best = c;
          k++;
        }
        if (best && best.seq >= b.seq && best.opId !== b.opId) note('real-time order', { earlier: best.opId, earlierSeq: best.seq, later: b.opId, laterSeq: b.seq });
      }
      if (problems.length === 0) {
        return { name, verdict: 'ok', summary: `${opAt.size} serverSeqs gapless and unique over ${assigned} applications; ${acked.length} acks faithful and in real-time order` };
      }
      const summary = [...kinds.entries()].map(([kind, n]) => `${n} ${kind}`).join(', ');
      return { name, verdict: 'violation', summary: `sequencer broken: ${summary}`, evidence: { problems, counts: Object.fromEntries(kinds) } };
    },
  };
}
