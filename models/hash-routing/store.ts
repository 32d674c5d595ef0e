import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Value } from '../../sim/value.ts';
import { isStoreReq, type StoreRes } from './protocol.ts';

export interface StoreOptions {
  /** Reject a put or check whose epoch is not the DO's current one (the fence). */
  readonly fenceCheck: boolean;
  /** Every load grants a new, higher epoch (the handoff). */
  readonly bumpEpoch: boolean;
}

/**
 * The shared store the document externalises DO state to ("state externalized to
 * libSQL/Turso"): per DO a counter `v/<key>` and an ownership epoch `e/<key>`, both durable and
 * synced before any reply, and per DO and client the last operation applied (`r/<key>/<client>`),
 * so that duplicated and retried increments apply once (in every variant: the document is
 * silent on idempotency, and without it the bench would only find the network's duplicates). It records every access it accepts as a `store-access` probe (op
 * `begin` for a load, `write` for a put), which is what the single-writer checker reads.
 * Replication of this store is option B's concern (models/libsql-replication); here it is one
 * node that the scenarios do not crash.
 */
export function hashStore(opts: StoreOptions) {
  return (ctx: ProcessContext): Process => {
    const num = (k: string): number => {
      const v = ctx.storage.get(k);
      return typeof v === 'number' ? v : 0;
    };
    const reply = (to: string, m: StoreRes) => ctx.send(to, m);
    const access = (key: string, writer: string, op: 'begin' | 'write') => ctx.probe('store-access', true, { key, writer, op });
    return {
      onMessage(from, msg) {
        if (!isStoreReq(msg)) return;
        const { key, nonce } = msg;
        const epoch = num(`e/${key}`);
        switch (msg.type) {
          case 'load': {
            const next = opts.bumpEpoch ? epoch + 1 : epoch;
            ctx.storage.put(`e/${key}`, next);
            ctx.storage.sync();
            access(key, from, 'begin');
            return reply(from, { type: 'loaded', key, nonce, value: num(`v/${key}`), epoch: next });
          }
          case 'put': {
            // Exactly once per client operation, before the fence: a retry of an applied
            // operation must not be told it failed. Clients issue one operation at a time.
            const applied = ctx.storage.get(`r/${key}/${msg.client}`);
            if (typeof applied === 'number' && msg.req <= applied) return reply(from, { type: 'put-dup', key, nonce });
            if (opts.fenceCheck && msg.epoch !== epoch) return reply(from, { type: 'fenced', key, nonce, epoch });
            ctx.storage.put(`v/${key}`, msg.value);
            ctx.storage.put(`r/${key}/${msg.client}`, msg.req);
            ctx.storage.sync();
            access(key, from, 'write');
            return reply(from, { type: 'put-ok', key, nonce });
          }
          case 'check':
            if (opts.fenceCheck && msg.epoch !== epoch) return reply(from, { type: 'fenced', key, nonce, epoch });
            return reply(from, { type: 'check-ok', key, nonce });
        }
      },
      observedState(): Value {
        return Object.fromEntries(ctx.storage.keys('v/').map((k) => [k.slice(2), ctx.storage.get(k) ?? null]));
      },
    };
  };
}
