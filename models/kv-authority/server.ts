import type { Process, ProcessContext } from '../../sim/process.ts';
import { type Value, valueEquals } from '../../sim/value.ts';
import { isRequest, type KvRequest, type KvResponse } from './protocol.ts';

export interface ServerOptions {
  /** Sync storage before acknowledging (the corrected behaviour). */
  readonly syncBeforeAck: boolean;
  /** Keep the last reply per client and answer retries from it instead of re-applying. */
  readonly dedup: boolean;
  /** Without syncBeforeAck, a background flush syncs this often (local microseconds). */
  readonly flushEvery: number;
}

interface Remembered {
  readonly req: number;
  readonly res: KvResponse;
}

/**
 * The single authority for its shard of keys. Its state lives in durable storage under
 * "kv/<key>" and, with dedup, "dedup/<client>"; a restart rebuilds memory from there alone.
 */
export function kvServer(opts: ServerOptions) {
  return (ctx: ProcessContext): Process => {
    const data = new Map<string, Value>();
    const replies = new Map<string, Remembered>();
    for (const k of ctx.storage.keys('kv/')) data.set(k.slice(3), ctx.storage.get(k) ?? null);
    for (const k of ctx.storage.keys('dedup/')) replies.set(k.slice(6), ctx.storage.get(k) as unknown as Remembered);

    const apply = (r: KvRequest): KvResponse => {
      const current = data.get(r.key) ?? null;
      switch (r.f) {
        case 'read':
          return { type: 'res', req: r.req, ok: true, value: current };
        case 'write':
          data.set(r.key, r.value);
          ctx.storage.put(`kv/${r.key}`, r.value);
          return { type: 'res', req: r.req, ok: true, value: null };
        case 'cas': {
          const [from, to] = r.value as readonly [Value, Value];
          if (!valueEquals(current, from)) return { type: 'res', req: r.req, ok: false, value: current };
          data.set(r.key, to);
          ctx.storage.put(`kv/${r.key}`, to);
          return { type: 'res', req: r.req, ok: true, value: null };
        }
      }
    };

    return {
      onStart() {
        if (!opts.syncBeforeAck) ctx.setTimer(opts.flushEvery, 'flush');
      },
      onTimer(tag) {
        if (tag === 'flush') {
          ctx.storage.sync();
          ctx.setTimer(opts.flushEvery, 'flush');
        }
      },
      onMessage(from, msg) {
        if (!isRequest(msg)) return;
        if (opts.dedup) {
          const seen = replies.get(from);
          if (seen && seen.req === msg.req) return ctx.send(from, seen.res);
          if (seen && seen.req > msg.req) return; // a stale retry of an older request
        }
        const res = apply(msg);
        if (opts.dedup) {
          const remembered: Remembered = { req: msg.req, res };
          replies.set(from, remembered);
          ctx.storage.put(`dedup/${from}`, remembered as unknown as Value);
        }
        if (opts.syncBeforeAck) ctx.storage.sync();
        ctx.send(from, res);
      },
      fingerprint: () => JSON.stringify([[...data.entries()], [...replies.entries()]]),
      observedState: () => Object.fromEntries(data),
    };
  };
}
