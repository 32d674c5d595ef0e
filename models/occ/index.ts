import type { NodeSpec, ProcessContext } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { validateWorkload, type WorkloadSpec } from '../../sim/workload.ts';
import { occClient } from './client.ts';
import { occStore, type OccStoreOptions } from './store.ts';

export interface OccParams {
  readonly clients: number;
  readonly workload: WorkloadSpec;
  /** The document's MAX_RETRIES (it gives no figure). */
  readonly maxRetries: number;
  readonly timeout: Micros;
  /** Backoff base and cap for the corrected variant. */
  readonly backoffBase: Micros;
  readonly backoffCap: Micros;
}

type Backoff = (retries: number, ctx: ProcessContext) => Micros;
const none: Backoff = () => 0;
/**
 * Exponential backoff with full jitter: wait uniformly in [0, min(cap, base * 2^retries)], one
 * choice `occ.jitter` (value 0 is the shortest wait).
 */
const expJitter = (base: Micros, cap: Micros): Backoff => (retries, ctx) => ctx.choices.int(Math.min(cap, base * 2 ** retries) + 1, 'occ.jitter');

interface Variant {
  readonly store: OccStoreOptions;
  readonly jitter: boolean;
}
const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': { store: { checkVersion: true, bumpVersion: true }, jitter: false },
  corrected: { store: { checkVersion: true, bumpVersion: true }, jitter: true },
  'bug:no-version-check': { store: { checkVersion: false, bumpVersion: true }, jitter: true },
  'bug:version-not-bumped': { store: { checkVersion: true, bumpVersion: false }, jitter: true },
};

export const occModel: ModelDef<OccParams> = {
  name: 'occ',
  doc: 'seed 001 option D: updateWithOCC over versioned state in libSQL, MAX_RETRIES; corrected adds exponential backoff with jitter',
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`occ has no variant '${variant}'`);
    validateWorkload(p.workload);
    const backoff = v.jitter ? expJitter(p.backoffBase, p.backoffCap) : none;
    const nodes: NodeSpec[] = [{ id: 'occ-db', role: 'store', create: occStore(v.store) }];
    for (let i = 0; i < p.clients; i++) {
      nodes.push({ id: `c${i}`, role: 'client', create: occClient({ store: 'occ-db', workload: p.workload, MAX_RETRIES: p.maxRetries, timeout: p.timeout, backoff }) });
    }
    return nodes;
  },
};
