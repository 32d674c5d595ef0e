import type { KaraokeParams } from '../models/karaoke-room/index.ts';
import { karaokeQueueModel } from '../models/karaoke-room/queue-model.ts';
import { clientsConverge, ownAnswersShown, viewsMonotonic } from '../models/karaoke-room/checks.ts';
import { appliedOnce } from '../models/durable-object/checks.ts';
import { runtimeChecks, socketChecks } from './do-runtime-checks.ts';
import { appliedAtExpectedVersion, freshWithin, noPhantomState } from '../models/durable-object/view-checks.ts';
import { EMPTY_ROOM, publicState } from '../models/karaoke-room/room.ts';
import { invariants } from '../sim/check/invariants.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { MS, SECOND } from '../sim/value.ts';

/** Karaoke defaults the scenarios vary from: a party of phones on a metro network. */
export const karaokeParams = (over: Partial<KaraokeParams> = {}): KaraokeParams => ({
  clients: 4,
  mix: { add: 3, vote: 3, remove: 1, reorder: 1, next: 1, read: 2 },
  think: { min: 20 * MS, max: 200 * MS },
  timeout: 300 * MS,
  retries: 3,
  ...over,
});

export const metro: NetworkSpec = { default: { latency: { kind: 'lognormal', median: 5 * MS, sigma: 0.5, min: 1 * MS } } };

/**
 * How long a connected client may show an older version than the room's: an honest socket either
 * delivers (retransmissions back off to 1 s) or closes within the 3 s timeout plus a heartbeat.
 */
export const FRESHNESS_BOUND = 6 * SECOND;

/** The checks every karaoke scenario runs (plus its own): end states, and invariants over the run's time. */
export const karaokeChecks = (opts: { readonly evictionCloses?: boolean } = {}): Checker[] => [
  linearizable({ model: karaokeQueueModel() }),
  appliedOnce({ probe: 'karaoke.applied' }),
  clientsConverge({ authority: 'do0', view: 'karaoke.view' }),
  noPhantomState({ authority: 'karaoke.state', view: 'karaoke.view', initial: publicState(EMPTY_ROOM) }),
  freshWithin({ authority: 'karaoke.state', view: 'karaoke.view', socket: 'karaoke.socket', bound: FRESHNESS_BOUND }),
  appliedAtExpectedVersion({ probe: 'karaoke.versioned' }),
  viewsMonotonic({ view: 'karaoke.view' }),
  ownAnswersShown({ probe: 'karaoke.versioned', view: 'karaoke.view', ops: ['next', 'reorder'] }),
  socketChecks(opts),
  // A probe the design reports false is a violation (ProcessContext.probe's contract).
  invariants(),
  runtimeChecks(),
];
