import type { NodeSpec, ProcessContext } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros, Value } from '../../sim/value.ts';
import { MS, SECOND } from '../../sim/value.ts';
import type { Flaws } from '../crdt/flaws.ts';
import { baselineEngine } from './baseline.ts';
import { citizenContext, type CitizenOp } from './context.ts';
import type { Engine } from './engine.ts';
import { automergeActor, automergeEngine } from './automerge.ts';
import { referenceEngine } from './reference.ts';
import { yjsEngine } from './yjs.ts';
import { citizenMetrics } from './metrics.ts';
import { raftContext, type RaftContextOptions } from './raft-context.ts';

export interface CitizenParams {
  /** Number of contexts (nodes "z0".."z{n-1}"), each a replica of the four objects. */
  readonly contexts: number;
  readonly mix: Readonly<Partial<Record<CitizenOp, number>>>;
  readonly think: { readonly min: Micros; readonly max: Micros };
  readonly tableKeys?: number;
  readonly setElements?: number;
  readonly antiEntropyEvery?: Micros;
  /** Reference CRDTs: ship full state instead of deltas on every change (bytes comparison). */
  readonly fullStateSync?: boolean;
  /** Options 2 and 3 (Raft variants); defaults in RAFT_DEFAULTS. */
  readonly raft?: Partial<Pick<RaftContextOptions, 'maxChanges' | 'readShare' | 'txTimeout' | 'retryEvery'>>;
}

type EngineFactory = (ctx: ProcessContext, saved: Value | undefined, p: CitizenParams) => Engine;

const reference = (clock: 'hlc' | 'wall', flaws: Flaws = {}): EngineFactory => (ctx, saved, p) =>
  referenceEngine(ctx.id, () => ctx.now(), { clock, deltas: !p.fullStateSync, flaws }, saved);

/**
 * `as-written`: the fire-and-forget baseline. `corrected`: option 1 with our reference CRDTs,
 * HLC stamps, delta-state sync and anti-entropy. `crdt-wallclock`: the same with LWW stamps
 * from each node's own clock, as the document words it. Each `bug:` is one line off corrected.
 */
export const VARIANTS: Readonly<Record<string, EngineFactory>> = {
  'as-written': (_ctx, saved) => baselineEngine(saved),
  corrected: reference('hlc'),
  'crdt-wallclock': reference('wall'),
  yjs: (ctx, saved) => yjsEngine(contextIndex(ctx.id) + 1, saved),
  automerge: (ctx, saved) => automergeEngine(automergeActor(contextIndex(ctx.id)), () => ctx.now(), saved),
  'bug:merge-not-idempotent': reference('hlc', { mergeNotIdempotent: true }),
  'bug:forgot-tombstone': reference('hlc', { forgetTombstone: true }),
  'bug:vc-concurrent-ordered': reference('hlc', { concurrentAsOrdered: true }),
  /** corrected, but every change ships the full state (the delta-vs-full network comparison). */
  'crdt-full-state': (ctx, saved) => referenceEngine(ctx.id, () => ctx.now(), { clock: 'hlc', deltas: false, flaws: {} }, saved),
};

/**
 * Options 2 and 3: every context a Raft member (models/raft), the objects a replicated state
 * machine changed only by committed transactions. `raft-tx` is option 2 as the document's
 * transaction flow describes it; `ot-raft` is option 3 (ZenSeq edits as ot-text-unicode ops,
 * transformed in log order; the other objects as in option 2). Each `bug:` is one line off.
 */
type RaftVariant = Pick<RaftContextOptions, 'tx'> & Partial<Pick<RaftContextOptions, 'callbackBeforeCommit'>>;
export const RAFT_VARIANTS: Readonly<Record<string, RaftVariant>> = {
  'raft-tx': { tx: { ot: false } },
  'ot-raft': { tx: { ot: true } },
  /** The submitter fires its transaction's callbacks when it proposes, before the log decides. */
  'bug:callback-before-commit': { tx: { ot: false }, callbackBeforeCommit: true },
  /** An abort keeps the changes before the failed precondition (no rollback). */
  'bug:partial-abort': { tx: { ot: false, partialAbort: true } },
  /** An OT op is applied without transforming it against the ops committed after its base. */
  'bug:ot-no-transform': { tx: { ot: true, otNoTransform: true } },
};

export const RAFT_DEFAULTS = { maxChanges: 3, readShare: 0.2, txTimeout: 1 * SECOND, retryEvery: 200 * MS } as const;

const contextIndex = (id: string): number => Number(id.slice(1));

export const contextIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `z${i}`);

export const modelCitizen: ModelDef<CitizenParams> = {
  name: 'model-citizen',
  doc: '004 Model Citizen: ZenValue/ZenTable/ZenSeq/ZenSet replicated across contexts; fire-and-forget baseline, option 1 CRDTs (reference, Yjs, Automerge), option 2 Raft transactions, option 3 OT over Raft',
  variants: [...Object.keys(VARIANTS), ...Object.keys(RAFT_VARIANTS)],
  metrics: citizenMetrics,
  build(variant, p): readonly NodeSpec[] {
    const rv = RAFT_VARIANTS[variant];
    if (rv) {
      return contextIds(p.contexts).map((id) => ({
        id,
        role: 'context',
        create: raftContext({
          ...RAFT_DEFAULTS,
          ...p.raft,
          ...rv,
          mix: p.mix,
          think: p.think,
          tableKeys: p.tableKeys ?? 3,
          setElements: p.setElements ?? 4,
          statsEvery: p.antiEntropyEvery ?? 1 * SECOND,
          raft: { electionTimeout: { min: 150 * MS, max: 300 * MS }, heartbeat: 50 * MS, snapshotEvery: 200 },
        }),
      }));
    }
    const make = VARIANTS[variant];
    if (!make) throw new Error(`model-citizen has no variant '${variant}'`);
    return contextIds(p.contexts).map((id, index) => ({
      id,
      role: 'context',
      create: citizenContext({
        index,
        mix: p.mix,
        think: p.think,
        tableKeys: p.tableKeys ?? 3,
        setElements: p.setElements ?? 4,
        antiEntropyEvery: p.antiEntropyEvery ?? 1 * SECOND,
        makeEngine: (ctx, saved) => make(ctx, saved, p),
      }),
    }));
  },
};

export const DEFAULT_MIX: Readonly<Record<CitizenOp, number>> = { write: 3, put: 2, remove: 1, insert: 2, delete: 1, add: 2, discard: 1 };
export const DEFAULT_THINK = { min: 20 * MS, max: 300 * MS } as const;
