import { pairOperations, type HistoryEvent, type Operation } from '../history.ts';
import type { LinModel } from './models/types.ts';

/**
 * A deliberately naive linearizability oracle for tiny histories, used to cross-check the real
 * search. It shares nothing with wgl.ts but the model: no memo, no partitioning (partitions are
 * replayed as one product state), no lists. It tries every order of the operations consistent
 * with real-time order, and for every `info` op both "took effect at some point" and "never".
 * Exponential: keep histories to ~8 operations.
 */
export function bruteForceLinearizable<S>(history: readonly HistoryEvent[], model: LinModel<S>): boolean {
  const ops = pairOperations(history).filter((op) => op.status !== 'fail');
  return bruteForceOps(ops, model);
}

export function bruteForceOps<S>(ops: readonly Operation[], model: LinModel<S>): boolean {
  const n = ops.length;
  // preds[b] = ops that must come before b: definite completions earlier than b's invoke.
  const preds = ops.map((b) => ops.map((a, i) => (a.status === 'ok' && a.completeIndex < b.invokeIndex ? i : -1)).filter((i) => i >= 0));
  const placed = new Array<boolean>(n).fill(false);
  const mustPlace = ops.filter((o) => o.status === 'ok').length;
  const partOf = (op: Operation): string => (model.partition ? model.partition(op) : '');

  function dfs(states: ReadonlyMap<string, S>, placedOk: number): boolean {
    if (placedOk === mustPlace) return true;
    for (let i = 0; i < n; i++) {
      if (placed[i]) continue;
      // An op can go next only when everything that really precedes it is placed. An info op
      // that is never placed is fine: it never happened; it precedes nothing.
      if (!preds[i]!.every((p) => placed[p])) continue;
      const op = ops[i]!;
      const key = partOf(op);
      const cur = states.has(key) ? states.get(key)! : model.init();
      const next = model.step(cur, op);
      if (next === undefined) continue;
      placed[i] = true;
      const ns = new Map(states);
      ns.set(key, next);
      const ok = dfs(ns, placedOk + (op.status === 'ok' ? 1 : 0));
      placed[i] = false;
      if (ok) return true;
    }
    return false;
  }
  return dfs(new Map(), 0);
}
