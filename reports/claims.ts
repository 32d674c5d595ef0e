/**
 * Figures a seed document claims for a design, so a comparison can show the claim beside the
 * measurement. Keyed by the design's model name (and optionally one variant). A claim names
 * what it measures and, when the document gives a number, the bound that would make it true.
 *
 * Seed 001 (stateless DO consistency) claims, in its "Performance Comparison" table: distributed
 * lock +20 ms write latency, libSQL leader +5 ms write and 0-5 ms read latency, hybrid +5 ms
 * write and 0-2 ms read, availability "High"/"Medium". None of those designs is implemented
 * yet; when one lands, add its rows here under its model name, e.g.
 *   { design: 'libsql-leader', source: 'seed 001, Performance Comparison', text: '0-5ms',
 *     metric: { kind: 'latency', f: 'read', stat: 'p99' }, bound: { max: 5 } }
 */
export type ClaimMetric =
  | { readonly kind: 'latency'; readonly f: string; readonly stat: 'p50' | 'p90' | 'p99' | 'max' }
  | { readonly kind: 'availability' };

export interface Claim {
  readonly design: string;
  readonly variant?: string;
  /** Where the claim is made: document and section. */
  readonly source: string;
  /** The claim as the document words it ("<1ms", "High"). */
  readonly text: string;
  readonly metric: ClaimMetric;
  /** The numeric reading of the claim, when there is one: ms for latency, a fraction for availability. */
  readonly bound?: { readonly min?: number; readonly max?: number };
}

/**
 * Seed 001 option B, "Latency Analysis", under the edge profile of scenarios/libsql-common.ts
 * (inter-colo one-way lognormal median 2.5 ms, client to its co-located replica 0.2 ms).
 * Read modes are history f names: read (strong), read-ryw, read-eventual.
 */
const B_SOURCE = 'seed 001, Option B, Latency Analysis';
export const CLAIMS: readonly Claim[] = [
  { design: 'libsql-replication', source: B_SOURCE, text: 'Write (to leader) 2-10ms', metric: { kind: 'latency', f: 'write', stat: 'p50' }, bound: { min: 2, max: 10 } },
  { design: 'libsql-replication', source: B_SOURCE, text: 'Write (to leader) 2-10ms', metric: { kind: 'latency', f: 'write', stat: 'p99' }, bound: { max: 10 } },
  { design: 'libsql-replication', source: B_SOURCE, text: 'Read (local replica) <1ms', metric: { kind: 'latency', f: 'read-eventual', stat: 'p99' }, bound: { max: 1 } },
  { design: 'libsql-replication', source: B_SOURCE, text: 'Read (read-your-writes) 2-10ms', metric: { kind: 'latency', f: 'read-ryw', stat: 'p99' }, bound: { max: 10 } },
];

export function claimsFor(design: string, variant: string, table: readonly Claim[] = CLAIMS): Claim[] {
  return table.filter((c) => c.design === design && (c.variant === undefined || c.variant === variant));
}

/** What a measurement says about a claim: holds, refuted, or no numeric bound to test. */
export function judgeClaim(c: Claim, measured: number | null): 'holds' | 'refuted' | 'untested' {
  if (measured === null || !c.bound) return 'untested';
  if (c.bound.max !== undefined && measured > c.bound.max) return 'refuted';
  if (c.bound.min !== undefined && measured < c.bound.min) return 'refuted';
  return 'holds';
}

export function describeMetric(m: ClaimMetric): string {
  return m.kind === 'latency' ? `${m.f} ${m.stat} latency (ms)` : 'availability (fraction ok)';
}
