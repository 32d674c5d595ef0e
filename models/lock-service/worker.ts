import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import { CircuitBreaker } from './breaker.ts';
import type { ConsistencyGuard, Lock } from './guard.ts';
import { Rpc } from './rpc.ts';

/**
 * A worker node serving Durable Objects under a ConsistencyGuard: "Request -> Router -> Acquire
 * Lock(doId) -> Serve DO -> Release Lock". A worker that believes it holds a DO's lock loads the
 * DO's state from the store once and then serves it from memory (the single-instance model the
 * document wants to keep): reads from memory, inserts as read-modify-write of the whole list,
 * written back to the store after `computeTime` of work. It keeps the lock while requests keep
 * coming (heartbeat refresh every ttl/3) and releases it, fire-and-forget, after `idleRelease`.
 *
 * Every lock operation is recorded in the history under key `lock:<doId>` as the worker saw it
 * (owner: the tenure `<worker>#<n>`), for the lock checker.
 */
export interface WorkerOptions {
  readonly store: NodeId;
  readonly ttlMs: number;
  readonly makeGuard: (ctx: ProcessContext, rpc: Rpc) => ConsistencyGuard;
  /** Send the lock's fencing token with every load and write (corrected). */
  readonly fencing: boolean;
  /**
   * How long after asking for (or refreshing) a lock the worker trusts it, as a fraction of the
   * TTL on its own clock; null: until a refresh is refused (Option A as printed).
   */
  readonly leaseFraction: number | null;
  /** Heartbeat refresh (Option A); without it the worker re-acquires when its lease runs out. */
  readonly refresh: boolean;
  readonly computeTime: Micros;
  readonly idleRelease: Micros;
  readonly rpcTimeout: Micros;
  readonly breaker: { readonly threshold: number; readonly cooldown: Micros };
  readonly acquireRetry: { readonly delay: Micros; readonly tries: number };
}

interface Req {
  readonly client: NodeId;
  readonly req: number;
  readonly att: number;
  readonly f: string;
  readonly value: Value;
}

interface Slot {
  phase: 'idle' | 'acquiring' | 'held';
  lock: Lock | undefined;
  tenure: string;
  list: readonly Value[];
  /** The store's version of `list` (the base a put names; the store refuses a stale one). */
  version: number;
  validUntil: Micros;
  queue: Req[];
  busy: boolean;
  lastUse: Micros;
  tries: number;
  heartbeat: TimerId | undefined;
}

export function doWorker(o: WorkerOptions) {
  return (ctx: ProcessContext): Process => {
    const rpc = new Rpc(ctx);
    const guard = o.makeGuard(ctx, rpc);
    const breaker = new CircuitBreaker(o.breaker.threshold, o.breaker.cooldown);
    const slots = new Map<string, Slot>();
    let tenures = 0;
    /**
     * The latest (req, att) taken from each client. A client has one request in flight and takes
     * a refusal as final for its attempt, so a worker must never refuse a copy of an attempt it is
     * already carrying out: the network duplicates messages (hybrid-nemesis seed 167: the second
     * copy of an insert was refused, fail-fast, while the first copy's write landed; the client
     * recorded a failed insert that later reads showed). Older attempts are dropped too: the
     * client has moved on to a newer one. In memory: a restart forgets it (a copy delivered after
     * a crash is taken again; the list insert is idempotent, a refusal of it is still possible).
     */
    const taken = new Map<NodeId, { req: number; att: number }>();
    const fresh = (client: NodeId, req: number, att: number): boolean => {
      const t = taken.get(client);
      if (t && (req < t.req || (req === t.req && att <= t.att))) return false;
      taken.set(client, { req, att });
      return true;
    };
    const ttl = o.ttlMs * 1000;

    const slotOf = (doId: string): Slot => {
      let s = slots.get(doId);
      if (!s) {
        s = { phase: 'idle', lock: undefined, tenure: '', list: [], version: 0, validUntil: 0, queue: [], busy: false, lastUse: 0, tries: 0, heartbeat: undefined };
        slots.set(doId, s);
      }
      return s;
    };
    const reply = (r: Req, ok: boolean, value: Value) => ctx.send(r.client, { type: 'do-res', req: r.req, att: r.att, ok, value });
    const failQueue = (s: Slot, why: string) => {
      for (const r of s.queue.splice(0)) reply(r, false, why);
    };
    const leaseOk = (s: Slot) => s.phase === 'held' && ctx.now() < s.validUntil;
    const trustFrom = (askedAt: Micros, lock: Lock): Micros =>
      o.leaseFraction === null ? Infinity : Math.min(lock.expiresAt, askedAt + Math.floor(ttl * o.leaseFraction));
    const lockOp = (f: string, doId: string, owner: string, until: Micros): OpHandle =>
      ctx.history.invoke(f, `lock:${doId}`, f === 'acquire' ? { owner, until: until === Infinity ? null : until } : { owner });

    /** Forget the DO: its lock is gone or no longer trusted. */
    const lose = (doId: string, s: Slot) => {
      s.phase = 'idle';
      s.lock = undefined;
      s.list = [];
      if (s.heartbeat !== undefined) ctx.cancelTimer(s.heartbeat);
      s.heartbeat = undefined;
    };

    const acquire = (doId: string, s: Slot) => {
      if (breaker.isOpen(ctx.now())) return failQueue(s, 'unavailable');
      s.phase = 'acquiring';
      // The start time keeps tenure names unique across restarts (the counter is in memory).
      s.tenure = `${ctx.id}#${++tenures}@${ctx.now()}`;
      const tenure = s.tenure;
      const askedAt = ctx.now();
      const op = lockOp('acquire', doId, tenure, askedAt + ttl * (o.leaseFraction ?? 1));
      guard.acquire(doId, o.ttlMs, (r) => {
        if (r === 'unavailable') {
          ctx.history.info(op);
          s.phase = 'idle';
          if (breaker.record(false, ctx.now())) return failQueue(s, 'unavailable');
          return retryLater(doId, s);
        }
        breaker.record(true, ctx.now());
        if (r === 'refused') {
          // Recorded as not having happened: the lock checker judges grants, and a refusal's
          // legality would need the service's own clock.
          ctx.history.fail(op, false);
          s.phase = 'idle';
          return retryLater(doId, s);
        }
        ctx.history.ok(op, true);
        s.tries = 0;
        // Load the DO's state under the new lock (the fence rises to this token at the store).
        rpc.call(o.store, { op: 'load', doId, token: o.fencing ? r.token : null }, o.rpcTimeout, (res) => {
          const m = res as { ok: boolean; list: readonly Value[]; version: number } | undefined;
          if (s.tenure !== tenure || s.phase !== 'acquiring') return;
          if (!m?.ok) {
            s.phase = 'idle';
            return retryLater(doId, s);
          }
          s.phase = 'held';
          s.lock = r;
          s.list = m.list;
          s.version = m.version;
          s.validUntil = trustFrom(askedAt, r);
          s.lastUse = ctx.now();
          s.heartbeat = ctx.setTimer(Math.floor(ttl / 3), ['beat', doId]);
          pump(doId, s);
        });
      });
    };

    const retryLater = (doId: string, s: Slot) => {
      if (s.queue.length === 0) return;
      if (++s.tries >= o.acquireRetry.tries) {
        s.tries = 0;
        return failQueue(s, 'busy');
      }
      ctx.setTimer(o.acquireRetry.delay, ['retry', doId]);
    };

    const pump = (doId: string, s: Slot) => {
      if (s.phase === 'held' && !leaseOk(s) && !s.busy) {
        // No longer trusted: hand it back (fire-and-forget) before asking again.
        if (s.lock) {
          const op = lockOp('release', doId, s.tenure, 0);
          guard.release(s.lock);
          ctx.history.info(op);
        }
        lose(doId, s);
      }
      if (s.phase === 'idle') {
        if (s.queue.length > 0) acquire(doId, s);
        return;
      }
      if (s.phase !== 'held' || s.busy) return;
      const r = s.queue.shift();
      if (!r) return;
      s.lastUse = ctx.now();
      if (r.f === 'read') {
        reply(r, true, s.list);
        return pump(doId, s);
      }
      s.busy = true;
      ctx.setTimer(o.computeTime, ['compute', doId, s.tenure, r as unknown as Value]);
    };

    /** The insert's work is done: write the new list back (no second look at the lock). */
    const finishInsert = (doId: string, s: Slot, tenure: string, r: Req) => {
      if (s.tenure !== tenure || s.phase !== 'held' || !s.lock) {
        s.busy = false;
        reply(r, false, 'lost-lock');
        return pump(doId, s);
      }
      const list = s.list.includes(r.value) ? s.list : [...s.list, r.value];
      const put = { op: 'put', doId, list, token: o.fencing ? s.lock.token : null, base: s.version, writer: tenure };
      rpc.call(o.store, put, o.rpcTimeout, (res) => {
        const m = res as { ok: boolean; version: number } | undefined;
        if (s.tenure === tenure) s.busy = false;
        if (m?.ok) {
          if (s.tenure === tenure) {
            s.list = list;
            s.version = m.version;
          }
          reply(r, true, null);
        } else if (m) {
          reply(r, false, 'fenced');
          if (s.tenure === tenure) lose(doId, s);
        } else if (s.tenure === tenure) lose(doId, s); // unknown outcome: the client times out
        pump(doId, s);
      });
    };

    const beat = (doId: string, s: Slot) => {
      s.heartbeat = undefined;
      if (s.phase !== 'held' || !s.lock) return;
      const lock = s.lock;
      const tenure = s.tenure;
      if (!s.busy && s.queue.length === 0 && ctx.now() - s.lastUse >= o.idleRelease) {
        const op = lockOp('release', doId, tenure, 0);
        guard.release(lock);
        ctx.history.info(op); // fire-and-forget: the worker never learns the outcome
        return lose(doId, s);
      }
      s.heartbeat = ctx.setTimer(Math.floor(ttl / 3), ['beat', doId]);
      if (!o.refresh) return;
      const askedAt = ctx.now();
      const op = lockOp('acquire', doId, tenure, askedAt + ttl * (o.leaseFraction ?? 1));
      guard.refresh(lock, (r) => {
        if (r === 'unavailable') return ctx.history.info(op);
        if (r === 'refused') ctx.history.fail(op, false);
        else ctx.history.ok(op, true);
        if (s.tenure !== tenure || s.phase !== 'held') return;
        if (r === 'refused') return lose(doId, s);
        s.lock = r;
        s.validUntil = trustFrom(askedAt, r);
      });
    };

    return {
      onMessage(from, msg) {
        if (rpc.onMessage(msg) || guard.handleMessage?.(from, msg)) return;
        const m = msg as { type?: Value; req?: number; att?: number; f?: string; doId?: string; value?: Value };
        if (m?.type !== 'do' || typeof m.doId !== 'string') return;
        const r: Req = { client: from, req: m.req as number, att: m.att as number, f: m.f as string, value: m.value ?? null };
        if (!fresh(from, r.req, r.att)) return;
        if (breaker.isOpen(ctx.now())) return reply(r, false, 'unavailable'); // fail fast
        const s = slotOf(m.doId);
        s.queue.push(r);
        pump(m.doId, s);
      },
      onTimer(tag) {
        if (rpc.onTimer(tag) || guard.handleTimer?.(tag)) return;
        const t = tag as readonly Value[];
        const doId = t[1] as string;
        const s = slotOf(doId);
        if (t[0] === 'retry') return pump(doId, s);
        if (t[0] === 'beat') return beat(doId, s);
        if (t[0] === 'compute') return finishInsert(doId, s, t[2] as string, t[3] as unknown as Req);
      },
    };
  };
}
