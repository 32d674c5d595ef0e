import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Micros, Value } from '../../sim/value.ts';
import { serveRpc } from './rpc.ts';

/**
 * The lock service (the document's Redis / DynamoDB). TTLs run on the service's own clock.
 * as-written: the lock table lives in memory (a crash forgets every lock), holders are known
 * by node id only (no token), a release from the node deletes whatever lock it holds.
 * corrected: each grant carries a fencing token from a counter; the table and the counter are
 * synced to durable storage before a grant is answered; refresh and release must name the token.
 */
export interface ServiceOptions {
  readonly tokens: boolean;
  readonly persist: boolean;
  /** Sync before answering a grant (bug:no-sync turns it off while still persisting). */
  readonly syncBeforeReply: boolean;
  /** Locks expire after their TTL (bug:no-expiry turns it off). */
  readonly expire: boolean;
  /** A release must name the lock's token (bug:release-by-owner matches the owner instead). */
  readonly releaseByToken: boolean;
}

interface Held {
  readonly [k: string]: Value;
  readonly owner: string;
  readonly token: number;
  readonly expiresAt: Micros;
}

export function lockService(opts: ServiceOptions) {
  return (ctx: ProcessContext): Process => {
    const locks = new Map<string, Held>();
    let nextToken = 0;
    if (opts.persist) {
      nextToken = (ctx.storage.get('token') as number | undefined) ?? 0;
      for (const k of ctx.storage.keys('lock/')) locks.set(k.slice(5), ctx.storage.get(k) as Held);
    }
    const live = (doId: string): Held | undefined => {
      const h = locks.get(doId);
      if (h === undefined) return undefined;
      if (opts.expire && ctx.now() >= h.expiresAt) return undefined;
      return h;
    };
    const save = (doId: string, h: Held | undefined) => {
      if (h) locks.set(doId, h);
      else locks.delete(doId);
      if (!opts.persist) return;
      if (h) ctx.storage.put(`lock/${doId}`, h);
      else ctx.storage.delete(`lock/${doId}`);
      ctx.storage.put('token', nextToken);
      if (opts.syncBeforeReply) ctx.storage.sync();
    };
    const matches = (h: Held, owner: string, token: Value) => (opts.tokens ? h.token === token : h.owner === owner);

    const handle = (b: Value): Value | null => {
      const r = b as { op: string; doId: string; owner: string; ttlMs: number; token: Value };
      const now = ctx.now();
      switch (r.op) {
        case 'acquire': {
          const h = live(r.doId);
          // Re-entrant for the same owner, as a SET-if-absent-or-mine is.
          if (h && h.owner !== r.owner) return { ok: false, holder: h.owner };
          const g: Held = { owner: r.owner, token: ++nextToken, expiresAt: now + r.ttlMs * 1000 };
          save(r.doId, g);
          return { ok: true, token: opts.tokens ? g.token : null };
        }
        case 'refresh': {
          const h = live(r.doId);
          if (!h || !matches(h, r.owner, r.token)) return { ok: false };
          save(r.doId, { ...h, expiresAt: now + r.ttlMs * 1000 });
          return { ok: true, token: opts.tokens ? h.token : null };
        }
        case 'release': {
          const h = locks.get(r.doId);
          if (h && (opts.releaseByToken ? h.token === r.token : h.owner === r.owner)) save(r.doId, undefined);
          return { ok: true };
        }
        case 'available':
          return { ok: true, available: live(r.doId) === undefined };
        default:
          return null;
      }
    };

    return {
      onMessage(from, msg) {
        serveRpc(ctx, from, msg, handle);
      },
      fingerprint: () => JSON.stringify([nextToken, [...locks.entries()]]),
    };
  };
}
