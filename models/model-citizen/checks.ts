import type { Checker, CheckInput, CheckResult } from '../../sim/check/types.ts';
import { type Operation, pairOperations } from '../../sim/history.ts';
import type { Value } from '../../sim/value.ts';

/**
 * Model Citizen checkers; they read only the history and final states. Final states look like
 * `{ value, table: {k: v}, seq: [v...], set: [e...] }`. Every written value is a unique token,
 * and each write records what its writer held before it (the `ok` value), so "this write saw
 * that one" is known from the history alone: a chain of predecessors.
 */
interface Final {
  readonly value: Value;
  readonly table: { readonly [k: string]: Value };
  readonly seq: readonly Value[];
  readonly set: readonly string[];
}

const finals = (input: CheckInput): Final[] => [...input.finalStates.values()].filter((s) => typeof s === 'object' && s !== null && 'seq' in s) as unknown as Final[];
const oks = (input: CheckInput): Operation[] => pairOperations(input.history).filter((o) => o.status === 'ok');

/** For register keys: token -> the token its writer held when writing (null if none). */
function predecessors(ops: readonly Operation[]): Map<string, Map<Value, Value>> {
  const byKey = new Map<string, Map<Value, Value>>();
  for (const o of ops) {
    if ((o.f !== 'write' && o.f !== 'put') || o.key === undefined) continue;
    let m = byKey.get(o.key);
    if (!m) byKey.set(o.key, (m = new Map()));
    m.set(o.input, o.output);
  }
  return byKey;
}

/** Does the write of `later` (transitively) follow the write of `earlier`? */
function follows(pred: Map<Value, Value>, later: Value, earlier: Value): boolean {
  let cur = pred.get(later);
  for (let steps = 0; cur !== null && cur !== undefined && steps < 100_000; steps++) {
    if (cur === earlier) return true;
    cur = pred.get(cur);
  }
  return false;
}

const registerOf = (f: Final, key: string): Value | undefined => (key === 'value' ? f.value : key.startsWith('table/') ? f.table[key.slice(6)] : undefined);

/** Lost updates and the surprising-but-correct outcomes, from one pass over the history. */
export interface Analysis {
  readonly lost: Value[];
  readonly findings: { readonly lwwDropped: Value[]; readonly addWins: Value[] };
}

export function analyse(input: CheckInput): Analysis {
  const ops = oks(input);
  const fs = finals(input);
  const lost: Value[] = [];
  const lwwDropped: Value[] = [];
  const addWins: Value[] = [];
  // Registers (ZenValue, ZenTable entries): a write lost is one that followed the final value
  // (it saw it, or something after it) yet no replica ends with it or with anything after it.
  for (const [key, pred] of predecessors(ops)) {
    const held = new Set<Value>(fs.map((f) => registerOf(f, key)).filter((v): v is Value => v !== undefined && v !== null));
    for (const w of pred.keys()) {
      if (held.has(w)) continue;
      const superseded = [...held].some((h) => follows(pred, h as Value, w as Value));
      if (superseded) continue;
      const overwroteFinal = [...held].some((h) => follows(pred, w as Value, h as Value));
      if (overwroteFinal) lost.push({ kind: 'write lost', key, write: w, replicasHold: [...held] });
      else if (![...pred.values()].includes(w) && held.size > 0 && !ops.some((o) => o.f === 'remove' && o.key === key && o.output === w)) {
        lwwDropped.push({ key, dropped: w, kept: [...held] });
      }
    }
  }
  // ZenTable keys: a put no replica ends with the key of, and no remove of the key after it.
  for (const o of ops) {
    if (o.f !== 'put' || !o.key) continue;
    const k = o.key.slice(6);
    if (fs.some((f) => k in f.table)) continue;
    if (ops.some((x) => x.f === 'remove' && x.key === o.key && x.invokeTime > o.invokeTime)) continue;
    // A put a concurrent put beat (LWW) and whose winner was then removed is gone by design in
    // a map whose keys are LWW registers (Yjs, Automerge): a finding, not a loss.
    const pred = predecessors(ops).get(o.key) ?? new Map<Value, Value>();
    const rival = ops.some((q) => q.f === 'put' && q.key === o.key && q !== o && !follows(pred, o.input, q.input) && ops.some((x) => x.f === 'remove' && x.key === o.key && x.invokeTime > q.invokeTime));
    if (rival) {
      lwwDropped.push({ key: o.key, dropped: o.input, then: 'winner removed' });
      continue;
    }
    lost.push({ kind: 'put lost', key: o.key, write: o.input });
  }
  // ZenSeq: an insert no replica ends with and nobody deleted; a delete that some replica undid.
  const deleted = new Set(ops.filter((o) => o.f === 'delete').map((o) => o.input));
  const inSeq = new Set(fs.flatMap((f) => f.seq));
  for (const o of ops) {
    if (o.f === 'insert' && !deleted.has(o.input) && !inSeq.has(o.input)) lost.push({ kind: 'insert lost', token: o.input });
    if (o.f === 'delete' && inSeq.has(o.input)) lost.push({ kind: 'delete undone', token: o.input });
  }
  // ZenSet: an add lost (absent everywhere, no remove after it); a remove lost (it observed
  // every earlier add, none came after, yet the element is back); otherwise an element that
  // outlived a remove did so by an add the remove had not observed: add-wins, a finding.
  const present = new Set(fs.flatMap((f) => f.set));
  const bySet = new Map<string, Operation[]>();
  for (const o of ops) if ((o.f === 'add' || o.f === 'discard') && o.key) (bySet.get(o.key) ?? bySet.set(o.key, []).get(o.key)!).push(o);
  for (const [key, list] of bySet) {
    const e = key.slice(4);
    for (const o of list) {
      const later = list.filter((x) => x.invokeTime > o.invokeTime);
      if (o.f === 'add' && !present.has(e) && !later.some((x) => x.f === 'discard')) {
        // As for puts: another add may have beaten this one (one tag per element, LWW) and been removed.
        const rival = list.some((q) => q.f === 'add' && q !== o && list.some((x) => x.f === 'discard' && x.invokeTime > q.invokeTime));
        if (rival) lwwDropped.push({ key, dropped: o.input, then: 'winner removed' });
        else lost.push({ kind: 'add lost', element: e, tag: o.input });
      }
      if (o.f === 'discard' && present.has(e) && !later.some((x) => x.f === 'add')) {
        const observed = new Set((o.output as readonly Value[] | null) ?? []);
        const unseen = list.filter((x) => x.f === 'add' && x.invokeTime <= o.invokeTime && !observed.has(x.input));
        if (unseen.length === 0) lost.push({ kind: 'remove undone', element: e, at: o.invokeTime, node: o.node ?? null });
        else addWins.push({ element: e, removeAt: o.invokeTime, keptBy: unseen.map((x) => x.input) });
      }
    }
  }
  return { lost, findings: { lwwDropped, addWins } };
}

/** Violation: an update acknowledged locally that no replica ends with and no later update replaced. */
export function lostUpdates(options: { name?: string } = {}): Checker {
  const name = options.name ?? 'lost-updates';
  return {
    name,
    check(input): CheckResult {
      const { lost } = analyse(input);
      if (lost.length === 0) return { name, verdict: 'ok', summary: 'every acknowledged update survives or was replaced by one that saw it' };
      const first = lost[0] as { kind: string };
      return { name, verdict: 'violation', summary: `${lost.length} acknowledged update(s) lost; first: ${first.kind} ${JSON.stringify(first)}`, evidence: { lost: lost.slice(0, 20), total: lost.length } };
    },
  };
}

/**
 * Never a violation: the outcomes the document warns "may behave unexpectedly", counted so a
 * reader sees them: LWW dropping one of two concurrent writes, an OR-Set keeping an add over a
 * concurrent remove.
 */
export function surprises(options: { name?: string } = {}): Checker {
  const name = options.name ?? 'surprises';
  return {
    name,
    check(input): CheckResult {
      const { findings } = analyse(input);
      return {
        name,
        verdict: 'ok',
        summary: `findings (by design, not failures): LWW dropped ${findings.lwwDropped.length} concurrent write(s); OR-Set kept ${findings.addWins.length} add(s) over a concurrent remove`,
        evidence: { lwwDropped: findings.lwwDropped.slice(0, 20), addWins: findings.addWins.slice(0, 20), counts: { lwwDropped: findings.lwwDropped.length, addWins: findings.addWins.length } },
      };
    },
  };
}

/**
 * Options 2 and 3: transactions are atomic and ordered as subscribers see them. Each context
 * probes `citizen.tx-seen` after an event in which callbacks fired: `[txId, callbacks, log
 * index]` per transaction, and its incarnation (a restart replays the log from its snapshot).
 * Violations: a subscriber saw a change of a transaction its submitter was told aborted (a
 * rollback that did not happen); one transaction's callbacks arrived in two events at one
 * context (a reader between them saw part of it); two contexts saw a different number of
 * callbacks for one transaction; a context saw transactions out of log order.
 */
export function txAtomic(options: { name?: string } = {}): Checker {
  const name = options.name ?? 'tx-atomic';
  return {
    name,
    check(input): CheckResult {
      const status = new Map<string, string>();
      for (const o of pairOperations(input.history)) if (o.f === 'tx') status.set((o.input as { id: string }).id, o.status);
      const seenAt = new Map<string, Set<string>>();
      const lastIndex = new Map<string, number>();
      const count = new Map<string, number>();
      const bad: Value[] = [];
      let checked = 0;
      for (const p of input.probes) {
        if (p.name !== 'citizen.tx-seen') continue;
        const d = p.detail as { txs: [string, number, number][]; inc: number };
        const where = `${p.node}#${d.inc}`;
        const seen = seenAt.get(where) ?? seenAt.set(where, new Set()).get(where)!;
        for (const [id, n, index] of d.txs) {
          checked++;
          const at = { tx: id, node: p.node, time: p.time };
          if (status.get(id) === 'fail') bad.push({ ...at, kind: 'aborted transaction seen', callbacks: n });
          if (seen.has(id)) bad.push({ ...at, kind: 'transaction seen in two parts' });
          seen.add(id);
          if (index >= 0) {
            if (index <= (lastIndex.get(where) ?? 0)) bad.push({ ...at, kind: 'out of log order', index, after: lastIndex.get(where) ?? 0 });
            lastIndex.set(where, index);
          }
          const c = count.get(id);
          if (c !== undefined && c !== n) bad.push({ ...at, kind: 'different callbacks at two contexts', here: n, elsewhere: c });
          count.set(id, n);
        }
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${checked} transaction deliveries to subscribers, each whole, committed and in log order` };
      return { name, verdict: 'violation', summary: `${bad.length} violation(s); first: ${JSON.stringify(bad[0])}`, evidence: { violations: bad.slice(0, 20), total: bad.length } };
    },
  };
}

/** Keys of the Raft variants' history (per-register ops and OT sequence edits): option 1's checks skip them. */
export const isRaftKey = (key: string | undefined): boolean => key !== undefined && (key.startsWith('reg/') || key === 'otseq');

/**
 * Runs one of doc-sequencer's text checks (intention, applied-once) on option 3's ZenSeq: the
 * `otseq` edits, and final sequences turned back into the text ot-text-unicode edited. Other
 * variants record no `otseq` edit, so nothing is checked for them.
 */
export function onOtSeq(inner: Checker, tokenText: (tokens: readonly string[]) => string): Checker {
  return {
    name: inner.name,
    check(input): CheckResult {
      const history = input.history.filter((e) => e.key === 'otseq');
      const finalStates = new Map<string, Value>();
      if (history.length > 0) {
        for (const [n, s] of input.finalStates) {
          const seq = (s as { seq?: readonly string[] } | null)?.seq;
          if (seq) finalStates.set(n, { text: tokenText(seq) });
        }
      }
      return inner.check({ ...input, history, finalStates });
    },
  };
}
