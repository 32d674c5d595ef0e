import { confParams, doConformance } from '../models/do-conformance/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { confChecks, SLOW_STORAGE } from './do-conformance-common.ts';

const tripled = (mix: Readonly<Record<string, number>>): Record<string, number> => Object.fromEntries(Object.entries(mix).map(([f, w]) => [f, 3 * w]));

/** When the links also lose a fifth of all messages, for 1.5 s each. */
const LOSS_WINDOWS = [3 * SECOND, 10 * SECOND];

export default defineScenario({
  name: 'do-conformance-lossy',
  doc: 'the DO runtime conformance workload on links that lose, duplicate and reorder messages',
  description:
    'Three clients hold a socket to each of two Echo objects and send frames of every kind in batches of ' +
    'up to three, plus HTTP /inc (same request id on every retry), /count and /ids. Every link duplicates ' +
    '15% of messages and delays 30% past later ones, and in two 1.5 s windows loses 20%: the sockets must turn that into ' +
    'retransmission, dropped duplicates and filled reorder holes (a close that overtakes its frames waits ' +
    'for them; a client that hangs up right after a batch sends a close carrying the frames not yet ' +
    'acknowledged), and HTTP retries must reach the object\'s durable dedup. Outside the loss windows every ' +
    'reply is due within the socket bound of its frame. bug:ungated-inc applies a duplicated /inc twice ' +
    'or gives two ids one number; bug:burst-before-write sends burst frames ahead of earlier echoes.',
  model: doConformance,
  // Closes are rare here (connections live long enough for every reply to fall due); the evict
  // scenarios close often. The default weights tripled, then a close frame and a hangup at 1 each
  // (of 55): about five hangups a run, each with its last batch of 1-3 frames unacknowledged at the
  // close, some in a loss window (the close must carry what was lost). At the default weights the
  // extra closes cut the replies answered can ask for by a third (16 seeds: 750 against 1082).
  // One connection in six asks to be closed right after its hello: on these reordering links that
  // close overtakes the accept about one time in five, and the client must hold it until it is open.
  params: confParams({ mix: { ...tripled(confParams().mix), close: 1, reopen: 1, hangup: 1 }, frameMix: { ...confParams().frameMix, close: 0 }, runtime: { storage: SLOW_STORAGE }, closeOnOpen: 1 / 6 }),
  expect: {
    corrected: { holds: true },
    'bug:ungated-inc': { violates: ['inc-ledger'] },
    'bug:burst-before-write': { violates: ['echo-streams'] },
  },
  // Duplication and reordering on every link all the time (the sockets absorb both without a close);
  // loss only in two windows of the fault record, since a lost upgrade fails its connection and the
  // socket checks ask every such close to have a fault behind it.
  network: { default: { latency: { kind: 'lognormal', median: 5 * MS, sigma: 0.5, min: 1 * MS }, duplicate: 0.15, reorder: 0.3 } },
  faults: { schedule: LOSS_WINDOWS.map((at) => ({ at, action: { kind: 'degrade', loss: 0.2, for: 1500 * MS } })) },
  checkers: confChecks(),
  duration: 20 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
