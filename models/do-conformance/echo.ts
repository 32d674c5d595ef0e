import type { Value } from '../../sim/value.ts';
import { MS } from '../../sim/value.ts';
import type { DoClass, DoObject, DoState, Gen, HttpRequest, HttpResponse, Ws } from '../durable-object/runtime.ts';

/**
 * The conformance object: no design document, only a workload that reaches every promise of the
 * Durable Object runtime (../durable-object/runtime.ts) so its checks have something to judge.
 * The karaoke and waddle objects use a few of the runtime's paths on a few seeds; this one uses
 * all of them on purpose: storage reads, writes, lists and deletes; the input gate (and a handler
 * that waits at a gate another holds); sleeps; host timers; sockets the object closes; HTTP with
 * request ids; cold starts after eviction.
 *
 * Every reply is deterministic from what the object was sent, so a client can say what it must
 * receive (checks.ts):
 *  - Each socket gets `{ t: 'hello' }` as its first frame; one opened with `closeOnOpen` in its
 *    params is closed right after it.
 *  - Each frame `{ k, i }` of kind echo, burst or close starts with one storage write, then
 *    sends its replies: `burst` first sends `{ t: 'burst', i, j }` for j < n, then every one of
 *    the three sends `{ t: 'echo', i }`; `close` then closes the socket. The write is the
 *    handler's first await, and the runtime completes writes in issue order, so the replies of a
 *    socket come in the order of its frames.
 *  - `sleep` and `timer` answer out of that order: `{ t: 'slept', i }` after a sleep of `ms`,
 *    `{ t: 'tick', i }` from a host timer of `ms` (to the socket, if it is still open).
 *  - `gate` holds the input gate over a read, a sleep of GATE_SLEEP, a second read and a write,
 *    then echoes in order like the others (its first await is the gate's, which no other event
 *    passes).
 *  - HTTP `/inc` with a request id adds one to the object's durable count, once per id: a read of
 *    the id first (outside the gate: a handler that then waits at a gate another holds), then,
 *    under the input gate, the id check and one transaction writing the count and the id. `/count`
 *    reads the count; `/ids` lists the ids applied; `/lasts` lists the sockets' `last:` keys, which
 *    echo frames write and closes delete while it runs.
 */

export const ECHO_PROBES = {
  /** `{ obj, rid, n }` when an /inc is applied (the write is durable). */
  applied: 'conf.applied',
  /** A read of the key the handler just wrote returned that value (false: it did not). */
  readYourWrite: 'conf.read-your-write',
  /**
   * `{ c, i }` first thing in webSocketMessage, for every frame the runtime hands the object (i:
   * the frame's, null if it has none): which frames' handlers ran, and how often (frames-handled).
   */
  got: 'conf.got',
  /** `{ c }` first thing in webSocketClose: which connections' close handlers ran (close-handled). */
  closedHandler: 'conf.closed-handler',
} as const;

/** How long a `gate` frame holds the input gate (a client's check reads it as a lower bound). */
export const GATE_SLEEP = 20 * MS;

/** Reply kinds that come in frame order; `slept` and `tick` do not. */
export const ORDERED_KINDS = ['echo', 'burst', 'close', 'gate'] as const;
export type FrameKind = (typeof ORDERED_KINDS)[number] | 'sleep' | 'timer';

/** The object's departures from its contract, one per planted bug (all false: corrected). */
export interface EchoFlaws {
  /** bug:ungated-inc: /inc checks and writes its id outside the input gate. */
  readonly ungatedInc?: boolean;
  /** bug:burst-before-write: a burst's frames go out before its write, ahead of earlier frames' echoes. */
  readonly burstBeforeWrite?: boolean;
  /** bug:count-in-memory: init does not load the count, so a cold start counts from 0 again. */
  readonly countInMemory?: boolean;
}

const isObj = (v: Value): v is { readonly [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function echoClass(flaws: EchoFlaws = {}): DoClass {
  return {
    name: 'Echo',
    create: (state) => new EchoObject(state, flaws),
    observeStored: (read) => ({ count: (read('count') as number | undefined) ?? 0 }),
  };
}

class EchoObject implements DoObject {
  /** The durable count as this instance last read or wrote it (init loads it). */
  private count = 0;
  /** init has loaded the count (with bug:count-in-memory, at once: the memory is taken as the truth). */
  private loaded = false;

  constructor(
    private readonly state: DoState,
    private readonly flaws: EchoFlaws,
  ) {}

  *init(): Gen {
    if (this.flaws.countInMemory) {
      this.loaded = true;
      return;
    }
    this.count = ((yield* this.state.get('count')) as number | undefined) ?? 0;
    this.loaded = true;
  }

  /**
   * The count this instance serves; `loading` while init still reads it (the gate holds every
   * request meanwhile, so it serves nothing yet): a run can end in that instant
   * (do-conformance-evict-unpinned seed 192: a reconnect cold-started the object 2 ms before the end).
   */
  observedState(): Value {
    return this.loaded ? { count: this.count } : { count: this.count, loading: true };
  }

  *webSocketOpen(ws: Ws): Gen {
    ws.send({ t: 'hello' });
    // Closed at once when it asks (the close goes out right behind the accept and the hello).
    if (isObj(ws.params) && ws.params.closeOnOpen === true) ws.close();
  }

  *webSocketMessage(ws: Ws, data: Value): Gen {
    this.state.probe(ECHO_PROBES.got, true, { c: ws.id, i: isObj(data) && typeof data.i === 'number' ? data.i : null });
    if (!isObj(data) || typeof data.i !== 'number') return;
    const i = data.i;
    const key = `last:${ws.id}`;
    switch (data.k) {
      case 'echo':
      case 'burst':
      case 'close': {
        const n = typeof data.n === 'number' ? data.n : 0;
        const burst = () => {
          for (let j = 0; j < n; j++) ws.send({ t: 'burst', i, j });
        };
        if (data.k === 'burst' && this.flaws.burstBeforeWrite) burst();
        yield* this.state.put(key, i);
        if (data.k === 'burst' && !this.flaws.burstBeforeWrite) burst();
        ws.send({ t: 'echo', i });
        if (data.k === 'close') ws.close();
        // Read back after replying (the reply order stays the writes' order): the cache serves
        // this instance's own write, or a later frame's. Once the socket is closed its
        // webSocketClose may have deleted the key (a close frame closes it right here).
        const back = yield* this.state.get(key);
        const ok = (typeof back === 'number' && back >= i) || (back === undefined && !ws.open);
        this.state.probe(ECHO_PROBES.readYourWrite, ok, { key, wrote: i, read: back ?? null });
        return;
      }
      case 'gate': {
        yield* this.state.blockConcurrencyWhile(
          function* (this: EchoObject): Gen {
            const before = (yield* this.state.get(key)) ?? null;
            yield* this.state.sleep(GATE_SLEEP);
            // No other event ran while the gate was shut: nothing wrote the key meanwhile.
            const mid = (yield* this.state.get(key)) ?? null;
            yield* this.state.put(key, i);
            const ok = mid === before && (before === null || (typeof before === 'number' && before < i));
            this.state.probe(ECHO_PROBES.readYourWrite, ok, { key, before, mid, wrote: i });
          }.bind(this),
        );
        ws.send({ t: 'echo', i });
        return;
      }
      case 'sleep':
        yield* this.state.sleep(((data.ms as number) ?? 0) * MS);
        ws.send({ t: 'slept', i });
        return;
      case 'timer':
        this.state.timer(((data.ms as number) ?? 0) * MS, { conn: ws.id, i });
        return;
    }
  }

  *webSocketClose(ws: Ws): Gen {
    this.state.probe(ECHO_PROBES.closedHandler, true, { c: ws.id });
    yield* this.state.delete(`last:${ws.id}`);
  }

  *onTimeout(tag: Value): Gen {
    if (!isObj(tag)) return;
    const ws = this.state.sockets().find((s) => s.id === tag.conn && s.open);
    ws?.send({ t: 'tick', i: tag.i ?? null });
  }

  *fetch(req: HttpRequest): Gen<HttpResponse> {
    const body = isObj(req.body) ? req.body : {};
    if (req.path === '/count') return { status: 200, body: { n: ((yield* this.state.get('count')) as number | undefined) ?? 0 } };
    if (req.path === '/ids') return { status: 200, body: { ids: (yield* this.state.list('rid:')).map(([k]) => k.slice(4)) } };
    // The sockets' last-frame keys, listed while echo frames write them and closes delete them:
    // a list that meets writes and deletes still in flight (the runtime's do-runtime check judges
    // its answer against the instance's own pending writes and what storage holds).
    if (req.path === '/lasts') return { status: 200, body: { keys: (yield* this.state.list('last:')).map(([k]) => k) } };
    if (req.path !== '/inc' || typeof body.rid !== 'string') return { status: 400, body: null };
    const rid = body.rid;
    // A retry of an id already applied is answered from storage. The read completes after every
    // write issued before it, so what it finds is durable. A first copy goes on to the gate,
    // where it may wait for a gate another handler holds.
    const known = (yield* this.state.get(`rid:${rid}`)) as number | undefined;
    if (known !== undefined) return { status: 200, body: { n: known } };
    const apply = function* (this: EchoObject): Gen<HttpResponse> {
      const seen = (yield* this.state.get(`rid:${rid}`)) as number | undefined;
      if (seen !== undefined) return { status: 200, body: { n: seen } };
      const n = this.count + 1;
      yield* this.state.putMany([
        ['count', n],
        [`rid:${rid}`, n],
      ]);
      this.count = n;
      this.state.probe(ECHO_PROBES.applied, true, { obj: this.state.name, rid, n });
      return { status: 200, body: { n } };
    }.bind(this);
    // Under the gate: the id check and the write are one step, as the corrected karaoke room does.
    if (this.flaws.ungatedInc) return yield* apply();
    return yield* this.state.blockConcurrencyWhile(apply);
  }
}
