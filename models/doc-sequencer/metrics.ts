import type { RunResult } from '../../sim/run.ts';

/**
 * The figures `faultline compare` shows for each position model (ModelDef.metrics), read from
 * a run's final states and checks:
 *  - bytes/edit: every byte clients sent and received (ops, acks, broadcasts, fetches,
 *    snapshots, presence), as JSON, per edit typed;
 *  - meta B/char: replica state beyond the visible text (ids, tombstones, CRDT encoding), per
 *    character of the document, mean over replicas (OT keeps none: the text is the state);
 *  - server work/op: transform calls (OT) or integrations (CRDT) per sequenced op, busiest replica;
 *  - intention viol.: inserts seen outside the characters they were typed between.
 * Latency to ack is the insert / delete latency compare shows anyway.
 */
interface ClientState {
  readonly stats?: { readonly bytesOut: number; readonly bytesIn: number; readonly edits: number };
}
interface ServerState {
  readonly text?: string;
  readonly meta?: number;
  readonly work?: number;
  readonly seq?: number;
}

export function docMetrics(r: RunResult): Readonly<Record<string, number>> {
  let bytes = 0;
  let edits = 0;
  const meta: number[] = [];
  let work = 0;
  for (const s of Object.values(r.finalStates)) {
    const c = s as ClientState & ServerState;
    if (c.stats) {
      bytes += c.stats.bytesOut + c.stats.bytesIn;
      edits += c.stats.edits;
    } else if (typeof c.text === 'string' && typeof c.meta === 'number') {
      meta.push(c.meta / Math.max(1, Array.from(c.text).length));
      work = Math.max(work, (c.work ?? 0) / Math.max(1, c.seq ?? 0));
    }
  }
  const intention = r.checks.find((c) => c.name === 'intention');
  const violations = (intention?.evidence as { total?: number } | undefined)?.total ?? 0;
  return {
    'bytes/edit': edits > 0 ? bytes / edits : 0,
    'meta B/char': meta.length > 0 ? meta.reduce((a, b) => a + b, 0) / meta.length : 0,
    'server work/op': work,
    'intention viol.': violations,
  };
}
