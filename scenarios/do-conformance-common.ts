import { API_PROBE } from '../models/do-conformance/api-contract.ts';
import { answered, closeHandled, echoStreams, framesHandled, httpAnswered, incLedger, noEvictWhileRunning, readsBounded } from '../models/do-conformance/checks.ts';
import { CONF_PROBES } from '../models/do-conformance/client.ts';
import { ECHO_PROBES, GATE_SLEEP } from '../models/do-conformance/echo.ts';
import { invariants } from '../sim/check/invariants.ts';
import type { Checker } from '../sim/check/types.ts';
import { MS, SECOND } from '../sim/value.ts';
import { runtimeChecks, SOCKET_DELIVERY_BOUND, socketChecks } from './do-runtime-checks.ts';

/** The karaoke scenarios' metro network: one definition for every DO scenario that uses it. */
export { metro } from './karaoke-common.ts';

/**
 * How long after a frame (or after the heal of a fault that struck meanwhile) its reply may take on
 * a connection that stays open: the socket checks' delivery bound (a sender gives up a timeout and a
 * scan after its last progress, the receiver a timeout and a heartbeat later), which dwarfs a cold
 * start, a gate and a storage round trip.
 */
export const REPLY_BOUND = SOCKET_DELIVERY_BOUND;

/** Slow enough storage (1-10 ms) that handlers overlap at their awaits and crashes land inside writes. */
export const SLOW_STORAGE = { min: 1 * MS, max: 10 * MS } as const;

/**
 * How long an HTTP attempt may wait for its answer with no fault in the way: a 100 ms cold start,
 * the init's read, gates held 20 ms each by the frames queued before it, a few storage round trips.
 */
export const HTTP_BOUND = 2 * SECOND;

/** Every do-conformance scenario's checks: the echo contract, the counter's books, and the runtime's own. */
export const confChecks = (opts: { readonly evictionCloses?: boolean } = {}): Checker[] => [
  echoStreams({ gateSleep: GATE_SLEEP, others: [CONF_PROBES.hangup, API_PROBE, ECHO_PROBES.got, ECHO_PROBES.closedHandler] }),
  answered({ bound: REPLY_BOUND, gateSleep: GATE_SLEEP }),
  incLedger({ applied: ECHO_PROBES.applied, cls: 'Echo' }),
  readsBounded({ applied: ECHO_PROBES.applied }),
  // What the runtime handed the object: each delivered frame to its handler once, each close once.
  framesHandled({ got: ECHO_PROBES.got, bound: REPLY_BOUND }),
  closeHandled({ closedHandler: ECHO_PROBES.closedHandler, bound: REPLY_BOUND }),
  // A sleeping handler keeps its object in memory (the unpinned evict scenario sleeps past idleEvict).
  noEvictWhileRunning({ got: ECHO_PROBES.got }),
  httpAnswered({ sent: CONF_PROBES.httpSent, res: CONF_PROBES.httpRes, bound: HTTP_BOUND }),
  // conf.read-your-write, conf.api (and any other probe the object or client reports false).
  invariants(),
  socketChecks(opts),
  runtimeChecks(),
];
