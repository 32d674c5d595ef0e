import { kvAuthority } from '../models/kv-authority/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { kvParams, lan } from './kv-common.ts';

/** The server crashes every 1.5 s and is back 300 ms later; every crash loses unsynced writes. */
const crashes: ScheduledFault[] = Array.from({ length: 6 }, (_, i) => ({
  at: (i + 1) * 1500 * MS,
  action: { kind: 'crash', node: 's0', for: 300 * MS },
}));

export default defineScenario({
  name: 'kv-crash-restart',
  doc: 'the authority crashes and restarts, losing unsynced writes: acking before sync loses acknowledged writes',
  description:
    'One authoritative server crashes six times. On every crash the writes it had not synced are lost (or ' +
    'the last is torn). The naive server acknowledges before its background flush, so clients are told ' +
    'writes succeeded that the restarted server no longer has: a linearizability violation. The corrected ' +
    'server syncs before it acknowledges.',
  model: kvAuthority,
  // A lazy 250 ms flush (the written server's background sync) leaves acknowledged writes exposed.
  params: kvParams({ clients: 4, flushEvery: 250 * MS }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['linearizable'] },
    'bug:ack-before-sync': { violates: ['linearizable'] },
  },
  network: lan,
  faults: { schedule: crashes },
  unsyncedLoss: 1,
  checkers: [linearizable({ model: 'register' })],
  duration: 10 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
