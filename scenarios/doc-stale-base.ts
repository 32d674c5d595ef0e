import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { correctedHolds, docChecks, docNet, docParams, docSequencer } from './doc-common.ts';

export default defineScenario({
  name: 'doc-stale-base',
  doc: 'a client offline for 30 s keeps typing; the log is compacted past its base, so it gets STALE_BASE',
  description:
    'c5 is cut off from 2 s to 32 s and keeps editing offline, while five others type and the sequencer ' +
    'snapshots and truncates its log every 50 ops. When c5 comes back its clientBaseSeq is far below ' +
    'lastIncludedSeq: the server answers STALE_BASE, c5 fetches the snapshot and the ops after it and sends ' +
    'its pending ops again. The ops between its base and the snapshot are gone, so an OT client cannot ' +
    'transform against them: as written it re-sends its ops unchanged, at positions in a text that no ' +
    'longer exists; corrected rebases them over the difference between the text it had and the snapshot. ' +
    'A CRDT op names characters, not positions, and needs nothing of the kind.',
  model: docSequencer,
  params: docParams({ compactEvery: 50 }),
  expect: {
    ...correctedHolds,
    'as-written': { violates: ['intention'] },
    'as-written/yjs': { violates: ['sequencer'] },
    'bug:stale-off-by-one': { violates: ['intention'] },
  },
  network: docNet,
  faults: { schedule: [{ at: 2 * SECOND, action: { kind: 'partition', shape: { shape: 'isolate', node: 'c5' }, for: 30 * SECOND } }] },
  checkers: docChecks(),
  duration: 36 * SECOND,
  settle: 6 * SECOND,
  seeds: [1, 2, 3],
});
