import { clientIds, confParams, doConformance } from '../models/do-conformance/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { confChecks, metro, SLOW_STORAGE } from './do-conformance-common.ts';
import { doHostNemesis } from './do-nemesis-common.ts';

const CLIENTS = 3;

export default defineScenario({
  name: 'do-conformance-nemesis',
  doc: 'the DO runtime conformance workload under a swarm nemesis: crashes inside writes, partitions, lost and duplicated messages, clock steps',
  description:
    'The DO nemesis of karaoke and waddle (do-nemesis-common.ts), swarm style, on the Echo objects\' host: ' +
    'crashes and pauses of do0 at random instants, with 1-10 ms storage writes so crashes land inside ' +
    'them (and take every unsynced write); partitions among the clients, the Worker and the host; a ' +
    'degraded network that loses (HTTP replies among them, which clients retry with the same request id), ' +
    'duplicates and reorders; clock steps and drift on the host; objects evicted after 2 s idle. Every ' +
    'reply due on a connection that stayed open is due within the socket bound after the fault that ' +
    'struck before it healed; the counter\'s books must balance across every crash.',
  model: doConformance,
  params: confParams({ clients: CLIENTS, think: { min: 20 * MS, max: 800 * MS }, retries: 6, runtime: { storage: SLOW_STORAGE, idleEvict: 2 * SECOND } }),
  // Only corrected: whether a random run of a planted bug overlaps two /inc copies, or cold-starts
  // an object, varies with the swarm's draw (do-conformance-lossy and -evict catch them every time).
  expect: {
    corrected: { holds: true },
  },
  network: metro,
  targets: ['do0', 'worker', ...clientIds(CLIENTS)],
  faults: { nemesis: doHostNemesis },
  unsyncedLoss: 1,
  checkers: confChecks(),
  duration: 20 * SECOND,
  settle: 8 * SECOND,
  seeds: [1, 2, 3],
});
