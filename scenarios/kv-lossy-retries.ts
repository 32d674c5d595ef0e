import { kvAuthority } from '../models/kv-authority/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { kvParams } from './kv-common.ts';

export default defineScenario({
  name: 'kv-lossy-retries',
  doc: 'lost and duplicated messages force retries: a server without dedup applies a cas twice',
  description:
    'The network loses 15% of messages and duplicates 10%, with reordering. Clients retry on timeout with ' +
    'the same request number. A server that does not remember its replies applies a retried ' +
    'compare-and-set again; the retry then fails against the value the first attempt wrote, and the ' +
    'client reports a failure for an operation that took effect.',
  model: kvAuthority,
  params: kvParams({ timeout: 20 * MS, retries: 4 }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['linearizable'] },
    'bug:no-dedup': { violates: ['linearizable'] },
  },
  network: {
    default: { latency: { kind: 'lognormal', median: 2 * MS, sigma: 0.8, min: 300 }, loss: 0.15, duplicate: 0.1, reorder: 0.2 },
  },
  faults: {},
  checkers: [linearizable({ model: 'register' })],
  duration: 10 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
