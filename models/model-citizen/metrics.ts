import { pairOperations, type Operation } from '../../sim/history.ts';
import type { RunResult } from '../../sim/run.ts';
import { canonicalJson, type Value } from '../../sim/value.ts';
import type { CitizenView } from './engine.ts';

/**
 * The figures `faultline compare` shows per variant (ModelDef.metrics), for the document's
 * claims, read from one run:
 *  - `state B`: encoded state per replica (last `citizen.stats` probe of each context, mean);
 *    for Raft, the state machine's snapshot plus the Raft log and hard state in storage.
 *  - `state x contents`: that over the JSON of the replica's final contents (what the baseline
 *    stores: its encoded state is exactly that JSON), mean over replicas. The document: 2-4x.
 *  - `net B/change`: bytes every context sent (JSON) over mutations attempted.
 *  - `heal->same ms`: from the end of the last partition (the run's fault record; a partition
 *    with no end heals when the workload stops) to the first instant every context held the same
 *    contents (`citizen.view` digests); absent when they never did.
 *  - `mutation p50 ms` / `p99`: invoke to completion of acknowledged mutations (local apply for
 *    option 1, commit notification for options 2 and 3).
 *  - `minority ok %`, `minority ms w/o ack`: for a partition that isolates one context, the share
 *    of the mutations it attempted inside the window that were acknowledged, and the longest span
 *    of the window with no mutation of it acknowledged.
 *  - `abort %`: transactions aborted (options 2 and 3) over transactions decided.
 */
interface Stats {
  readonly bytes: { readonly [kind: string]: number };
  readonly state: number;
}

const MUTATIONS = new Set(['write', 'put', 'remove', 'insert', 'delete', 'add', 'discard']);

/** An acknowledged-or-not user mutation: option 1's per-object ops, or a transaction that changes something. */
function isMutation(o: Operation): boolean {
  if (o.f === 'tx') return (o.input as { read?: boolean } | null)?.read !== true;
  return MUTATIONS.has(o.f) && o.key !== undefined && !o.key.startsWith('reg/') && o.key !== 'otseq';
}

/** A short digest of a context's contents, probed after every event (FNV-1a of the canonical JSON). */
export function viewDigest(v: CitizenView): string {
  let h = 0x811c9dc5;
  const s = canonicalJson(v as unknown as Value);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

const percentile = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

export function citizenMetrics(r: RunResult): Readonly<Record<string, number>> {
  const stats = new Map<string, Stats>();
  for (const p of r.probes) if (p.name === 'citizen.stats') stats.set(p.node, p.detail as unknown as Stats);
  const ratios: number[] = [];
  let state = 0;
  let net = 0;
  for (const [node, s] of stats) {
    state += s.state / stats.size;
    net += Object.values(s.bytes).reduce((a, b) => a + b, 0);
    const fin = r.finalStates[node];
    if (fin !== undefined && fin !== null) ratios.push(s.state / Buffer.byteLength(JSON.stringify(fin), 'utf8'));
  }
  const ops = pairOperations(r.history);
  const muts = ops.filter(isMutation);
  const lat = muts.filter((o) => o.status === 'ok').map((o) => (o.completeTime - o.invokeTime) / 1000);
  const out: Record<string, number> = {
    'state B': Math.round(state),
    'state x contents': ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : NaN,
    'net B/change': muts.length ? net / muts.length : NaN,
    'mutation p50 ms': percentile(lat, 50),
    'mutation p99 ms': percentile(lat, 99),
    'heal->same ms': healToSame(r),
  };
  const txs = ops.filter((o) => o.f === 'tx' && o.status !== 'info');
  if (txs.length > 0) out['abort %'] = (100 * txs.filter((o) => o.status === 'fail').length) / txs.length;
  Object.assign(out, minority(r, muts));
  return out;
}

/** End of the last partition (a partition without an end heals when the workload stops). */
function lastHeal(r: RunResult): number | undefined {
  let heal: number | undefined;
  for (const f of r.faults) if (f.kind === 'partition') heal = Math.max(heal ?? 0, Math.min(f.until, r.duration));
  return heal;
}

function healToSame(r: RunResult): number {
  const heal = lastHeal(r);
  if (heal === undefined) return NaN;
  const nodes = Object.keys(r.finalStates);
  const latest = new Map<string, string>();
  for (const p of r.probes) {
    if (p.name !== 'citizen.view') continue;
    latest.set(p.node, p.detail as string);
    if (p.time < heal || latest.size < nodes.length) continue;
    if (new Set(latest.values()).size === 1) return (p.time - heal) / 1000;
  }
  return NaN;
}

/** Availability on the minority side of a partition that isolates one context. */
function minority(r: RunResult, muts: readonly Operation[]): Record<string, number> {
  for (const f of r.plannedFaults) {
    const a = f.action;
    if (a.kind !== 'partition' || a.shape.shape !== 'isolate') continue;
    const node = a.shape.node;
    const from = f.at;
    const to = Math.min(a.for !== undefined ? f.at + a.for : Infinity, r.duration);
    const mine = muts.filter((o) => o.node === node && o.invokeTime >= from && o.invokeTime < to);
    const acks = mine.filter((o) => o.status === 'ok' && o.completeTime <= to).map((o) => o.completeTime).sort((x, y) => x - y);
    let gap = 0;
    let last = from;
    for (const t of [...acks, to]) {
      gap = Math.max(gap, t - last);
      last = t;
    }
    return {
      'minority ok %': mine.length ? (100 * mine.filter((o) => o.status === 'ok').length) / mine.length : NaN,
      'minority ms w/o ack': gap / 1000,
    };
  }
  return {};
}
