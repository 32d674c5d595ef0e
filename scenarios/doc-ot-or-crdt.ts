import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { correctedHolds, docChecks, docNet, docParams, docSequencer } from './doc-common.ts';

export default defineScenario({
  name: 'doc-ot-or-crdt',
  doc: 'the document\'s open question, run: OT (ot-text-unicode) vs yjs vs our RGA under one workload and one set of faults',
  description:
    'Six clients type at random places, with bursts of concurrent inserts and deletes at one spot (the ' +
    'start of the document, a fifth of all edits); c5 is offline from 2 s to 32 s and keeps typing; the ' +
    'sequencer compacts every 100 ops, so c5 comes back to a STALE_BASE; the leader crashes at 20 s for ' +
    '2 s. The same seeds give the same faults and the same keystrokes to every position model. ' +
    '`faultline compare doc-ot-or-crdt` shows per model convergence, intention violations, bytes on the ' +
    'wire per edit, metadata bytes per character, latency to ack and server work per op.',
  model: docSequencer,
  params: docParams({ compactEvery: 100, mix: { insert: 5, delete: 3, hot: 2 } }),
  expect: {
    ...correctedHolds,
    'as-written': { violates: ['intention'] },
  },
  network: docNet,
  faults: {
    schedule: [
      { at: 2 * SECOND, action: { kind: 'partition', shape: { shape: 'isolate', node: 'c5' }, for: 30 * SECOND } },
      { at: 20 * SECOND, action: { kind: 'crash', node: 's0', for: 2 * SECOND } },
    ],
  },
  unsyncedLoss: 1,
  checkers: docChecks(),
  duration: 36 * SECOND,
  settle: 6 * SECOND,
  seeds: [1, 2, 3],
});
