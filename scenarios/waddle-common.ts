import { appliedOnce } from '../models/durable-object/checks.ts';
import { channelSequence, factsProbedAtStart, failedPostsNotApplied, historyOpsKnown, postsAnswered, presenceMatches, probedMatchesFinal, reconnectBackoff, rtkFollowsCall, rtkSessionSingle, rtkStorageProtocol, orders, socketOpensProbed, socketsReopen, stateSentOnOpen, typingConverges, typingHeld, voiceConverges, voiceParticipants, voiceUserKept } from '../models/waddle/checks.ts';
import { factFreshWithin, noPhantomEntries } from '../models/durable-object/view-checks.ts';
import { VIEW_PROBES } from '../models/waddle/client.ts';
import type { WaddleParams } from '../models/waddle/index.ts';
import { PROBES } from '../models/waddle/objects.ts';
import { runtimeChecks, socketChecks } from './do-runtime-checks.ts';
import { invariants } from '../sim/check/invariants.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { MS, SECOND } from '../sim/value.ts';

export const waddleParams = (over: Partial<WaddleParams> = {}): WaddleParams => ({
  users: ['u0', 'u1', 'u2', 'u3'],
  mix: { post: 3, typing: 1 },
  think: { min: 300 * MS, max: 2 * SECOND },
  timeout: 500 * MS,
  retries: 3,
  ...over,
});

export const internet: NetworkSpec = { default: { latency: { kind: 'lognormal', median: 20 * MS, sigma: 0.4, min: 5 * MS } } };

/**
 * How long a connected client may show a presence, typing or participant fact other than the
 * object's: an honest socket either delivers a frame (retransmissions back off from 200 ms to the
 * 1 s heartbeat) or closes within the 3 s wsTimeout plus a heartbeat (../durable-object/README.md);
 * the same reasoning and figure as karaoke's FRESHNESS_BOUND. It is longer than the 3 s typing
 * expiry, so a single keystroke's "typing" is never asked (it does not hold for 6 s); the "not
 * typing" that follows the expiry is, and so is a user who keeps typing.
 */
export const FRESHNESS_BOUND = 6 * SECOND;

/** The client's reconnect backoff caps at 30 s; a connect attempt gives up after the 3 s wsTimeout. */
export const RECONNECT_BOUND = 35 * SECOND;

/** The clients' socket probes by socket tag (the tag names the connection: `<node>/<tag>/<n>`). */
const SOCKETS = { waddle: VIEW_PROBES.socket.Waddle, channel: VIEW_PROBES.socket.Channel, voice: VIEW_PROBES.socket.VoiceChannel };

export const waddleChecks = (): Checker[] => [
  channelSequence(),
  presenceMatches({ authority: 'do0', waddle: 'w0' }),
  typingConverges({ authority: 'do0', channel: 'general' }),
  appliedOnce({ probe: PROBES.applied }),
  // Invariants over the run's time, not only at its end (issue 11, item 1). The document never
  // sends a user its own presence, so a device is not asked about its own user's.
  factFreshWithin({ name: 'presence-fresh', authority: PROBES.presence, view: VIEW_PROBES.presence, socket: VIEW_PROBES.socket.Waddle, bound: FRESHNESS_BOUND, exemptSelf: true }),
  factFreshWithin({ name: 'typing-fresh', authority: PROBES.typing, view: VIEW_PROBES.typing, socket: VIEW_PROBES.socket.Channel, bound: FRESHNESS_BOUND }),
  noPhantomEntries({ name: 'message-no-phantom', authority: PROBES.applied, view: VIEW_PROBES.received, key: 'sequence', value: 'rid' }),
  // Every post is answered unless a fault overlaps it; every device still on its page has its
  // sockets open once the run has been quiet longer than the 30 s backoff cap plus a connect timeout.
  postsAnswered(),
  socketsReopen({ after: RECONNECT_BOUND }),
  // The fact checks above read only the objects' probes: the last probe must be what is held.
  probedMatchesFinal({ name: 'presence-probed', probe: PROBES.presence, authority: 'do0', object: 'Waddle:w0', field: 'presence' }),
  probedMatchesFinal({ name: 'typing-probed', probe: PROBES.typing, authority: 'do0', object: 'Channel:general', field: 'typing' }),
  // ... and a restarted object's probes start from its empty memory; the view checks learn who is
  // connected from the clients' socket probes, which must follow the sockets' real opens.
  factsProbedAtStart({ starts: [{ cls: 'Waddle', probe: PROBES.presence }, { cls: 'Channel', probe: PROBES.typing }, { cls: 'VoiceChannel', probe: PROBES.participants }] }),
  socketOpensProbed({ sockets: SOCKETS }),
  // A (re)connecting channel socket is sent the typing set right after its replay (in any order).
  stateSentOnOpen({ name: 'typing-sent-on-open', tag: 'channel', probe: PROBES.typing, sentAt: 'replay', frames: (facts) => orders(Object.keys(facts)).map((users) => ({ type: 'typing', users })) }),
  // The document's reconnect backoff, min(1 s * 2^n, 30 s), read from the clients' connect attempts.
  reconnectBackoff({ connect: VIEW_PROBES.connect, sockets: SOCKETS, base: 1 * SECOND, cap: 30 * SECOND }),
  // A keystroke holds its user typing for the 3 s window (a newer one restarts it).
  typingHeld({ probe: PROBES.typing, authority: 'do0', hold: 3 * SECOND, slack: 100 * MS, grace: 1 * SECOND, after: FRESHNESS_BOUND }),
  // The checks above pick operations by name: one of no known name would be skipped, not judged.
  historyOpsKnown({ ops: ['presence', 'typing', 'post', 'voice-join', 'voice-leave'] }),
  // A failed post did not happen: the channel never applied its message.
  failedPostsNotApplied({ probe: PROBES.applied }),
  socketChecks(),
  // A probe the design reports false is a violation (ProcessContext.probe's contract).
  invariants(),
  runtimeChecks(),
];

/** The voice checks (scenarios with `voice` on add them to waddleChecks()). */
export const voiceChecks = (): Checker[] => [
  voiceParticipants({ authority: 'do0', channel: 'general' }),
  voiceConverges({ authority: 'do0', channel: 'general' }),
  // A (re)connecting voice socket is sent the participant list at once.
  stateSentOnOpen({ name: 'voice-sent-on-open', tag: 'voice', probe: PROBES.participants, frames: (facts) => [{ type: 'participants', users: Object.keys(facts).sort() }] }),
  // ... and at every removal: no user leaves the call while a socket of theirs is in it.
  voiceUserKept({ participants: PROBES.participants, join: { type: 'voice_join', channelId: 'general' }, leave: { type: 'voice_leave', channelId: 'general' } }),
  rtkSessionSingle(),
  rtkFollowsCall({ participants: PROBES.participants, authority: 'do0' }),
  // The intent is durable before the provider call, the session stored after it, deleted at its end.
  rtkStorageProtocol(),
  probedMatchesFinal({ name: 'voice-probed', probe: PROBES.participants, authority: 'do0', object: 'VoiceChannel:general', field: 'participants' }),
  factFreshWithin({ name: 'voice-fresh', authority: PROBES.participants, view: VIEW_PROBES.participants, socket: VIEW_PROBES.socket.VoiceChannel, bound: FRESHNESS_BOUND }),
];
