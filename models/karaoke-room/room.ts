import type { Micros, Value } from '../../sim/value.ts';
import type { DoClass, DoObject, DoState, Gen, HttpRequest, HttpResponse, Ws } from '../durable-object/runtime.ts';

/**
 * RoomDO (000, "Recommended Design Details"). The document gives rules, not code; each rule is
 * implemented where it says, in the most ordinary way:
 *  1. State versioning: `stateVersion` +1 on every successful mutation, in every state message.
 *  2. Idempotency keys: a short-lived map of processed `requestId`s; a retry gets the original
 *     result.
 *  3. Expected version: `next`, `skip` and `reorder` carry `expectedVersion`; a mismatch is
 *     rejected with the latest state.
 *  4. Snapshot + delta: vote changes go out as deltas, every other mutation and every
 *     `snapshotEvery`-th update as a full snapshot.
 * The room lives in storage under "room"; the handler reads it, mutates, writes it back.
 */

export interface Song {
  readonly id: string;
  readonly by: string;
  readonly votes: number;
}
export interface RoomState {
  readonly stateVersion: number;
  readonly queue: readonly Song[];
  /** The song on stage (popped by next / skip). */
  readonly current: string | null;
}

export type Command =
  | { readonly op: 'add'; readonly requestId: string; readonly song: string; readonly by: string }
  | { readonly op: 'vote'; readonly requestId: string; readonly song: string }
  | { readonly op: 'remove'; readonly requestId: string; readonly song: string }
  | { readonly op: 'reorder'; readonly requestId: string; readonly song: string; readonly to: number; readonly expectedVersion: number }
  | { readonly op: 'next'; readonly requestId: string; readonly expectedVersion: number }
  | { readonly op: 'skip'; readonly requestId: string; readonly expectedVersion: number }
  | { readonly op: 'read'; readonly requestId: string };

export interface CommandResult {
  readonly ok: boolean;
  /** add: null; vote/remove/reorder: whether the song was there; next/skip: the song popped. */
  readonly value: Value;
  readonly reason?: string;
  readonly state: RoomState;
}

export interface RoomOptions {
  /** Run each command under blockConcurrencyWhile (corrected), or as plain awaits (as-written). */
  readonly serialize: boolean;
  /** Keep processed request ids in storage, in the mutation's transaction (corrected), or in memory. */
  readonly durableDedup: boolean;
  /**
   * How long a processed request id is remembered (the document's "short-lived"), judged on this
   * object's clock (`now - at > requestTtl`); Infinity: for the life of the room.
   */
  readonly requestTtl: Micros;
  readonly snapshotEvery: number;
}

export const EMPTY_ROOM: RoomState = { stateVersion: 0, queue: [], current: null };

const versioned = new Set(['next', 'skip', 'reorder']);

/** Applies a mutation; returns the new state and the result value, or a rejection reason. */
export function applyCommand(room: RoomState, cmd: Command): { room: RoomState; value: Value } {
  const q = room.queue;
  const at = 'song' in cmd ? q.findIndex((s) => s.id === cmd.song) : -1;
  switch (cmd.op) {
    case 'add':
      return { room: { ...room, queue: [...q, { id: cmd.song, by: cmd.by, votes: 0 }] }, value: null };
    case 'vote':
      if (at < 0) return { room, value: false };
      return { room: { ...room, queue: q.map((s, i) => (i === at ? { ...s, votes: s.votes + 1 } : s)) }, value: true };
    case 'remove':
      if (at < 0) return { room, value: false };
      return { room: { ...room, queue: q.filter((_, i) => i !== at) }, value: true };
    case 'reorder': {
      if (at < 0) return { room, value: false };
      const rest = q.filter((_, i) => i !== at);
      const to = Math.max(0, Math.min(cmd.to, rest.length));
      return { room: { ...room, queue: [...rest.slice(0, to), q[at] as Song, ...rest.slice(to)] }, value: true };
    }
    case 'next':
    case 'skip': {
      const head = q[0];
      return { room: { ...room, queue: q.slice(1), current: head?.id ?? null }, value: head?.id ?? null };
    }
    case 'read':
      return { room, value: null };
  }
}

export const publicState = (r: RoomState): Value => ({
  stateVersion: r.stateVersion,
  queue: r.queue.map((s) => [s.id, s.votes]),
  current: r.current,
});

export function roomClass(opts: RoomOptions): DoClass {
  return {
    name: 'Room',
    create: (state) => new RoomDO(state, opts),
    fingerprints: true,
    observeStored: (read) => publicState((read('room') as unknown as RoomState | undefined) ?? EMPTY_ROOM),
  };
}

class RoomDO implements DoObject {
  /** The document's "short-lived map of processed IDs" (as-written: memory only). */
  private readonly processed = new Map<string, { result: CommandResult; at: Micros }>();
  private updates = 0;

  constructor(
    private readonly state: DoState,
    private readonly opts: RoomOptions,
  ) {}

  /** Its whole memory (for the explorer): the processed ids, in order, and the update count. */
  fingerprint(): string {
    return JSON.stringify([[...this.processed].map(([id, e]) => [id, e.result as unknown as Value, e.at]), this.updates]);
  }

  *fetch(req: HttpRequest): Gen<HttpResponse> {
    if (req.path === '/state') {
      const room = ((yield* this.state.get('room')) as unknown as RoomState | undefined) ?? EMPTY_ROOM;
      return { status: 200, body: { state: publicState(room) } };
    }
    if (req.path === '/command') {
      const result = yield* this.handle(req.body as unknown as Command);
      return { status: 200, body: resultBody(result) };
    }
    return { status: 404, body: 'Not found' };
  }

  *webSocketOpen(ws: Ws): Gen {
    const room = ((yield* this.state.get('room')) as unknown as RoomState | undefined) ?? EMPTY_ROOM;
    ws.send({ type: 'state', full: true, ...(publicState(room) as object) });
  }

  *webSocketMessage(ws: Ws, data: Value): Gen {
    const cmd = data as unknown as Command;
    const result = yield* this.handle(cmd);
    ws.send({ type: 'result', requestId: cmd.requestId, ...(resultBody(result) as object) });
  }

  private *handle(cmd: Command): Gen<CommandResult> {
    if (this.opts.serialize) {
      const self = this;
      return yield* this.state.blockConcurrencyWhile(() => self.command(cmd));
    }
    return yield* this.command(cmd);
  }

  /** One command, line by line: dedup, read, check, mutate, version++, persist, broadcast. */
  private *command(cmd: Command): Gen<CommandResult> {
    const now = this.state.now();
    if (cmd.op === 'read') {
      const room = ((yield* this.state.get('room')) as unknown as RoomState | undefined) ?? EMPTY_ROOM;
      return { ok: true, value: room.queue.map((s) => [s.id, s.votes]), state: room };
    }
    // 2) Idempotency: if a request is retried, return the original result.
    const seen = yield* this.lookup(cmd.requestId, now);
    if (seen) return seen;
    const room = ((yield* this.state.get('room')) as unknown as RoomState | undefined) ?? EMPTY_ROOM;
    // 3) Expected version on next / skip / reorder.
    if (versioned.has(cmd.op) && 'expectedVersion' in cmd && cmd.expectedVersion !== room.stateVersion) {
      return { ok: false, value: null, reason: 'version', state: room };
    }
    const { room: changed, value } = applyCommand(room, cmd);
    // 1) Monotonic stateVersion, +1 on every successful mutation.
    const next: RoomState = { ...changed, stateVersion: room.stateVersion + 1 };
    const result: CommandResult = { ok: true, value, state: next };
    if (this.opts.durableDedup) {
      yield* this.state.putMany([
        ['room', next as unknown as Value],
        [`req:${cmd.requestId}`, { result: result as unknown as Value, at: now }],
      ]);
    } else {
      yield* this.state.put('room', next as unknown as Value);
      this.processed.set(cmd.requestId, { result, at: now });
    }
    this.state.probe('karaoke.applied', true, { rid: cmd.requestId, op: cmd.op, version: next.stateVersion });
    // The state this version durably is (the write has completed): what no-phantom-state and freshness compare client views with.
    this.state.probe('karaoke.state', true, { version: next.stateVersion, state: publicState(next) });
    this.broadcast(cmd, next);
    return result;
  }

  private *lookup(requestId: string, now: Micros): Gen<CommandResult | undefined> {
    if (this.opts.durableDedup) {
      const e = (yield* this.state.get(`req:${requestId}`)) as { result: Value; at: number } | undefined;
      if (e && now - e.at <= this.opts.requestTtl) return e.result as unknown as CommandResult;
      return undefined;
    }
    for (const [id, e] of this.processed) if (now - e.at > this.opts.requestTtl) this.processed.delete(id);
    return this.processed.get(requestId)?.result;
  }

  /** 4) Deltas for vote changes, full snapshots otherwise and every snapshotEvery-th update. */
  private broadcast(cmd: Command, room: RoomState): void {
    this.updates++;
    let msg: Value;
    if (cmd.op === 'vote' && this.updates % this.opts.snapshotEvery !== 0) {
      const song = room.queue.find((s) => s.id === cmd.song);
      msg = { type: 'delta', stateVersion: room.stateVersion, song: cmd.song, votes: song?.votes ?? null };
    } else {
      msg = { type: 'state', full: true, ...(publicState(room) as object) };
    }
    for (const ws of this.state.sockets()) ws.send(msg);
  }
}

function resultBody(r: CommandResult): Value {
  return { ok: r.ok, value: r.value, reason: r.reason ?? null, state: publicState(r.state) };
}
