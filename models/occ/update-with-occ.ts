import type { ProcessContext } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import type { Rpc } from '../lock-service/rpc.ts';

/**
 * The document's `updateWithOCC`, line by line, in continuation-passing style:
 *
 *   let retries = 0
 *   while (retries < MAX_RETRIES) {
 *     const current = await read(doId)
 *     const newState = update(current.data)
 *     try { await write(doId, newState, current.version); return newState }
 *     catch (e) { if (e instanceof VersionConflict) { retries++; continue } throw e }
 *   }
 *   throw new MaxRetriesExceeded()
 *
 * `backoff` (the mitigation table's "Exponential backoff, jitter") waits before the next try;
 * as written there is none. An unanswered read or write rejects (`'unknown'`), the `throw e`.
 */
export type OccOutcome =
  | { readonly kind: 'ok'; readonly newState: Value; readonly tries: number }
  | { readonly kind: 'MaxRetriesExceeded'; readonly tries: number }
  | { readonly kind: 'unknown'; readonly tries: number };

export interface OccOptions {
  readonly store: NodeId;
  readonly MAX_RETRIES: number;
  readonly timeout: Micros;
  /** Delay before retry number `retries` (1-based), or 0 for none. */
  readonly backoff: (retries: number, ctx: ProcessContext) => Micros;
}

/** One client's OCC runner: `updateWithOCC` plus the backoff timers it waits on. */
export function occRunner(ctx: ProcessContext, rpc: Rpc, o: OccOptions) {
  const waiting = new Map<number, () => void>();
  let nextWait = 0;
  const retryAfter = (wait: Micros, k: () => void) => {
    const id = nextWait++;
    waiting.set(id, k);
    ctx.setTimer(wait, ['occ-backoff', id]);
  };

  function updateWithOCC(doId: string, update: (state: Value) => Value, done: (r: OccOutcome) => void): void {
    let retries = 0;
    let tries = 0;
    const loop = (): void => {
      if (!(retries < o.MAX_RETRIES)) return done({ kind: 'MaxRetriesExceeded', tries });
      tries++;
      rpc.call(o.store, { op: 'read', doId }, o.timeout, (current) => {
        if (current === undefined) return done({ kind: 'unknown', tries });
        const c = current as { data: Value; version: number };
        const newState = update(c.data);
        rpc.call(o.store, { op: 'write', doId, data: JSON.stringify(newState), version: c.version }, o.timeout, (w) => {
          if (w === undefined) return done({ kind: 'unknown', tries });
          if ((w as { ok: boolean }).ok) return done({ kind: 'ok', newState, tries });
          retries++; // VersionConflict
          const wait = retries < o.MAX_RETRIES ? o.backoff(retries, ctx) : 0;
          if (wait > 0) retryAfter(wait, loop);
          else loop();
        });
      });
    };
    loop();
  }

  return {
    updateWithOCC,
    /** Runs a backoff continuation; true if `tag` was one. */
    onTimer(tag: Value): boolean {
      if (!Array.isArray(tag) || tag[0] !== 'occ-backoff') return false;
      const k = waiting.get(tag[1] as number);
      if (k) {
        waiting.delete(tag[1] as number);
        k();
      }
      return true;
    },
  };
}
