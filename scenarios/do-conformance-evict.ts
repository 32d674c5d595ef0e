import { confParams, doConformance, type ConfParams } from '../models/do-conformance/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { confChecks, metro } from './do-conformance-common.ts';

/**
 * Clients that close often and stay away a while (up to 3 s) before reconnecting, so an object is
 * often left with no socket and no request for longer than its 800 ms idle limit: evicted, then
 * cold-started by the next upgrade or request, which waits behind the cold start and the init.
 */
export const evictParams = (socketsPin: boolean): ConfParams =>
  confParams({
    clients: 2,
    // Half the closes are the client's own (hangups), half the object's (close frames).
    mix: { ...confParams().mix, close: 4, hangup: 4, inc: 6 },
    frameMix: { ...confParams().frameMix, close: 2 },
    think: { min: 30 * MS, max: 1 * SECOND },
    reconnect: { min: 200 * MS, max: 5 * SECOND },
    runtime: { idleEvict: 800 * MS, coldStart: 100 * MS, socketsPin },
    // Sleeps up to 1.5 s: past idleEvict, so an object idles out under a sleeping handler unless
    // the runtime counts the handler as activity (no-evict-while-running).
    maxMs: 1500,
  });

export default defineScenario({
  name: 'do-conformance-evict',
  doc: 'the DO runtime conformance workload with idle evictions and cold starts (open sockets pin an object)',
  description:
    'Two clients on two Echo objects close their sockets often and reconnect after up to 3 s; an object ' +
    'with no open socket and no event for 800 ms is evicted, and the next upgrade or request pays a 100 ms ' +
    'cold start, queued behind it and behind the init that reloads the count under the input gate. No ' +
    'fault: every close is a close frame\'s or a client\'s hangup (a batch of frames, then close()), every ' +
    'reply is due within the socket bound, and a hangup ends the host\'s side at once. ' +
    'bug:count-in-memory does not reload the count at a cold start, so the object numbers its /inc from 1 ' +
    'again.',
  model: doConformance,
  params: evictParams(true),
  expect: {
    corrected: { holds: true },
    'bug:count-in-memory': { violates: ['inc-ledger'] },
  },
  network: metro,
  faults: {},
  checkers: confChecks(),
  duration: 30 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
