import { raftKv } from '../models/raft-kv/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { raftKvCheckers, raftKvParams, raftLan, serverIds } from './raft-kv-common.ts';

/** Every 2.5 s all five servers lose power at once for 400 ms; every unsynced write is lost. */
const outages: ScheduledFault[] = Array.from({ length: 5 }, (_, i) =>
  serverIds(5).map((node) => ({ at: 2 * SECOND + i * 2500 * MS, action: { kind: 'crash' as const, node, for: 400 * MS } })),
).flat();

export default defineScenario({
  name: 'raft-kv-power-loss',
  doc: 'raft-kv: the whole cluster loses power at once, five times, losing every unsynced write',
  description:
    'Five Raft servers, six clients. Every 2.5 s all servers crash together (a correlated power failure) ' +
    'and come back 400 ms later with only what they had synced. Raft survives this because every reply ' +
    'that promises something (a vote, an appended entry) waits for the sync; a follower that answers ' +
    'AppendEntries before syncing comes back without entries the leader counted as committed, and a new ' +
    'leader elected from such followers overwrites them.',
  model: raftKv,
  params: raftKvParams(),
  expect: {
    corrected: { holds: true },
    'bug:reply-before-sync': { violates: ['consensus'] },
  },
  network: raftLan,
  faults: { schedule: outages },
  unsyncedLoss: 1,
  checkers: raftKvCheckers(),
  duration: 15 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
