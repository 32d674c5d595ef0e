import type { ScheduledFault } from '../sim/faults.ts';
import type { WorkloadSpec } from '../sim/workload.ts';
import { MS, SECOND } from '../sim/value.ts';

/**
 * Seed 001's "Performance Comparison" measured: one workload every approach of the table runs
 * (six clients, four DOs, half writes and half reads, 5-40 ms think time, 6 s), over the same
 * seeds, each under the failure its own failure-mode table names, injected at the same time
 * (2 s to 3 s). The approaches name their operations differently (insert, incr, write), so
 * `writeWorkload` is the one workload spelled in each model's words; `faultline compare
 * seed001-table` (reports/families.ts) reads them back as write and read columns.
 */
export const TABLE = {
  clients: 6,
  keys: 4,
  think: { min: 5 * MS, max: 40 * MS },
  duration: 6 * SECOND,
  settle: 1 * SECOND,
  failAt: 2 * SECOND,
  failFor: 1 * SECOND,
  seeds: [1, 2, 3] as readonly number[],
} as const;

/** The table's workload in a model's own operation names. */
export const tableWorkload = (write: string, read: string): WorkloadSpec => ({
  mix: { [write]: 1, [read]: 1 },
  keys: TABLE.keys,
  think: TABLE.think,
});

/** The approach's failure: `node` crashes at failAt and restarts failFor later. */
export const crashAtFailure = (node: string): ScheduledFault[] => [{ at: TABLE.failAt, action: { kind: 'crash', node, for: TABLE.failFor } }];
