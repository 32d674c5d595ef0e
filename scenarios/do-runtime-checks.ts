import { DEFAULT_DO_PARAMS } from '../models/durable-object/runtime.ts';
import { runtimeRules } from '../models/durable-object/runtime-checks.ts';
import { socketStreams } from '../models/durable-object/transport-checks.ts';
import type { Checker } from '../sim/check/types.ts';
import { MS } from '../sim/value.ts';

const { wsTimeout, heartbeat } = DEFAULT_DO_PARAMS;

/** A frame is delivered or its connection ends within this, on the default socket timing (see below). */
export const SOCKET_DELIVERY_BOUND = 2 * (wsTimeout + heartbeat);

/**
 * How long a close takes to reach the other side on a healthy network: the DO scenarios' links
 * take milliseconds (metro 5 ms, internet 20 ms median), a close may wait behind frames in flight
 * and, on the host, behind a cold start and the input gate; a heartbeat (1 s) is what a close that
 * was never sent would take to be noticed.
 */
export const CLOSE_WITHIN = 500 * MS;

/**
 * The longest fault-free stretch a socket timeout may have in its window: a heartbeat (every side
 * pings or retransmits at least once per `heartbeat`) and a round trip, with room for the
 * internet links' tail and a reordered message (4 medians late): 250 ms against 20 ms medians.
 */
export const LIVE_PATH = heartbeat + 250 * MS;

/**
 * The DO runtime's socket promises (in order, once, no silent gap, every close explained), for
 * every scenario on the runtime's default socket timing (3 s timeout, 1 s heartbeat).
 *  - A frame is delivered or its connection ends within two timeouts and two heartbeats: the
 *    sender gives up at most a timeout plus a scan after its last progress, and the receiver
 *    hears nothing from then on, so it gives up a timeout plus a heartbeat later.
 *  - A timeout close follows within a timeout and two heartbeats of the fault behind it.
 *  - Each side times out as TCP's user timeout says (the runtime's wsTimeout, which every
 *    client passes as its own timeout): not later, and never without a reason its probes show.
 *  - A close reaches the other side within CLOSE_WITHIN when no fault is in the way.
 *  - A timeout needs a dead path: no fault-free stretch longer than LIVE_PATH in its window.
 * `evictionCloses`: the scenario runs with socketsPin off, where an idle object is evicted with
 * its sockets open.
 */
export const socketChecks = (opts: { readonly evictionCloses?: boolean } = {}): Checker =>
  socketStreams({ deliverWithin: SOCKET_DELIVERY_BOUND, faultWindow: wsTimeout + 2 * heartbeat, evictionCloses: opts.evictionCloses ?? false, userTimeout: wsTimeout, closeWithin: CLOSE_WITHIN, livePath: LIVE_PATH });

/** The runtime's storage, cold-start and eviction rules (runtime-checks.ts), read from the host's probes. */
export const runtimeChecks = (): Checker => runtimeRules();
