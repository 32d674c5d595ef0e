import type { Micros, Value } from '../../sim/value.ts';
import { SECOND } from '../../sim/value.ts';
import type { DoClass, DoObject, DoState, Gen, HttpRequest, HttpResponse, Ws } from '../durable-object/runtime.ts';

/**
 * ADR-007's two Durable Objects, translated line by line from the document's TypeScript
 * (`await x` becomes `yield* x`, `this.state.storage.put` becomes `this.state.put`,
 * the host clock read becomes `this.state.now()`, the host timer becomes `this.state.timer`).
 * `corrected` departs only where a comment says "corrected".
 */

export interface WaddleOptions {
  /** Sessions per connection, offline only when a user's last socket closes. */
  readonly multiDevice: boolean;
}

export interface ChannelOptions {
  /** Load messageSequence from storage before the first event (blockConcurrencyWhile). */
  readonly loadSequence: boolean;
  /** Store each message with its sequence and replay what a reconnecting client missed. */
  readonly storeAndReplay: boolean;
  /** Answer a retried message id with its original sequence. */
  readonly dedup: boolean;
  /** Broadcast the typing set again when the 3 s timer clears a user. */
  readonly broadcastOnExpiry: boolean;
  readonly typingTimeout: Micros;
}

const userOf = (ws: Ws): string => ((ws.params as { user?: Value } | null)?.user as string) ?? '?';

/**
 * Probe names of the facts each object holds in memory, as whole maps (`{ facts }`, see
 * factFreshWithin in ../durable-object/view-checks.ts): probed when an instance starts (empty:
 * what a restarted or evicted object holds) and each time the map changes. Presence, typing and
 * the participant list live in memory only (the document writes presence to storage but never
 * reads it back), so what the object serves is its memory and that is what is probed.
 */
export const PROBES = {
  presence: 'waddle.presence',
  typing: 'waddle.typing',
  participants: 'waddle.participants',
  /** A message's sequence, once durable: `{ rid: messageId, sequence }`. */
  applied: 'waddle.applied',
} as const;

const setFacts = (xs: Iterable<string>): Value => Object.fromEntries([...xs].sort().map((u) => [u, true]));

// ---- WaddleDurableObject ----------------------------------------------------------------------

class WaddleDurableObject implements DoObject {
  sessions = new Map<string, Ws>(); // userId -> WebSocket
  /** corrected: userId -> every open socket of that user */
  devices = new Map<string, Set<Ws>>();
  presence = new Map<string, { status: string; lastSeen: Micros }>();

  constructor(
    readonly state: DoState,
    readonly opts: WaddleOptions,
  ) {
    this.probePresence();
  }

  private probePresence(): void {
    this.state.probe(PROBES.presence, true, { facts: Object.fromEntries([...this.presence.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([u, p]) => [u, p.status])) });
  }

  *fetch(req: HttpRequest): Gen<HttpResponse> {
    switch (req.path) {
      case '/presence':
        return { status: 200, body: { users: [...this.presence.entries()].map(([u, p]) => [u, p.status]) } };
      case '/broadcast':
        this.broadcast(req.body);
        return { status: 200, body: null };
      default:
        return { status: 404, body: 'Not found' };
    }
  }

  // handleWebSocket: the upgrade, then the 'message' and 'close' listeners.
  *webSocketOpen(server: Ws): Gen {
    const userId = userOf(server);
    if (this.opts.multiDevice) {
      const set = this.devices.get(userId) ?? new Set<Ws>();
      set.add(server);
      this.devices.set(userId, set);
    } else {
      this.sessions.set(userId, server);
    }
    server.send({ type: 'presence_state', users: [...this.presence.entries()].map(([u, p]) => [u, p.status]) });
  }

  *webSocketMessage(ws: Ws, data: Value): Gen {
    yield* this.handleMessage(userOf(ws), data as { type?: string; status?: string });
  }

  *webSocketClose(ws: Ws): Gen {
    const userId = userOf(ws);
    if (this.opts.multiDevice) {
      // corrected: only this device's socket goes; the user is offline when none is left.
      const set = this.devices.get(userId);
      set?.delete(ws);
      if (set && set.size > 0) return;
      this.devices.delete(userId);
      yield* this.updatePresence(userId, 'offline');
      return;
    }
    this.sessions.delete(userId);
    yield* this.updatePresence(userId, 'offline');
  }

  *handleMessage(userId: string, message: { type?: string; status?: string }): Gen {
    switch (message.type) {
      case 'presence_update':
        yield* this.updatePresence(userId, message.status ?? 'online');
        break;
      default:
        this.state.log(`Unknown message type: ${String(message.type)}`);
    }
  }

  private openSockets(): [string, Ws][] {
    if (!this.opts.multiDevice) return [...this.sessions.entries()];
    const out: [string, Ws][] = [];
    for (const [u, set] of this.devices) for (const ws of set) out.push([u, ws]);
    return out;
  }

  *updatePresence(userId: string, status: string): Gen {
    const before = this.presence.get(userId)?.status;
    this.presence.set(userId, { status, lastSeen: this.state.now() });
    if (before !== status) this.probePresence();
    const update = { type: 'presence_update', userId, status };
    for (const [id, ws] of this.openSockets()) {
      if (id !== userId) ws.send(update);
    }
    yield* this.state.put(`presence:${userId}`, { status, lastSeen: this.state.now() });
  }

  broadcast(message: Value): void {
    for (const [, ws] of this.openSockets()) ws.send(message);
  }

  observedState(): Value {
    return { presence: Object.fromEntries([...this.presence.entries()].map(([u, p]) => [u, p.status])) };
  }
}

export function waddleClass(opts: WaddleOptions): DoClass {
  return {
    name: 'Waddle',
    create: (state) => new WaddleDurableObject(state, opts),
    // Evicted: the in-memory presence map is gone; an evicted instance serves no one.
    observeStored: () => ({ presence: {} }),
  };
}

// ---- ChannelDurableObject ---------------------------------------------------------------------

class ChannelDurableObject implements DoObject {
  sessions = new Map<string, Ws>();
  typingUsers = new Set<string>();
  typingTimers = new Map<string, number>();
  messageSequence = 0;
  /** corrected: sockets whose replay has been sent; only they get live broadcasts. */
  caughtUp = new Set<Ws>();

  constructor(
    readonly state: DoState,
    readonly opts: ChannelOptions,
  ) {
    this.probeTyping();
  }

  private probeTyping(): void {
    this.state.probe(PROBES.typing, true, { facts: setFacts(this.typingUsers) });
  }

  *init(): Gen {
    // corrected: the field starts from what storage holds, not from 0.
    if (this.opts.loadSequence) this.messageSequence = ((yield* this.state.get('messageSequence')) as number | undefined) ?? 0;
  }

  *fetch(req: HttpRequest): Gen<HttpResponse> {
    if (req.path === '/message') {
      // corrected: the dedup lookup and the write that records the id run under the input gate;
      // otherwise two copies of one POST (a duplicating network, a retry racing its original)
      // both pass the lookup during the other's storage await and are applied twice (found by
      // waddle-nemesis).
      const self = this;
      if (this.opts.dedup) return yield* this.state.blockConcurrencyWhile(() => self.deliverMessage(req));
      return yield* this.deliverMessage(req);
    }
    return { status: 404, body: 'Not found' };
  }

  *deliverMessage(request: HttpRequest): Gen<HttpResponse> {
    const message = request.body as { readonly messageId: string; readonly [k: string]: Value };
    if (this.opts.dedup) {
      // corrected: a retried message keeps its first sequence.
      const seen = (yield* this.state.get(`mid:${message.messageId}`)) as number | undefined;
      if (seen !== undefined) return { status: 200, body: { success: true, sequence: seen } };
    }

    // Assign sequence number for ordering
    const sequence = ++this.messageSequence;
    const envelope = { type: 'message', sequence, ...message };
    if (this.opts.storeAndReplay || this.opts.dedup) {
      yield* this.state.putMany([
        ['messageSequence', sequence],
        [`msg:${String(sequence).padStart(9, '0')}`, envelope],
        [`mid:${message.messageId}`, sequence],
      ]);
    } else {
      yield* this.state.put('messageSequence', sequence);
    }
    this.state.probe(PROBES.applied, true, { rid: message.messageId, sequence });

    // Broadcast to all connected clients
    for (const ws of this.liveSockets()) ws.send(envelope);

    return { status: 200, body: { success: true, sequence } };
  }

  private liveSockets(): Ws[] {
    // corrected: a socket still waiting for its replay gets no live frames; what is broadcast
    // meanwhile is in the replay (its write was issued before the replay's read), so a live
    // frame cannot overtake the replay or repeat one of its messages.
    return this.opts.storeAndReplay ? this.state.sockets().filter((ws) => this.caughtUp.has(ws)) : [...this.sessions.values()];
  }

  *webSocketOpen(ws: Ws): Gen {
    // The document shows no handleWebSocket for channels; it mirrors the Waddle one.
    this.sessions.set(userOf(ws), ws);
    if (this.opts.storeAndReplay) {
      // corrected: send what this client missed since the last sequence it saw.
      const after = ((ws.params as { lastSeq?: Value } | null)?.lastSeq as number | undefined) ?? 0;
      const missed = yield* this.state.list('msg:');
      for (const [, env] of missed) if (((env as { sequence: number }).sequence ?? 0) > after) ws.send(env);
      if (ws.open) this.caughtUp.add(ws);
    }
    ws.send({ type: 'typing', users: [...this.typingUsers] });
  }

  *webSocketMessage(ws: Ws, data: Value): Gen {
    const m = data as { type?: string; isTyping?: boolean };
    if (m.type === 'typing') this.handleTypingIndicator(userOf(ws), m.isTyping === true);
  }

  *webSocketClose(ws: Ws): Gen {
    if (this.sessions.get(userOf(ws)) === ws) this.sessions.delete(userOf(ws));
    this.caughtUp.delete(ws);
  }

  *onTimeout(tag: Value): Gen {
    const userId = (tag as { typing: string }).typing;
    // Auto-clear after 3 seconds
    if (this.typingUsers.delete(userId)) this.probeTyping();
    this.typingTimers.delete(userId);
    if (this.opts.broadcastOnExpiry) this.broadcastTyping(); // corrected
  }

  handleTypingIndicator(userId: string, isTyping: boolean): void {
    const had = this.typingUsers.has(userId);
    if (isTyping) {
      this.typingUsers.add(userId);
      if (this.opts.broadcastOnExpiry) {
        // corrected: a newer keystroke restarts the 3 s window.
        const old = this.typingTimers.get(userId);
        if (old !== undefined) this.state.cancelTimer(old);
      }
      this.typingTimers.set(userId, this.state.timer(this.opts.typingTimeout, { typing: userId }));
    } else {
      this.typingUsers.delete(userId);
    }
    if (had !== isTyping) this.probeTyping();
    this.broadcastTyping();
  }

  private broadcastTyping(): void {
    const update = { type: 'typing', users: [...this.typingUsers].sort() };
    for (const ws of this.liveSockets()) ws.send(update);
  }

  observedState(): Value {
    return { messageSequence: this.messageSequence, typing: [...this.typingUsers].sort() };
  }
}

export function channelClass(opts: ChannelOptions): DoClass {
  return {
    name: 'Channel',
    create: (state) => new ChannelDurableObject(state, opts),
    observeStored: (read) => ({ messageSequence: (read('messageSequence') as number | undefined) ?? 0, typing: [] }),
  };
}

export const TYPING_TIMEOUT: Micros = 3 * SECOND;

// ---- VoiceChannelDurableObject ----------------------------------------------------------------

export interface VoiceOptions {
  /**
   * corrected: participation belongs to a connection, not to a user id: a user is a participant
   * while at least one of its sockets has joined and not left or closed; a closing socket leaves
   * the call; the participant list goes to every open socket; a join runs under
   * blockConcurrencyWhile so a leave or close of the same socket cannot overtake it, nor a
   * second join start a second RTK session; and the stored RTK session is loaded at start.
   */
  readonly perConnection: boolean;
  /**
   * corrected: the RTK session's intent is durable before the provider is asked for it (key
   * `rtkPending`), and a start that finds an intent without a stored session ends that session
   * at the provider before anyone can create another: a crash between the provider call and the
   * write of `rtkSession` otherwise leaves an open session no one knows about, and the next join
   * opens a second one (waddle-nemesis seed 39: created at 695 ms, host crash at 700 ms).
   */
  readonly rtkIntent?: boolean;
  /** The RealtimeKit API call behind createRTKSession (an await). */
  readonly rtkLatency: Micros;
}

/** The document's `ParticipantState` (not shown): joinedAt, audio/video flags, then metadata. */
interface ParticipantState {
  readonly joinedAt: Micros;
  readonly audioEnabled: boolean;
  readonly videoEnabled: boolean;
  readonly [k: string]: Value;
}

class VoiceChannelDurableObject implements DoObject {
  // The document declares these fields without initialisers (its constructor is not shown).
  participants = new Map<string, ParticipantState>();
  rtkSession?: Value;
  /** Mirrors the Waddle object's `sessions: Map<userId, WebSocket>` (handleWebSocket is not shown). */
  sessions = new Map<string, Ws>();
  /** corrected: userId -> the sockets of that user that are in the call. */
  inCall = new Map<string, Set<Ws>>();

  constructor(
    readonly state: DoState,
    readonly opts: VoiceOptions,
  ) {
    this.probeParticipants();
  }

  private probeParticipants(): void {
    this.state.probe(PROBES.participants, true, { facts: setFacts(this.participants.keys()), object: this.state.id });
  }

  *init(): Gen {
    // corrected: the session stored by initializeRTKSession is read back after a restart (the
    // document writes it and never reads it).
    if (this.opts.perConnection) this.rtkSession = (yield* this.state.get('rtkSession')) ?? undefined;
    if (this.opts.rtkIntent && !this.rtkSession) {
      const pending = (yield* this.state.get('rtkPending')) as { sessionId?: Value } | undefined;
      // corrected: a session may have been opened before the crash: end it at the provider.
      if (pending) {
        this.state.probe('voice.rtk', true, { event: 'end', object: this.state.id, sessionId: pending.sessionId ?? null, abandoned: true });
        yield* this.state.delete('rtkPending');
      }
    }
  }

  /**
   * `createRTKSession(sessionConfig, this.env)`: a RealtimeKit API call that opens a session at
   * the provider (recording, transcription); probed so a check can count open sessions.
   */
  private *createRTKSession(sessionConfig: { readonly sessionId: string; readonly [k: string]: Value }): Gen<Value> {
    yield* this.state.sleep(this.opts.rtkLatency);
    this.state.probe('voice.rtk', true, { event: 'create', object: this.state.id, sessionId: sessionConfig.sessionId });
    return { ...sessionConfig, createdAt: this.state.now() };
  }

  *initializeRTKSession(channelId: string): Gen<Value> {
    const sessionConfig = {
      sessionId: `${this.state.id}-${channelId}`,
      maxParticipants: 100,
      features: ['recording', 'transcription'],
    };

    // corrected: the intent first, so a crash after the provider call is known at the next start.
    if (this.opts.rtkIntent) yield* this.state.put('rtkPending', sessionConfig);
    this.rtkSession = yield* this.createRTKSession(sessionConfig);
    if (this.opts.rtkIntent) yield* this.state.putMany([['rtkSession', this.rtkSession], ['rtkPending', null]]);
    else yield* this.state.put('rtkSession', this.rtkSession);
    this.state.log('rtk session created', this.rtkSession);

    return this.rtkSession;
  }

  *addParticipant(userId: string, metadata: { readonly channelId: string; readonly [k: string]: Value }): Gen {
    if (!this.rtkSession) {
      yield* this.initializeRTKSession(metadata.channelId);
    }

    const had = this.participants.has(userId);
    this.participants.set(userId, {
      joinedAt: this.state.now(),
      audioEnabled: true,
      videoEnabled: false,
      ...metadata,
    });
    if (!had) this.probeParticipants();

    // Broadcast updated participant list
    this.broadcastParticipants();
  }

  *removeParticipant(userId: string): Gen {
    if (this.participants.delete(userId)) this.probeParticipants();
    this.broadcastParticipants();

    // End session if empty
    if (this.participants.size === 0) {
      yield* this.endSession();
    }
  }

  /** Not shown in the document: the RTK session is dropped, in memory and in storage. */
  *endSession(): Gen {
    this.state.probe('voice.rtk', true, { event: 'end', object: this.state.id });
    this.rtkSession = undefined;
    yield* this.state.delete('rtkSession');
    this.state.log('rtk session ended');
  }

  /** Not shown in the document: the list of participant user ids, to every session. */
  broadcastParticipants(): void {
    const update = { type: 'participants', users: this.list() };
    for (const ws of this.opts.perConnection ? this.state.sockets() : [...this.sessions.values()]) ws.send(update);
  }

  private list(): string[] {
    return [...this.participants.keys()].sort();
  }

  // The voice socket (`/ws/voice/<channelId>`, chosen): handleWebSocket mirrors the Waddle one.
  *webSocketOpen(ws: Ws): Gen {
    this.sessions.set(userOf(ws), ws);
    ws.send({ type: 'participants', users: this.list() });
  }

  *webSocketMessage(ws: Ws, data: Value): Gen {
    const m = data as { type?: string; channelId?: string };
    const userId = userOf(ws);
    switch (m.type) {
      case 'voice_join': {
        const metadata = { channelId: m.channelId ?? this.state.name };
        if (!this.opts.perConnection) {
          yield* this.addParticipant(userId, metadata);
          break;
        }
        // corrected: this socket joins; the join cannot be overtaken by its own leave or close.
        const self = this;
        yield* this.state.blockConcurrencyWhile(function* () {
          if (!ws.open) return;
          const set = self.inCall.get(userId) ?? new Set<Ws>();
          set.add(ws);
          self.inCall.set(userId, set);
          yield* self.addParticipant(userId, metadata);
        });
        break;
      }
      case 'voice_leave':
        if (this.opts.perConnection) {
          yield* this.leave(userId, ws);
          break;
        }
        yield* this.removeParticipant(userId);
        break;
      default:
        this.state.log(`Unknown message type: ${String(m.type)}`);
    }
  }

  /** corrected: one socket leaves the call; the user leaves it with its last socket. */
  private *leave(userId: string, ws: Ws): Gen {
    const set = this.inCall.get(userId);
    if (!set || !set.delete(ws)) return;
    if (set.size > 0) return;
    this.inCall.delete(userId);
    yield* this.removeParticipant(userId);
  }

  *webSocketClose(ws: Ws): Gen {
    const userId = userOf(ws);
    if (this.sessions.get(userId) === ws) this.sessions.delete(userId);
    // corrected: a socket that closes has left the call (the document removes participants
    // only on an explicit leave).
    if (this.opts.perConnection) yield* this.leave(userId, ws);
  }

  observedState(): Value {
    return { participants: this.list(), session: this.rtkSession !== undefined };
  }
}

export function voiceChannelClass(opts: VoiceOptions): DoClass {
  return {
    name: 'VoiceChannel',
    create: (state) => new VoiceChannelDurableObject(state, opts),
    // Evicted: participants lived in memory; only the stored RTK session is left.
    observeStored: (read) => ({ participants: [], session: read('rtkSession') !== undefined }),
  };
}
