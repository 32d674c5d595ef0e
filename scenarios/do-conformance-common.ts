import { API_PROBE } from '../models/do-conformance/api-contract.ts';
import { answered, echoStreams, incLedger, readsBounded } from '../models/do-conformance/checks.ts';
import { CONF_PROBES } from '../models/do-conformance/client.ts';
import { ECHO_PROBES, GATE_SLEEP } from '../models/do-conformance/echo.ts';
import { invariants } from '../sim/check/invariants.ts';
import type { Checker } from '../sim/check/types.ts';
import { MS } from '../sim/value.ts';
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

/** Every do-conformance scenario's checks: the echo contract, the counter's books, and the runtime's own. */
export const confChecks = (opts: { readonly evictionCloses?: boolean } = {}): Checker[] => [
  echoStreams({ gateSleep: GATE_SLEEP, others: [CONF_PROBES.hangup, API_PROBE] }),
  answered({ bound: REPLY_BOUND, gateSleep: GATE_SLEEP }),
  incLedger({ applied: ECHO_PROBES.applied, cls: 'Echo' }),
  readsBounded({ applied: ECHO_PROBES.applied }),
  // conf.read-your-write, conf.api (and any other probe the object or client reports false).
  invariants(),
  socketChecks(opts),
  runtimeChecks(),
];
