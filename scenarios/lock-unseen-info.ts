import type { HistoryEvent } from '../sim/history.ts';
import type { Checker, CheckInput } from '../sim/check/types.ts';
import { valueEquals, type Value } from '../sim/value.ts';

/**
 * Drops, before `inner` runs, every append (`insert` of a unique value at the end of a list)
 * whose outcome is unknown (info, or never completed) and whose value no ok read of its key
 * ever returned. Why this is safe for a list of unique appends: such an insert can always be
 * left out of a linearization (an unknown outcome may not have happened), and if some
 * linearization placed it, every read after it would hold its value, so no read comes after it,
 * and removing it changes no read's result. The verdict is the same; the search is not: the
 * linearizability search tries every unknown insert at every point it could take effect, and in
 * the lock and hybrid nemesis runs most unknown inserts are requests that never reached the
 * store (50-180 s per seed with them, see models/hybrid-guard/README.md). Histories holding
 * anything but insert and read on a key are passed through unchanged.
 */
export function unseenInfoInsertsDropped(inner: Checker): Checker {
  return {
    name: inner.name,
    check(input: CheckInput) {
      return inner.check({ ...input, history: dropUnseenInfoInserts(input.history) });
    },
  };
}

export function dropUnseenInfoInserts(history: readonly HistoryEvent[]): HistoryEvent[] {
  const open = new Map<number, number>();
  const completion = new Map<number, number>();
  const otherOps = new Set<string | undefined>();
  const seen = new Map<string | undefined, Value[]>();
  history.forEach((e, i) => {
    if (e.f !== 'insert' && e.f !== 'read') otherOps.add(e.key);
    if (e.type === 'invoke') return void open.set(e.process, i);
    const inv = open.get(e.process);
    if (inv === undefined) return;
    open.delete(e.process);
    completion.set(inv, i);
    if (e.f === 'read' && e.type === 'ok' && Array.isArray(e.value)) {
      let list = seen.get(e.key);
      if (!list) seen.set(e.key, (list = []));
      list.push(...e.value);
    }
  });
  const drop = new Set<number>();
  history.forEach((e, i) => {
    if (e.type !== 'invoke' || e.f !== 'insert' || otherOps.has(e.key)) return;
    const c = completion.get(i);
    const unknown = c === undefined || history[c]?.type === 'info';
    if (!unknown || (seen.get(e.key) ?? []).some((v) => valueEquals(v, e.value))) return;
    drop.add(i);
    if (c !== undefined) drop.add(c);
  });
  return drop.size === 0 ? [...history] : history.filter((_, i) => !drop.has(i));
}
