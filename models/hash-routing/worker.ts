import type { Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, Value } from '../../sim/value.ts';
import { type ClientRes, type Forward, isForward, isStoreRes, type StoreReq, type StoreRes } from './protocol.ts';

export interface WorkerOptions {
  readonly store: string;
  /** Where heartbeats go: every balancer, or one (the rest learn through gossip). */
  readonly heartbeatTo: readonly string[];
  readonly heartbeatEvery: Micros;
  /** How long to wait for the store before giving up on a call. */
  readonly storeTimeout: Micros;
  /** Confirm the ownership epoch with the store before answering a read from memory. */
  readonly readCheck: boolean;
  /** Local time the worker joins (dark before it); 0 = a founding member. */
  readonly joinAt: Micros;
  /** Local time it leaves gracefully (announces it, serves `drain` longer, then goes dark). */
  readonly leaveAt?: Micros;
  readonly drain: Micros;
}

/** An activated DO: its state in memory, and the epoch the store granted with it. */
interface Instance {
  value: number;
  readonly epoch: number;
}

interface Call {
  readonly nonce: number;
  readonly timer: TimerId;
  /** The request being served, or undefined for a load. */
  readonly req: Forward | undefined;
  /** What a put writes. */
  readonly value: number;
}

/**
 * A worker node: it serves whatever the balancers send it, one operation at a time per DO.
 * The first request for a DO activates it (loads its state from the store, which in the
 * corrected store also grants a new ownership epoch); increments write through to the store
 * with that epoch and answer once the store accepted; reads answer from memory, after the
 * store confirmed the epoch when `readCheck` is on. A fenced call drops the instance, so the
 * next request activates it again from the store's state.
 */
export function hashWorker(opts: WorkerOptions) {
  return (ctx: ProcessContext): Process => {
    // A restart is a new incarnation: heartbeat versions stay above every earlier one.
    const incarnation = (typeof ctx.storage.get('incarnation') === 'number' ? (ctx.storage.get('incarnation') as number) : 0) + 1;
    ctx.storage.put('incarnation', incarnation);
    ctx.storage.sync();
    let beat = 0;
    // Nonces are unique across incarnations, so a reply to a call of an earlier life is ignored.
    let nonce = incarnation * 1_000_000;
    const instances = new Map<string, Instance>();
    const queues = new Map<string, Forward[]>();
    const calls = new Map<string, Call>();

    const joined = () => ctx.now() >= opts.joinAt;
    const leaving = () => opts.leaveAt !== undefined && ctx.now() >= opts.leaveAt;
    const serving = () => joined() && !(opts.leaveAt !== undefined && ctx.now() >= opts.leaveAt + opts.drain);

    const answer = (r: Forward, ok: boolean, value: Value, reason = '') => {
      const res: ClientRes = { type: 'res', req: r.req, ok, value, reason };
      ctx.send(r.client, res);
    };

    const call = (key: string, req: Forward | undefined, value: number, m: StoreReq) => {
      calls.set(key, { nonce: m.nonce, timer: ctx.setTimer(opts.storeTimeout, ['store-timeout', key, m.nonce]), req, value });
      ctx.send(opts.store, m);
    };

    const pump = (key: string) => {
      const q = queues.get(key);
      while (q && q.length > 0 && !calls.has(key)) {
        const inst = instances.get(key);
        if (!inst) return call(key, undefined, 0, { type: 'load', key, nonce: ++nonce });
        const r = q[0] as Forward;
        if (r.f === 'incr') return call(key, r, inst.value + 1, { type: 'put', key, nonce: ++nonce, value: inst.value + 1, epoch: inst.epoch, client: r.client, req: r.req });
        if (opts.readCheck) return call(key, r, 0, { type: 'check', key, nonce: ++nonce, epoch: inst.epoch });
        q.shift();
        answer(r, true, inst.value);
      }
    };

    const finish = (key: string) => {
      const c = calls.get(key);
      if (c) ctx.cancelTimer(c.timer);
      calls.delete(key);
      if (c?.req) queues.get(key)?.shift();
      return c;
    };

    const onStore = (m: StoreRes) => {
      const c = calls.get(m.key);
      if (!c || c.nonce !== m.nonce) return; // a late answer to a call given up on
      finish(m.key);
      switch (m.type) {
        case 'loaded':
          instances.set(m.key, { value: m.value, epoch: m.epoch });
          break;
        case 'put-ok': {
          const inst = instances.get(m.key);
          if (inst) inst.value = c.value;
          answer(c.req as Forward, true, null);
          break;
        }
        case 'put-dup':
          // Applied by an earlier attempt, perhaps on another worker: this copy may be stale.
          instances.delete(m.key);
          answer(c.req as Forward, true, null);
          break;
        case 'check-ok':
          answer(c.req as Forward, true, instances.get(m.key)?.value ?? 0);
          break;
        case 'fenced':
          // Another worker holds a newer epoch: this instance is no longer the DO.
          instances.delete(m.key);
          ctx.log('fenced', { key: m.key, epoch: m.epoch });
          answer(c.req as Forward, false, null, 'fenced');
          break;
      }
      pump(m.key);
    };

    const heartbeat = () => {
      if (!joined()) return;
      beat++;
      const left = leaving();
      for (const b of opts.heartbeatTo) ctx.send(b, { type: 'hb', worker: ctx.id, version: incarnation * 1_000_000 + beat, left });
    };

    return {
      onStart() {
        ctx.setTimer(opts.heartbeatEvery, 'beat');
        heartbeat();
      },
      onTimer(tag) {
        if (tag === 'beat') {
          heartbeat();
          ctx.setTimer(opts.heartbeatEvery, 'beat');
          return;
        }
        if (!Array.isArray(tag) || tag[0] !== 'store-timeout') return;
        const key = tag[1] as string;
        const c = calls.get(key);
        if (!c || c.nonce !== tag[2]) return;
        finish(key);
        // The outcome is unknown (a put may have landed): forget the instance and let the client time out.
        instances.delete(key);
        pump(key);
      },
      onMessage(_from, msg) {
        if (isStoreRes(msg)) return onStore(msg);
        if (!isForward(msg)) return;
        if (!serving()) return answer(msg, false, null, 'not-serving');
        const q = queues.get(msg.key) ?? [];
        q.push(msg);
        queues.set(msg.key, q);
        pump(msg.key);
      },
      fingerprint: () => JSON.stringify([[...instances], [...calls.keys()]]),
    };
  };
}
