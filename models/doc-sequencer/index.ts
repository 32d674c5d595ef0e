import type { ModelDef } from '../../sim/scenario.ts';
import { createRaftNode } from '../raft/index.ts';
import { docMetrics } from './metrics.ts';
import { type DocParams, docNodes, variantNames } from './nodes.ts';

export type { DocParams } from './nodes.ts';
export { clientIds, serverIds } from './nodes.ts';

/**
 * Seed 002: a collaborative document over a Raft-replicated sequencer. Variants are
 * `<base>` or `<base>/<position>`: base as-written, corrected or bug:<name>; position ot
 * (ot-text-unicode, server-side transform), yjs or rga (sequence CRDTs); without a position,
 * the scenario's default (OT).
 */
export const docSequencer: ModelDef<DocParams> = {
  name: 'doc-sequencer',
  doc: '002 collaborative document: Raft-replicated sequencer, serverSeq, opId dedup, snapshots + STALE_BASE, OT or CRDT',
  variants: variantNames(),
  build: (variant, p) => docNodes(variant, p, createRaftNode),
  metrics: docMetrics,
};
