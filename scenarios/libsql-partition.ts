import { libsqlReplication } from '../models/libsql-replication/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { edgeNetwork, libsqlCheckers, libsqlParams, replicas } from './libsql-common.ts';

const params = libsqlParams();

export default defineScenario({
  name: 'libsql-partition',
  doc: 'the leader is cut off from the other database nodes while every client can still reach it',
  description:
    'r0 leads. From 1 s to 3 s r0 and r2 cannot talk while r1 sees both (a bridge): r2 stops hearing the ' +
    'leader and calls an election through r1. At 4 s r0 is cut off from r1 and r2 for 3 s, but not from the ' +
    'clients, which keep sending it writes and strong reads. '+
    'Must hold (corrected): the isolated leader cannot reach a ' +
    'majority, so it acknowledges nothing and serves no strong read; clients time out and find the new leader. ' +
    'Must be caught: as-written keeps acknowledging writes and answering strong reads on the old leader ' +
    '(stale reads, and its writes are thrown away at heal).',
  model: libsqlReplication,
  params,
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['linearizable'] },
  },
  network: edgeNetwork(params.clients),
  faults: {
    schedule: [
      // A bridge: r0 and r2 cannot talk, r1 sees both. r2 stops hearing the leader and calls an election.
      { at: 1 * SECOND, action: { kind: 'partition', shape: { shape: 'one-way', from: ['r0'], to: ['r2'] }, for: 2 * SECOND } },
      { at: 1 * SECOND, action: { kind: 'partition', shape: { shape: 'one-way', from: ['r2'], to: ['r0'] }, for: 2 * SECOND } },
      { at: 4 * SECOND, action: { kind: 'partition', shape: { shape: 'groups', groups: [['r0'], ['r1', 'r2']] }, for: 3 * SECOND } },
    ],
  },
  targets: replicas,
  checkers: libsqlCheckers(),
  duration: 9 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
