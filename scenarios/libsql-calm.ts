import { libsqlReplication } from '../models/libsql-replication/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { edgeNetwork, libsqlCheckers, libsqlParams, replicas } from './libsql-common.ts';

const params = libsqlParams();

export default defineScenario({
  name: 'libsql-calm',
  doc: "no faults on the edge network profile: where the document's latency claims are judged",
  description:
    'Three libSQL nodes (r0 leads), nine clients, three per read mode, one of each in every colo, on the edge ' +
    'profile (scenarios/libsql-common.ts: 2.5 ms one way between colos, 0.2 ms to the co-located replica) and no ' +
    'fault at all. It measures what the document\'s latency table claims (write to the leader 2-10 ms, local ' +
    'replica read <1 ms, read-your-writes read 2-10 ms): `faultline compare libsql-calm` shows each claim beside ' +
    'the measurement. Must hold: every check, in both variants (with nothing failing, asynchronous replication ' +
    'loses nothing).',
  model: libsqlReplication,
  params,
  expect: {
    corrected: { holds: true },
    'as-written': { holds: true },
  },
  network: edgeNetwork(params.clients),
  faults: {},
  targets: replicas,
  checkers: libsqlCheckers(),
  duration: 6 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
