import { pairOperations, type HistoryEvent, type Operation } from '../history.ts';

/**
 * The same operations as `pairOperations` (sim/history.ts), built for the checker's hot path:
 * every op is one object literal of one fixed shape (`key` and `node` always present, maybe
 * undefined), with no object spread. Spread-built objects take V8's slow object-creation path
 * and come out in several shapes, which cost ~10% of a short check (Porcupine's c50-bad) to
 * build and make the model's reads of `op.f`, `op.status` polymorphic. On a malformed history
 * (an invoke while one is pending, a completion with nothing pending) it calls
 * `pairOperations`, which throws the error. A test checks both agree on random histories.
 */
export function pairForCheck(events: readonly HistoryEvent[]): Operation[] {
  const n = events.length;
  const open = new Map<number, number>();
  // For each invoke's event index: its completion's event index, or -1.
  const completion = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const ev = events[i]!;
    if (ev.type === 'invoke') {
      if (open.has(ev.process)) return pairOperations(events);
      open.set(ev.process, i);
    } else {
      const j = open.get(ev.process);
      if (j === undefined) return pairOperations(events);
      open.delete(ev.process);
      completion[j] = i;
    }
  }
  const ops: Operation[] = [];
  for (let j = 0; j < n; j++) {
    const inv = events[j]!;
    if (inv.type !== 'invoke') continue;
    const c = completion[j]!;
    const done = c === -1 ? undefined : events[c]!;
    const known = done !== undefined && done.type !== 'info';
    ops.push({
      id: ops.length,
      process: inv.process,
      f: inv.f,
      key: inv.key,
      input: inv.value,
      output: known ? done.value : null,
      status: done === undefined || done.type === 'invoke' ? 'info' : done.type,
      invokeTime: inv.time,
      completeTime: known ? done.time : Infinity,
      invokeIndex: j,
      completeIndex: c,
      node: inv.node,
    });
  }
  return ops;
}
