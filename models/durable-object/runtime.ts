import type { NodeSpec, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import { MS, SECOND } from '../../sim/value.ts';
import { Hash64 } from '../../sim/hash.ts';

/**
 * The Cloudflare Durable Object runtime, as both seed documents rely on it, built on the kernel.
 *
 *  - One live instance per (class, name), hosted on a `do-host` node (role "server"); a Worker
 *    node routes every client request to the host by name, on the wire.
 *  - Handlers are generators. Each `yield` is an `await` on storage (or a sleep): the handler
 *    is suspended until its completion event, and other queued events run in between. This is
 *    the documents' "request events may be processed out of order": the runtime is
 *    single-threaded, but not serial across awaits.
 *  - `blockConcurrencyWhile` closes the input gate: no new event starts until it is done.
 *  - Storage is transactional: a put of several keys becomes durable at once, when the put
 *    completes (after a choice-drawn delay, in issue order). Reads see the instance's own
 *    writes at once (the storage cache). Memory and unfinished writes are lost on eviction or
 *    host crash; completed writes survive.
 *  - Eviction after `idleEvict` with no events and (unless `socketsPin` is off) no open
 *    WebSocket (heartbeats are answered by the runtime and do not count as events, like an
 *    auto-response); eviction closes the instance's sockets.
 *    The next event pays a cold start of `coldStart`.
 *  - WebSockets: sequenced frames over plain messages, with TCP under them: every frame is
 *    acknowledged and sent again after `rto` until it is (loss becomes delay); duplicates are
 *    dropped, early frames wait for the missing one; a frame unacknowledged for `wsTimeout`, or
 *    silence for `wsTimeout` (heartbeat pings every `heartbeat`), closes the connection on that
 *    side (a dead path becomes a close). Those timeouts run on the host's and client's monotonic
 *    clocks, as TCP's do: a clock step moves the date a handler reads, never a socket's timeout
 *    (waddle-nemesis seed 45: a step of -10.6 s kept a half-open socket alive 10 s too long). Only plain messages (HTTP, the upgrade) are datagrams. A close carries
 *    the number of frames its sender sent before it (`last`) and takes effect only once the
 *    receiver has applied every one of them, as a close frame behind its data on one TCP stream
 *    (a close that overtook them on the network waits; if the connection breaks first, the break
 *    wins and the missing frames are lost). A close without `last` is a reset (the host does not
 *    know the connection): it takes effect at once. A close is not lost for good either: the
 *    client sends its clean close again on its retransmission timer until the host answers with
 *    its own (TCP's FIN_WAIT), and a client's ping or frame on a connection the host has closed
 *    gets the host's close again.
 */

export type Effect =
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'list'; readonly prefix: string }
  | { readonly op: 'put'; readonly entries: readonly (readonly [string, Value | null])[] }
  | { readonly op: 'sleep'; readonly us: Micros }
  | { readonly op: 'gate'; readonly on: boolean };

/** A handler body: `yield*` the storage helpers of DoState where the document says `await`. */
export type Gen<T = void> = Generator<Effect, T, unknown>;

export interface Ws {
  readonly id: string;
  readonly client: NodeId;
  /** What the client passed when it opened the socket (user id, room, ...). */
  readonly params: Value;
  readonly open: boolean;
  send(data: Value): void;
  close(): void;
}

export interface HttpRequest {
  readonly path: string;
  readonly body: Value;
  readonly client: NodeId;
}
export interface HttpResponse {
  readonly status: number;
  readonly body: Value;
}

/** What a Durable Object class implements. Every handler is optional. */
export interface DoObject {
  /** Runs under the input gate before the first event after a cold start (constructor work). */
  init?(): Gen;
  fetch?(req: HttpRequest): Gen<HttpResponse>;
  /** After the upgrade (the socket is accepted and open). */
  webSocketOpen?(ws: Ws): Gen;
  webSocketMessage?(ws: Ws, data: Value): Gen;
  webSocketClose?(ws: Ws): Gen;
  /** A timer set with state.timer fired (what the document does with a host timer). */
  onTimeout?(tag: Value): Gen;
  /** For convergence checks: the in-memory view this instance serves. */
  observedState?(): Value;
  /**
   * For the explorer's state hashing: a digest of every field of the object's memory that can
   * change what it does later (see Process.fingerprint). Required when its class sets
   * `fingerprints`; the host covers everything else (suspended handlers included).
   */
  fingerprint?(): string;
}

export interface DoState {
  /** `<class>:<name>` */
  readonly id: string;
  readonly name: string;
  now(): Micros;
  get(key: string): Gen<Value | undefined>;
  list(prefix: string): Gen<(readonly [string, Value])[]>;
  put(key: string, value: Value): Gen;
  /** One transaction: all entries become durable together (null deletes). */
  putMany(entries: readonly (readonly [string, Value | null])[]): Gen;
  delete(key: string): Gen;
  sleep(us: Micros): Gen;
  blockConcurrencyWhile<T>(body: () => Gen<T>): Gen<T>;
  /** The document's host timer, in virtual time: fires onTimeout(tag). */
  timer(delay: Micros, tag: Value): number;
  cancelTimer(id: number): void;
  sockets(): readonly Ws[];
  probe(name: string, ok: boolean, detail?: Value): void;
  log(message: string, detail?: Value): void;
}

export interface DoClass {
  readonly name: string;
  create(state: DoState): DoObject;
  /** The authoritative state as durable storage holds it, for instances that are not live. */
  observeStored?(read: (key: string) => Value | undefined, keys: (prefix: string) => string[]): Value;
  /**
   * Its objects implement fingerprint(). A host whose classes all do has a fingerprint() of its
   * own, and the explorer can prune its states; otherwise it has none (and the explorer does not).
   */
  readonly fingerprints?: boolean;
}

export interface DoRuntimeParams {
  /** Cold start before the first event of an evicted instance (the ADR's "~100 ms"). */
  readonly coldStart: Micros;
  /** Idle time after which an instance is evicted. */
  readonly idleEvict: Micros;
  /**
   * Whether an open WebSocket keeps the instance in memory (true, the default: the standard
   * WebSocket API's rule on the platform) or an instance idle for `idleEvict` is evicted and its
   * sockets closed although heartbeats flow (false: a harsher platform than the real one, which
   * karaoke-cold-start-retry uses to evict a room between its clients' commands).
   */
  readonly socketsPin: boolean;
  /** Storage operation latency, drawn uniformly. */
  readonly storage: { readonly min: Micros; readonly max: Micros };
  readonly heartbeat: Micros;
  readonly wsTimeout: Micros;
  /**
   * WebSocket retransmission timeout (TCP's RTO, which Linux floors at 200 ms): a frame not
   * acknowledged within it is sent again, the timeout doubling up to `heartbeat`. A frame
   * unacknowledged for `wsTimeout` ends the connection (TCP's user timeout).
   */
  readonly rto: Micros;
}

export const DEFAULT_DO_PARAMS: DoRuntimeParams = {
  coldStart: 100 * MS,
  idleEvict: 10 * SECOND,
  socketsPin: true,
  storage: { min: 200, max: 3 * MS },
  heartbeat: 1 * SECOND,
  wsTimeout: 3 * SECOND,
  rto: 200 * MS,
};

// ---- wire messages ---------------------------------------------------------------------------

/** Client -> worker -> host. `client` is filled in by the worker. */
export type ToHost =
  | { t: 'http'; cls: string; name: string; rid: string; path: string; body: Value; client?: string }
  | { t: 'ws-open'; cls: string; name: string; conn: string; params: Value; client?: string }
  | { t: 'ws'; cls: string; name: string; conn: string; seq: number; data: Value; client?: string }
  | { t: 'ws-ping'; cls: string; name: string; conn: string; client?: string }
  /** Cumulative: the client has every host frame up to `seq`. */
  | { t: 'ws-ack'; cls: string; name: string; conn: string; seq: number; client?: string }
  /**
   * `last`: how many frames the client sent before closing; the host applies them all first.
   * `frames`: those the host had not acknowledged, carried again (the close is their last retransmission).
   */
  | { t: 'ws-close'; cls: string; name: string; conn: string; last: number; frames?: Frames; client?: string };

/** Frames sent again, as `[seq, data]`. */
export type Frames = readonly (readonly [number, Value])[];

/** Host -> client, directly. */
export type ToClient =
  | { t: 'http-res'; rid: string; status: number; body: Value }
  | { t: 'ws-accept'; conn: string }
  | { t: 'ws'; conn: string; seq: number; data: Value }
  | { t: 'ws-pong'; conn: string }
  /** Cumulative: the host has every client frame up to `seq`. */
  | { t: 'ws-ack'; conn: string; seq: number }
  /**
   * `last`: how many frames the host sent before closing; the client applies them all first.
   * Absent: a reset (the host does not know the connection), effective at once.
   */
  | { t: 'ws-close'; conn: string; last?: number; frames?: Frames };

const isObj = (v: Value): v is { readonly [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function hashName(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * Why a side ended a connection, as its `ws.end` probe says (transport-checks.ts reads them):
 *  - `app`: the program on that side closed it (ws.close(), a page that leaves);
 *  - `peer`: the other side's close took effect, behind every frame it sent before it (`last`);
 *  - `timeout`: a frame unacknowledged, a hole or silence for the timeout (a dead path);
 *  - `connect-timeout`: the upgrade was never accepted (client only);
 *  - `reset`: the host does not know the connection (it lost it in a crash), at once;
 *  - `evict`: the host evicted the instance that held it.
 */
export type EndReason = 'app' | 'peer' | 'timeout' | 'connect-timeout' | 'reset' | 'evict';

/**
 * The transport's own probes, one per frame and per connection event, so a checker can hold the
 * sockets to TCP's promises (in order, once, no silent gap, no close a fault does not explain):
 * `ws.open` when a side accepts (with its base `rto` and the `hb` its backoff stops at), `ws.tx`
 * when a frame is first sent, `ws.rx` when it is delivered in order, `ws.ack` when an
 * acknowledgement of new frames reaches the sender, `ws.rtx` when the sender's timer sends the
 * unacknowledged frames again (`s`: their sequences), `ws.end` when a side ends it. `h` is a hash
 * of the frame's data, so a frame delivered with other data than was sent is seen too.
 */
export const WS_PROBE = { open: 'ws.open', tx: 'ws.tx', rx: 'ws.rx', ack: 'ws.ack', rtx: 'ws.rtx', end: 'ws.end' } as const;

export const frameHash = (data: Value): number => hashName(JSON.stringify(data) ?? 'undefined');

/**
 * The host's own probes, so a checker can hold it to the rules above (runtime-checks.ts):
 * `do.params` once at start (the timing it runs with); per instance generation `g` (host
 * incarnation and instance generation) `do.cold` when it is created, `do.live` when its cold start
 * is over, `do.evict`; `do.event` when an event arrives for it (a request, an upgrade, a frame, a
 * close, a timer; numbered `n` per host) and `do.run` when that event's handler starts (it may wait
 * in the queue first); `do.gate` when the input gate closes (`on`) or opens; `do.io` when a handler
 * issues a storage operation (with what a read answered, or what a put writes, as data hashes) and
 * `do.done` when it completes (a put: has become durable; a read: its handler resumes).
 * `do.params` carries the storage latency bounds too, so a checker can hold every storage
 * operation to them.
 */
export const DO_PROBE = {
  params: 'do.params',
  cold: 'do.cold',
  live: 'do.live',
  evict: 'do.evict',
  event: 'do.event',
  run: 'do.run',
  gate: 'do.gate',
  io: 'do.io',
  done: 'do.done',
} as const;

const hashOrNull = (v: Value | undefined): number | null => (v === undefined || v === null ? null : frameHash(v));

/** The Worker: stateless, routes by `idFromName` (a hash of class and name) to a host. */
export function worker(hosts: readonly NodeId[]) {
  return (ctx: ProcessContext): Process => ({
    // It keeps nothing between messages.
    fingerprint: () => '',
    onMessage(from, msg) {
      if (!isObj(msg) || typeof msg.cls !== 'string' || typeof msg.name !== 'string') return;
      const host = hosts[hashName(`${msg.cls}:${msg.name}`) % hosts.length] as NodeId;
      ctx.send(host, { ...msg, client: from });
    },
  });
}

// ---- the host --------------------------------------------------------------------------------

interface Co {
  readonly gen: Gen<unknown>;
  readonly done: (v: unknown) => void;
  /**
   * What this suspended handler is, for fingerprint(): a generator's locals cannot be read, so
   * it is named by its history instead. The chain hashes how it was started (handler and
   * arguments, `done` included) and, for every step it has run, everything that step could
   * read: the time, the value it resumed with, the instance's step chain (which determines the
   * object's memory, only ever changed by its own handlers), its sockets and the timer counter.
   * The code is deterministic, so two handlers with one chain are in one state.
   */
  chain: string;
}

interface Conn {
  readonly id: string;
  readonly inst: Instance;
  readonly client: NodeId;
  readonly params: Value;
  open: boolean;
  outSeq: number;
  inSeq: number;
  lastHeard: Micros;
  /** Frames ahead of a missing one, and since when the hole is open. */
  readonly early: Map<number, Value>;
  holeSince: Micros;
  /** Frames sent and not yet acknowledged by the client, by sequence (TCP's retransmission queue). */
  readonly unacked: Map<number, Value>;
  /** Since when the oldest unacknowledged frame has waited without progress. */
  unackedSince: Micros;
  rtxTimer: TimerId | undefined;
  rto: Micros;
  /** The client closed after this many frames; the close takes effect once they are all applied. */
  closeAfter: number | undefined;
  /**
   * The client closed cleanly: frames it sent before the close that still wait in the instance's
   * queue are delivered (a close by the host, or a break, drops them).
   */
  closedByClient: boolean;
  handle: Ws;
}

/** An event waiting for the cold start or the input gate; `label` says what it does (for fingerprint()). */
interface PendingEvent {
  readonly label: string;
  readonly run: () => void;
}

interface Instance {
  readonly key: string;
  readonly cls: DoClass;
  readonly name: string;
  readonly generation: number;
  phase: 'starting' | 'live';
  obj: DoObject | undefined;
  /** Events waiting for the cold start or the input gate. */
  readonly queue: PendingEvent[];
  gated: boolean;
  readonly gateWaiters: Co[];
  running: number;
  readonly cache: Map<string, Value | null>;
  lastIo: Micros;
  /**
   * Storage operations in flight, in issue order. Two can complete at the same instant, and the
   * kernel orders same-instant events by a choice; completing from the head keeps issue order.
   */
  readonly ioFifo: number[];
  idleTimer: TimerId | undefined;
  readonly conns: Map<string, Conn>;
  readonly userTimers: Map<number, TimerId>;
  /** Hash chain of every handler step run on this instance, in order: it determines the object's memory. */
  steps: string;
}

export interface HostOptions {
  readonly classes: readonly DoClass[];
  readonly params: DoRuntimeParams;
}

/**
 * A Durable Object host node. observedState(): `{ "<class>:<name>": state }` for every
 * instance, live (observedState of the object) or evicted (observeStored from storage).
 */
export function doHost(opts: HostOptions) {
  const classes = new Map(opts.classes.map((c) => [c.name, c]));
  /** Every class can fingerprint its objects: the host has a fingerprint() and keeps handler chains. */
  const fingerprinted = opts.classes.length > 0 && opts.classes.every((c) => c.fingerprints === true);
  const p = opts.params;
  return (ctx: ProcessContext): Process => {
    const instances = new Map<string, Instance>();
    const conns = new Map<string, Conn>();
    /** Every connection id this host has accepted: a duplicated upgrade must not open it twice. */
    const accepted = new Set<string>();
    /** Connections this host has closed, with the number of frames it sent on each. */
    const ended = new Map<string, { readonly last: number; readonly frames: Frames }>();
    /** Clean closes that arrived before their connection was opened here (they overtook the upgrade). */
    const closeBeforeOpen = new Map<string, number>();
    const ioWaits = new Map<number, { inst: Instance; co: Co; effect: Effect; result?: unknown }>();
    const userTimerTags = new Map<TimerId, { inst: Instance; tag: Value; uid: number }>();
    let nextIo = 0;
    let nextUid = 0;
    // Numbers events for the do.event / do.run probes only. fingerprint() leaves it out: it names
    // events, it does not change what any of them does.
    let nextEv = 0;
    let generation = 0;

    const sk = (inst: Instance, key: string) => `${inst.key}|${key}`;
    /** An instance generation, unique over the host's restarts (its counter starts again at each). */
    const genOf = (inst: Instance) => `${ctx.incarnation}.${inst.generation}`;

    const read = (inst: Instance, key: string): Value | undefined => {
      const c = inst.cache.get(key);
      if (c !== undefined) return c === null ? undefined : c;
      return ctx.storage.get(sk(inst, key));
    };

    const listKeys = (inst: Instance, prefix: string): string[] => {
      const ks = new Set<string>();
      for (const k of ctx.storage.keys(sk(inst, prefix))) ks.add(k.slice(inst.key.length + 1));
      for (const [k, v] of inst.cache) {
        if (!k.startsWith(prefix)) continue;
        if (v === null) ks.delete(k);
        else ks.add(k);
      }
      return [...ks].sort();
    };

    const touch = (inst: Instance) => {
      if (inst.idleTimer !== undefined) ctx.cancelTimer(inst.idleTimer);
      inst.idleTimer = ctx.setTimer(p.idleEvict, { t: 'idle', inst: inst.key, g: inst.generation });
    };

    // -- coroutines

    /** `label` names the handler, its arguments and what `done` does with its result (fingerprint()). */
    const spawn = <T>(inst: Instance, label: string, gen: Gen<T>, done: (v: T) => void = () => {}) => {
      inst.running++;
      step(inst, { gen: gen as Gen<unknown>, done: done as (v: unknown) => void, chain: chainHash(`${inst.key}#${inst.generation}|${label}`) }, undefined);
    };

    const step = (inst: Instance, co: Co, input: unknown): void => {
      for (;;) {
        if (instances.get(inst.key) !== inst) return; // evicted meanwhile
        if (fingerprinted) {
          const socks = [...inst.conns.values()].map((c) => (c.open ? c.id : `-${c.id}`)).join(',');
          co.chain = chainHash(`${co.chain}|${ctx.now()}|${inst.steps}|${socks}|${nextUid}|${JSON.stringify(input) ?? '-'}`);
          inst.steps = chainHash(`${inst.steps}|${co.chain}`);
        }
        const r = co.gen.next(input);
        if (r.done) {
          inst.running--;
          co.done(r.value);
          touch(inst);
          return;
        }
        const e = r.value;
        if (e.op === 'gate') {
          if (e.on) {
            if (!inst.gated) {
              inst.gated = true;
              ctx.probe(DO_PROBE.gate, true, { i: inst.key, g: genOf(inst), on: true });
              input = undefined;
              continue;
            }
            inst.gateWaiters.push(co);
            return;
          }
          releaseGate(inst);
          input = undefined;
          continue;
        }
        const id = nextIo++;
        // A read answers with storage as of when it was issued: a put issued after it does not
        // change its answer (the lost-update window the documents' awaits open).
        const result =
          e.op === 'get' ? read(inst, e.key) : e.op === 'list' ? listKeys(inst, e.prefix).map((k) => [k, read(inst, k) ?? null] as const) : undefined;
        ioWaits.set(id, { inst, co, effect: e, result });
        if (e.op === 'get') ctx.probe(DO_PROBE.io, true, { i: inst.key, g: genOf(inst), n: id, op: 'get', k: e.key, h: hashOrNull(result as Value | undefined) });
        else if (e.op === 'list') ctx.probe(DO_PROBE.io, true, { i: inst.key, g: genOf(inst), n: id, op: 'list', k: e.prefix, r: (result as [string, Value][]).map(([k, v]) => [k, hashOrNull(v)]) });
        else if (e.op === 'put') ctx.probe(DO_PROBE.io, true, { i: inst.key, g: genOf(inst), n: id, op: 'put', e: e.entries.map(([k, v]) => [k, hashOrNull(v)]) });
        let delay: Micros;
        if (e.op === 'sleep') delay = e.us;
        else {
          delay = p.storage.min + ctx.choices.int(p.storage.max - p.storage.min + 1, 'do.storage');
          // Storage operations of one instance complete in issue order. `lastIo` is on the host's
          // clock, which a fault can step back: then the previous operation's deadline lies a whole
          // step ahead although it completes within `storage.max` of real time (its timer runs on
          // elapsed time). With a clock that only moves forward, lastIo <= now + storage.max always
          // holds (each deadline is at most its issue time + max), so the clamp changes nothing
          // then; after a backward step it keeps a storage operation from waiting out the step.
          // (karaoke-nemesis seed 56: a step of -11 s stalled every read and write of the room
          // for 11 s, past the end of the run.) completeIo keeps issue order in any case.
          const at = Math.max(ctx.now() + delay, Math.min(inst.lastIo, ctx.now() + p.storage.max));
          inst.lastIo = at;
          delay = at - ctx.now();
          inst.ioFifo.push(id);
          if (e.op === 'put') for (const [k, v] of e.entries) inst.cache.set(k, v);
        }
        ctx.setTimer(delay, { t: 'io', id });
        return;
      }
    };

    const releaseGate = (inst: Instance) => {
      inst.gated = false;
      ctx.probe(DO_PROBE.gate, true, { i: inst.key, g: genOf(inst), on: false });
      const w = inst.gateWaiters.shift();
      if (w) {
        inst.gated = true;
        ctx.probe(DO_PROBE.gate, true, { i: inst.key, g: genOf(inst), on: true });
        // Resume the waiter on its own event so the releasing handler finishes first.
        const id = nextIo++;
        ioWaits.set(id, { inst, co: w, effect: { op: 'sleep', us: 0 } });
        ctx.setTimer(0, { t: 'io', id });
        return;
      }
      drain(inst);
    };

    const drain = (inst: Instance) => {
      while (!inst.gated && inst.phase === 'live' && inst.queue.length > 0 && instances.get(inst.key) === inst) {
        (inst.queue.shift() as PendingEvent).run();
      }
    };

    const completeIo = (id: number) => {
      const w = ioWaits.get(id);
      if (!w) return;
      const fifo = w.inst.ioFifo;
      if (fifo.includes(id)) {
        // A storage operation: those issued before it complete first (and their own timers,
        // due at this same instant, then find nothing to do).
        while (fifo.length > 0) {
          const head = fifo.shift() as number;
          if (head !== id) finishIo(head);
          else break;
        }
      }
      finishIo(id);
    };

    const finishIo = (id: number) => {
      const w = ioWaits.get(id);
      if (!w) return;
      ioWaits.delete(id);
      const { inst, co, effect, result } = w;
      if (instances.get(inst.key) !== inst) return;
      if (effect.op === 'put') {
        for (const [k, v] of effect.entries) {
          if (v === null) ctx.storage.delete(sk(inst, k));
          else ctx.storage.put(sk(inst, k), v);
        }
        ctx.storage.sync();
      }
      if (effect.op !== 'sleep') ctx.probe(DO_PROBE.done, true, { i: inst.key, g: genOf(inst), n: id, op: effect.op });
      step(inst, co, result);
    };

    // -- instances

    const makeState = (inst: Instance): DoState => {
      const self: DoState = {
        id: inst.key,
        name: inst.name,
        now: () => ctx.now(),
        *get(key) {
          return (yield { op: 'get', key }) as Value | undefined;
        },
        *list(prefix) {
          return (yield { op: 'list', prefix }) as (readonly [string, Value])[];
        },
        *put(key, value) {
          yield { op: 'put', entries: [[key, value]] };
        },
        *putMany(entries) {
          yield { op: 'put', entries };
        },
        *delete(key) {
          yield { op: 'put', entries: [[key, null]] };
        },
        *sleep(us) {
          yield { op: 'sleep', us };
        },
        *blockConcurrencyWhile<T>(body: () => Gen<T>): Gen<T> {
          yield { op: 'gate', on: true };
          const v = yield* body();
          yield { op: 'gate', on: false };
          return v;
        },
        timer(delay, tag) {
          const uid = nextUid++;
          const tid = ctx.setTimer(delay, { t: 'user', uid });
          inst.userTimers.set(uid, tid);
          userTimerTags.set(tid, { inst, tag, uid });
          return uid;
        },
        cancelTimer(uid) {
          const tid = inst.userTimers.get(uid);
          if (tid === undefined) return;
          ctx.cancelTimer(tid);
          inst.userTimers.delete(uid);
          userTimerTags.delete(tid);
        },
        sockets: () => [...inst.conns.values()].filter((c) => c.open).map((c) => c.handle),
        probe: (name, ok, detail) => ctx.probe(name, ok, detail),
        log: (m, d) => ctx.log(`${inst.key}: ${m}`, d),
      };
      return self;
    };

    /** Runs `ev` on the instance, starting it (cold) if needed; queued behind the gate. */
    const deliver = (cls: DoClass, name: string, label: string, ev: (inst: Instance) => void) => {
      const key = `${cls.name}:${name}`;
      let inst = instances.get(key);
      if (!inst) {
        inst = {
          key,
          cls,
          name,
          generation: ++generation,
          phase: 'starting',
          obj: undefined,
          queue: [],
          gated: false,
          gateWaiters: [],
          running: 0,
          cache: new Map(),
          lastIo: 0,
          ioFifo: [],
          idleTimer: undefined,
          conns: new Map(),
          userTimers: new Map(),
          steps: '',
        };
        instances.set(key, inst);
        ctx.log(`cold start ${key}`);
        ctx.probe(DO_PROBE.cold, true, { i: key, g: genOf(inst) });
        ctx.setTimer(p.coldStart, { t: 'cold', inst: key, g: inst.generation });
      }
      const i = inst;
      arrive(i, label.slice(0, label.indexOf('|')), label, () => ev(i));
    };

    /**
     * An event for `inst`, probed when it arrives (`do.event`, numbered) and when its handler starts
     * (`do.run`). It starts at once unless the cold start, the input gate or an earlier event still
     * waiting holds it; then it waits its turn in the queue (drain).
     */
    const arrive = (inst: Instance, kind: string, label: string, run: () => void) => {
      const n = nextEv++;
      ctx.probe(DO_PROBE.event, true, { i: inst.key, g: genOf(inst), n, e: kind });
      touch(inst);
      const start = () => {
        ctx.probe(DO_PROBE.run, true, { i: inst.key, g: genOf(inst), n });
        run();
      };
      if (inst.phase !== 'live' || inst.gated || inst.queue.length > 0) inst.queue.push({ label, run: start });
      else start();
    };

    const coldStarted = (inst: Instance) => {
      inst.phase = 'live';
      ctx.probe(DO_PROBE.live, true, { i: inst.key, g: genOf(inst) });
      inst.obj = inst.cls.create(makeState(inst));
      const obj = inst.obj;
      if (obj.init) {
        const init = obj.init.bind(obj);
        spawn(inst, 'init', makeState(inst).blockConcurrencyWhile(() => init()));
        // The gate is closed now (or the init finished synchronously); drain what may run.
      }
      drain(inst);
    };

    const evict = (inst: Instance, why: string) => {
      ctx.log(`evict ${inst.key} (${why})`);
      ctx.probe(DO_PROBE.evict, true, { i: inst.key, g: genOf(inst) });
      instances.delete(inst.key);
      for (const c of inst.conns.values()) {
        if (c.open) {
          probeEnd(c, 'evict');
          ctx.send(c.client, { t: 'ws-close', conn: c.id, last: c.outSeq, frames: [...c.unacked] });
        }
        c.open = false;
        stopRtx(c);
        conns.delete(c.id);
        ended.set(c.id, { last: c.outSeq, frames: [...c.unacked] });
      }
      for (const tid of inst.userTimers.values()) ctx.cancelTimer(tid);
      if (inst.idleTimer !== undefined) ctx.cancelTimer(inst.idleTimer);
    };

    /** The host side's `ws.end` probe. */
    const probeEnd = (c: Conn, why: EndReason, last?: number) =>
      ctx.probe(WS_PROBE.end, true, { c: c.id, by: 'host', why, tx: c.outSeq, rx: c.inSeq, ...(last === undefined ? {} : { last }) });

    /**
     * `why` 'peer': the client's clean close after `last` frames (it knows; queued frames still go
     * through); otherwise the host ends it and tells the client.
     */
    const closeConn = (c: Conn, why: Exclude<EndReason, 'connect-timeout' | 'reset' | 'evict'>, last?: number) => {
      if (!c.open) return;
      const byClient = why === 'peer';
      c.open = false;
      probeEnd(c, why, last);
      c.closedByClient = byClient;
      conns.delete(c.id);
      ended.set(c.id, { last: c.outSeq, frames: [...c.unacked] });
      if (!byClient) ctx.send(c.client, { t: 'ws-close', conn: c.id, last: c.outSeq, frames: [...c.unacked] });
      stopRtx(c);
      const inst = c.inst;
      if (instances.get(inst.key) !== inst) return;
      arrive(inst, 'close', `close|${c.id}`, () => {
        inst.conns.delete(c.id);
        if (inst.obj?.webSocketClose) spawn(inst, `close|${c.id}`, inst.obj.webSocketClose(c.handle));
      });
    };

    const makeWs = (c: Conn): Ws => ({
      id: c.id,
      client: c.client,
      params: c.params,
      get open() {
        return c.open;
      },
      send(data) {
        if (!c.open) return;
        c.outSeq++;
        if (c.unacked.size === 0) c.unackedSince = ctx.monotonic();
        c.unacked.set(c.outSeq, data);
        ctx.probe(WS_PROBE.tx, true, { c: c.id, by: 'host', s: c.outSeq, h: frameHash(data) });
        ctx.send(c.client, { t: 'ws', conn: c.id, seq: c.outSeq, data });
        if (c.rtxTimer === undefined) c.rtxTimer = ctx.setTimer(c.rto, { t: 'rtx', conn: c.id });
      },
      close() {
        closeConn(c, 'app');
      },
    });

    const stopRtx = (c: Conn) => {
      if (c.rtxTimer !== undefined) ctx.cancelTimer(c.rtxTimer);
      c.rtxTimer = undefined;
    };

    /** TCP's retransmission: what the client has not acknowledged goes again, with backoff. */
    const retransmit = (c: Conn) => {
      c.rtxTimer = undefined;
      if (!c.open || c.unacked.size === 0) return;
      const again: number[] = [];
      for (const [seq, data] of c.unacked) {
        ctx.send(c.client, { t: 'ws', conn: c.id, seq, data });
        again.push(seq);
      }
      ctx.probe(WS_PROBE.rtx, true, { c: c.id, by: 'host', s: again });
      c.rto = Math.min(2 * c.rto, p.heartbeat);
      c.rtxTimer = ctx.setTimer(c.rto, { t: 'rtx', conn: c.id });
    };

    /** The client has every frame up to `seq`. */
    const acked = (c: Conn, seq: number) => {
      let progress = false;
      for (const k of [...c.unacked.keys()]) {
        if (k > seq) continue;
        c.unacked.delete(k);
        progress = true;
      }
      if (!progress) return;
      ctx.probe(WS_PROBE.ack, true, { c: c.id, by: 'host', s: seq });
      c.unackedSince = ctx.monotonic();
      c.rto = p.rto;
      stopRtx(c);
      if (c.unacked.size > 0) c.rtxTimer = ctx.setTimer(c.rto, { t: 'rtx', conn: c.id });
    };

    /** A frame from the client, in order as TCP delivers (duplicates dropped, early ones held). */
    const receiveFrame = (c: Conn, seq: number, data: Value) => {
      if (seq <= c.inSeq || c.early.has(seq)) return;
      if (c.early.size === 0 && seq > c.inSeq + 1) c.holeSince = ctx.monotonic();
      c.early.set(seq, data);
      const inst = c.inst;
      while (c.early.has(c.inSeq + 1)) {
        const d = c.early.get(c.inSeq + 1) as Value;
        c.early.delete(c.inSeq + 1);
        c.inSeq++;
        ctx.probe(WS_PROBE.rx, true, { c: c.id, by: 'host', s: c.inSeq, h: frameHash(d) });
        c.lastHeard = ctx.monotonic();
        if (c.early.size > 0) c.holeSince = ctx.monotonic();
        arrive(inst, 'message', `message|${c.id}|${JSON.stringify(d)}`, () => {
          if ((c.open || c.closedByClient) && inst.obj?.webSocketMessage) spawn(inst, `message|${c.id}|${JSON.stringify(d)}`, inst.obj.webSocketMessage(c.handle, d));
        });
        // The client's close was waiting for this frame: it takes effect behind it.
        if (c.closeAfter !== undefined && c.inSeq >= c.closeAfter) {
          closeConn(c, 'peer', c.closeAfter);
          return;
        }
      }
    };

    const heartbeatScan = () => {
      const now = ctx.monotonic();
      for (const c of [...conns.values()]) {
        const stuck = c.unacked.size > 0 && now - c.unackedSince > p.wsTimeout;
        if (c.open && (stuck || now - c.lastHeard > p.wsTimeout || (c.early.size > 0 && now - c.holeSince > p.wsTimeout))) closeConn(c, 'timeout');
      }
      ctx.setTimer(p.heartbeat, { t: 'hb' });
    };

    /** The client's close, once every frame it sent before it has been applied. */
    const clientClose = (c: Conn, last: number) => {
      if (c.inSeq >= last) closeConn(c, 'peer', last);
      else c.closeAfter = last;
    };

    /** The answer to traffic on a connection the host does not have open. */
    const closedReply = (conn: string): ToClient => {
      // A connection this host closed: the close again, with the frames the client had not
      // acknowledged (TCP keeps retransmitting behind a FIN until it is acknowledged).
      const e = ended.get(conn);
      return e === undefined ? { t: 'ws-close', conn } : { t: 'ws-close', conn, last: e.last, frames: e.frames };
    };

    return {
      onStart() {
        ctx.probe(DO_PROBE.params, true, { coldStart: p.coldStart, idleEvict: p.idleEvict, storageMin: p.storage.min, storageMax: p.storage.max });
        ctx.setTimer(p.heartbeat, { t: 'hb' });
      },
      onTimer(tag) {
        if (!isObj(tag)) return;
        switch (tag.t) {
          case 'io':
            return completeIo(tag.id as number);
          case 'hb':
            return heartbeatScan();
          case 'rtx': {
            const c = conns.get(tag.conn as string);
            if (c) retransmit(c);
            return;
          }
          case 'cold': {
            const inst = instances.get(tag.inst as string);
            if (inst && inst.generation === tag.g && inst.phase === 'starting') coldStarted(inst);
            return;
          }
          case 'idle': {
            const inst = instances.get(tag.inst as string);
            if (!inst || inst.generation !== tag.g) return;
            // An open WebSocket keeps the instance in memory (socketsPin): with the standard
            // WebSocket API (the one these designs use) the platform does not evict an object that
            // holds one; only the Hibernation API lets it leave memory, and then its sockets stay
            // open. Evicting it and closing its sockets while heartbeats flow made a run that never
            // goes quiet (clients reconnecting every idleEvict + backoff, so an end-state check
            // lands mid-reconnect: waddle-nemesis seed 10).
            const pinned = p.socketsPin && [...inst.conns.values()].some((c) => c.open);
            if (pinned || inst.running > 0 || inst.gated || inst.queue.length > 0 || inst.phase !== 'live') return touch(inst);
            return evict(inst, 'idle');
          }
          case 'user': {
            // Timer ids are per host; find it through the tag map.
            for (const [tid, u] of userTimerTags) {
              if (u.uid !== tag.uid) continue;
              userTimerTags.delete(tid);
              const inst = u.inst;
              if (instances.get(inst.key) !== inst) return;
              inst.userTimers.delete(u.uid);
              arrive(inst, 'timeout', `timeout|${u.uid}|${JSON.stringify(u.tag)}`, () => {
                if (inst.obj?.onTimeout) spawn(inst, `timeout|${u.uid}|${JSON.stringify(u.tag)}`, inst.obj.onTimeout(u.tag));
              });
              return;
            }
            return;
          }
        }
      },
      onMessage(_from, raw) {
        if (!isObj(raw)) return;
        const msg = raw as unknown as ToHost;
        const client = msg.client;
        if (typeof client !== 'string') return;
        const cls = classes.get(msg.cls);
        if (!cls) return;
        switch (msg.t) {
          case 'http':
            return deliver(cls, msg.name, `http|${JSON.stringify(msg)}`, (inst) => {
              const obj = inst.obj as DoObject;
              if (!obj.fetch) {
                ctx.send(client, { t: 'http-res', rid: msg.rid, status: 404, body: 'Not found' });
                return;
              }
              spawn(inst, `fetch|${JSON.stringify(msg)}`, obj.fetch({ path: msg.path, body: msg.body, client }), (res) =>
                ctx.send(client, { t: 'http-res', rid: msg.rid, status: res.status, body: res.body }),
              );
            });
          case 'ws-open':
            // A copy of an upgrade already seen (the network duplicated it): TCP would never
            // open a second connection from it.
            if (accepted.has(msg.conn)) return;
            accepted.add(msg.conn);
            return deliver(cls, msg.name, `open|${JSON.stringify(msg)}`, (inst) => {
              const c: Conn = {
                id: msg.conn,
                inst,
                client,
                params: msg.params,
                open: true,
                outSeq: 0,
                inSeq: 0,
                lastHeard: ctx.monotonic(),
                early: new Map(),
                holeSince: 0,
                unacked: new Map(),
                unackedSince: 0,
                rtxTimer: undefined,
                rto: p.rto,
                closeAfter: undefined,
                closedByClient: false,
                handle: undefined as unknown as Ws,
              };
              c.handle = makeWs(c);
              conns.set(c.id, c);
              inst.conns.set(c.id, c);
              ctx.send(client, { t: 'ws-accept', conn: c.id });
              ctx.probe(WS_PROBE.open, true, { c: c.id, by: 'host', rto: p.rto, hb: p.heartbeat });
              if (inst.obj?.webSocketOpen) spawn(inst, `open|${c.id}`, inst.obj.webSocketOpen(c.handle));
              // The client closed already and the close overtook the upgrade: it follows the open.
              const last = closeBeforeOpen.get(c.id);
              if (last !== undefined) {
                closeBeforeOpen.delete(c.id);
                clientClose(c, last);
              }
            });
          case 'ws': {
            const c = conns.get(msg.conn);
            if (!c || !c.open) {
              ctx.send(client, closedReply(msg.conn));
              return;
            }
            receiveFrame(c, msg.seq, msg.data);
            // Acknowledge every frame, a copy too (the ack of the first may have been lost).
            if (c.open) ctx.send(client, { t: 'ws-ack', conn: c.id, seq: c.inSeq });
            return;
          }
          case 'ws-ack': {
            const c = conns.get(msg.conn);
            if (c && c.open) {
              c.lastHeard = ctx.monotonic();
              acked(c, msg.seq);
            }
            return;
          }
          case 'ws-ping': {
            const c = conns.get(msg.conn);
            if (!c || !c.open) {
              ctx.send(client, closedReply(msg.conn));
              return;
            }
            c.lastHeard = ctx.monotonic();
            ctx.send(client, { t: 'ws-pong', conn: msg.conn });
            return;
          }
          case 'ws-close': {
            const last = typeof msg.last === 'number' ? msg.last : 0;
            const c = conns.get(msg.conn);
            if (c) {
              for (const [seq, data] of msg.frames ?? []) if (c.open) receiveFrame(c, seq, data);
              if (c.open) clientClose(c, last);
            }
            // Not open yet (the upgrade is on its way or waits for a cold start): keep the close
            // for when it opens.
            else if (!ended.has(msg.conn)) closeBeforeOpen.set(msg.conn, last);
            // Ended here (by this close, or earlier): answer with the host's own close, which
            // acknowledges the client's (it sends its close again until answered, as TCP its FIN).
            if (ended.has(msg.conn)) ctx.send(client, closedReply(msg.conn));
            return;
          }
        }
      },
      observedState() {
        const out: Record<string, Value> = {};
        for (const cls of opts.classes) {
          // Evicted instances: what storage holds.
          if (!cls.observeStored) continue;
          const names = new Set<string>();
          for (const k of ctx.storage.keys(`${cls.name}:`)) names.add(k.slice(cls.name.length + 1).split('|')[0] as string);
          for (const name of names) {
            const prefix = `${cls.name}:${name}|`;
            out[`${cls.name}:${name}`] = cls.observeStored(
              (key) => ctx.storage.get(prefix + key),
              (pre) => ctx.storage.keys(prefix + pre).map((k) => k.slice(prefix.length)),
            );
          }
        }
        for (const inst of instances.values()) {
          if (inst.phase === 'live' && inst.obj?.observedState) out[inst.key] = inst.obj.observedState();
        }
        return out;
      },
      // fingerprint() only when every class fingerprints its objects (see below).
      ...(fingerprinted ? { fingerprint } : {}),
    };

    /**
     * Everything in this host's memory that can change what it does later, for the explorer.
     * Suspended handlers are named by their chains (see Co.chain); queued events by labels that
     * name what their closures do; timers by the ids the host keeps. Maps are written in their
     * iteration order, which the code's loops follow.
     */
    function fingerprint(): string {
      const conn = (c: Conn) => [
        c.id,
        c.inst.key,
        c.inst.generation,
        c.client,
        c.params,
        c.open,
        c.outSeq,
        c.inSeq,
        c.lastHeard,
        [...c.early],
        c.holeSince,
        [...c.unacked],
        c.unackedSince,
        c.rtxTimer ?? null,
        c.rto,
        c.closeAfter ?? null,
        c.closedByClient,
      ];
      const inst = (i: Instance) => [
        i.key,
        i.generation,
        i.phase,
        i.obj?.fingerprint?.() ?? null,
        i.queue.map((e) => e.label),
        i.gated,
        i.gateWaiters.map((co) => co.chain),
        i.running,
        [...i.cache],
        i.lastIo,
        i.ioFifo,
        i.idleTimer ?? null,
        [...i.conns.values()].map(conn),
        [...i.userTimers],
        i.steps,
      ];
      return JSON.stringify([
        nextIo,
        nextUid,
        generation,
        [...instances.values()].map(inst),
        // Connections no instance holds any more (evicted) are still answered by id.
        [...conns.values()].map((c) => (instances.get(c.inst.key) === c.inst && c.inst.conns.get(c.id) === c ? c.id : conn(c))),
        [...accepted],
        [...ended],
        [...closeBeforeOpen],
        [...ioWaits].map(([id, w]) => [id, w.inst.key, w.inst.generation, w.co.chain, w.effect as unknown as Value, w.result === undefined ? '-' : (w.result as Value)]),
        [...userTimerTags].map(([tid, u]) => [tid, u.inst.key, u.inst.generation, u.tag, u.uid]),
      ]);
    }
  };
}

const chainHash = (s: string): string => new Hash64().updateString(s).hex();

/** Convenience: the worker and host node specs of a one-host deployment. */
export function doNodes(opts: HostOptions & { readonly hosts?: number }): NodeSpec[] {
  const n = opts.hosts ?? 1;
  const hosts = Array.from({ length: n }, (_, i) => `do${i}`);
  return [
    ...hosts.map((id) => ({ id, role: 'server', create: doHost(opts) })),
    { id: 'worker', role: 'worker', create: worker(hosts) },
  ];
}
