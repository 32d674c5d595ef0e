import { raftKv } from '../models/raft-kv/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { clientIds, raftKvCheckers, raftKvParams, raftLan, serverIds } from './raft-kv-common.ts';

const SERVERS = serverIds(5);
const CLIENTS = clientIds(6);

/**
 * Two neighbouring servers in turn are cut off for 1.5 s together with two clients, so
 * whichever server leads is on the minority side in about two rounds of five, with clients
 * still talking to it; the other three servers and four clients form the majority side. 700 ms
 * of healing between cuts.
 */
const cuts: ScheduledFault[] = Array.from({ length: 8 }, (_, i) => {
  const minority = [SERVERS[i % 5] as string, SERVERS[(i + 1) % 5] as string];
  const withIt = [CLIENTS[(2 * i) % 6] as string, CLIENTS[(2 * i + 1) % 6] as string];
  const rest = [...SERVERS.filter((s) => !minority.includes(s)), ...CLIENTS.filter((c) => !withIt.includes(c))];
  return {
    at: 1 * SECOND + i * 2200 * MS,
    action: { kind: 'partition', shape: { shape: 'groups', groups: [[...minority, ...withIt], rest] }, for: 1500 * MS },
  };
});

export default defineScenario({
  name: 'raft-kv-partition',
  doc: 'raft-kv: each server in turn (the leader among them) is partitioned away with two clients',
  description:
    'Five Raft servers, six clients. Every 2.2 s two servers are cut off for 1.5 s with two of the clients, ' +
    'in turn, so the leader is often on the minority side with clients still sending to it: it keeps accepting proposals it can ' +
    'never commit while the majority side elects a new leader. On healing, the old leader must discard its ' +
    'uncommitted suffix. A node whose vote ignores log freshness, or a follower that skips the ' +
    'previous-entry check, lets an isolated node\'s stale log overwrite committed entries.',
  model: raftKv,
  // Snapshots every 200 entries, so the old leader's divergent suffix is repaired by
  // AppendEntries (whose previous-entry check is under test), not replaced by InstallSnapshot.
  params: raftKvParams({ raft: { ...raftKvParams().raft, snapshotEvery: 200 } }),
  expect: {
    corrected: { holds: true },
    'bug:vote-stale-log': { violates: ['consensus'] },
    'bug:skip-prev-check': { violates: ['consensus'] },
  },
  network: raftLan,
  faults: { schedule: cuts },
  checkers: raftKvCheckers(),
  duration: 19 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
