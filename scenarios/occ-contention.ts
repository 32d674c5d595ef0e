import { occModel, type OccParams } from '../models/occ/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';

/** Client <-> libSQL store 1-5 ms one way: the document's "Read 2-10ms", "Write (no conflict) 2-10ms". */
export const occNet: NetworkSpec = { default: { latency: { kind: 'uniform', min: 1 * MS, max: 5 * MS } } };

export const occParams = (over: Partial<OccParams> = {}): OccParams => ({
  clients: 10,
  workload: { mix: { incr: 3, read: 1 }, keys: 1, think: { min: 0, max: 10 * MS }, opsPerClient: 20 },
  maxRetries: 5,
  timeout: 200 * MS,
  backoffBase: 2 * MS,
  backoffCap: 100 * MS,
  ...over,
});

export default defineScenario({
  name: 'occ-contention',
  doc: 'option D: ten writers increment one DO through updateWithOCC; conflicts, retries, MaxRetriesExceeded',
  description:
    'Ten clients increment the same DO counter through the document\'s updateWithOCC (read with version, ' +
    'update, write only if the version still matches, up to MAX_RETRIES = 5). OCC stays safe under any ' +
    'contention; what contention costs is retries, latency and writes that never land (MaxRetriesExceeded). ' +
    'The planted bugs drop the version check or the version bump, and lose updates.',
  model: occModel,
  params: occParams(),
  expect: {
    corrected: { holds: true },
    'as-written': { holds: true },
    'bug:no-version-check': { violates: ['linearizable'] },
    'bug:version-not-bumped': { violates: ['linearizable'] },
  },
  network: occNet,
  faults: {},
  checkers: [linearizable({ model: 'counter' })],
  duration: 3 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
