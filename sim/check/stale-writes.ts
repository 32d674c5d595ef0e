import type { Checker, CheckInput, CheckResult } from './types.ts';
import type { Micros, Value } from '../value.ts';

/**
 * Single writer per key, as the storage saw it, from accepted writes alone (the lock designs' store). The storage probes `probe` with
 * `{ key, writer }` for every write it accepted, `writer` naming one tenure (a worker and the
 * lock acquisition it acted under). Once a later writer has written a key, the earlier one is
 * retired: an accepted write by a retired writer means two writers' tenures overlapped at the
 * storage (a stale lock holder acted after its successor). Evidence: the overlapping pair.
 */
export function staleWrites(options: { name?: string; probe?: string } = {}): Checker {
  const name = options.name ?? 'single-writer';
  const probe = options.probe ?? 'store-write';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const current = new Map<string, { writer: string; since: Micros }>();
      const retired = new Map<string, Map<string, { by: string; at: Micros }>>();
      const overlaps: Value[] = [];
      let writes = 0;
      for (const p of input.probes) {
        if (p.name !== probe) continue;
        const d = p.detail as { key?: Value; writer?: Value } | null;
        const key = String(d?.key);
        const writer = String(d?.writer);
        writes++;
        const cur = current.get(key);
        if (cur?.writer === writer) continue;
        const gone = retired.get(key) ?? new Map<string, { by: string; at: Micros }>();
        retired.set(key, gone);
        const was = gone.get(writer);
        if (was !== undefined) {
          overlaps.push({ key, stale: writer, superseded: was.by, supersededAt: was.at, staleWriteAt: p.time });
        }
        if (cur) gone.set(cur.writer, { by: writer, at: p.time });
        current.set(key, { writer, since: p.time });
      }
      if (overlaps.length === 0) return { name, verdict: 'ok', summary: `${writes} accepted writes on ${current.size} keys, one writer at a time` };
      const f = overlaps[0] as { key: string; stale: string; superseded: string; staleWriteAt: number };
      return {
        name,
        verdict: 'violation',
        summary: `${overlaps.length} stale writes; first: ${f.stale} wrote ${f.key} at ${(f.staleWriteAt / 1000).toFixed(3)} ms after ${f.superseded} took over`,
        evidence: { overlaps: overlaps.slice(0, 20), total: overlaps.length },
      };
    },
  };
}
