import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { NodeId, Value } from '../../sim/value.ts';
import { nextOp, retryOrGiveUp, thinkTime, uniqueValue, type WorkloadSpec } from '../../sim/workload.ts';
import { isResponse, type KvRequest, type KvResponse, ownerOf } from './protocol.ts';

export interface ClientOptions {
  readonly index: number;
  readonly servers: readonly string[];
  readonly workload: WorkloadSpec;
  /** How long to wait for a reply before retrying (local microseconds). */
  readonly timeout: number;
  /** Retries after the first attempt; when they are used up the outcome is unknown (info). */
  readonly retries: number;
  /** Where requests go (default: the key's owner, as kv-authority shards keys). */
  readonly route?: (ctx: ProcessContext, servers: readonly NodeId[]) => Router;
}

/** Where a client sends a request, what a timeout or an answer teaches it, and its memory. */
export interface Router {
  first(key: string): NodeId;
  afterTimeout(key: string): NodeId;
  answered(msg: KvResponse): void;
  /** Everything the router remembers, for the explorer. */
  fingerprint(): string;
}

/** kv-authority's routing: every request, first try or retry, goes to the key's owner. */
const toOwner = (_ctx: ProcessContext, servers: readonly NodeId[]): Router => ({
  first: (key) => ownerOf(key, servers),
  afterTimeout: (key) => ownerOf(key, servers),
  answered: () => {},
  fingerprint: () => '',
});

interface InFlight {
  readonly op: OpHandle;
  readonly req: KvRequest;
  attempts: number;
  timer: TimerId;
}

/**
 * A client that issues one operation at a time, retries on timeout with the same request
 * number, and records what it saw. A cas compares against the last value this client saw for
 * the key, so cas operations succeed often enough to matter.
 */
export function kvClient(opts: ClientOptions) {
  return (ctx: ProcessContext): Process => {
    let nextReq = 0;
    let counter = 0;
    let issued = 0;
    let stopped = false;
    let current: InFlight | undefined;
    const route = (opts.route ?? toOwner)(ctx, opts.servers);
    const lastSeen = new Map<string, Value>();

    const scheduleNext = () => {
      if (stopped) return;
      if (opts.workload.opsPerClient !== undefined && issued >= opts.workload.opsPerClient) return;
      ctx.setTimer(thinkTime(opts.workload, ctx.choices), 'next');
    };

    const issue = () => {
      const drawn = nextOp(opts.workload, ctx.choices);
      const key = drawn.key ?? 'k0';
      const f = drawn.f as KvRequest['f'];
      const value: Value =
        f === 'write' ? uniqueValue(opts.index + 1, ++counter) : f === 'cas' ? [lastSeen.get(key) ?? null, uniqueValue(opts.index + 1, ++counter)] : null;
      const op = ctx.history.invoke(f, key, value);
      const req: KvRequest = { type: 'req', req: nextReq++, f, key, value };
      issued++;
      current = { op, req, attempts: 1, timer: ctx.setTimer(opts.timeout, 'timeout') };
      ctx.send(route.first(key), req);
    };

    return {
      onStart: scheduleNext,
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag, id) {
        if (tag === 'next') return issue();
        if (tag !== 'timeout' || !current || current.timer !== id) return;
        if (!retryOrGiveUp(ctx, current, opts.retries, opts.timeout)) {
          current = undefined;
          return scheduleNext();
        }
        ctx.send(route.afterTimeout(current.req.key), current.req);
      },
      onMessage(_from, msg) {
        if (!isResponse(msg) || !current || msg.req !== current.req.req) return;
        const { op, req } = current;
        route.answered(msg);
        ctx.cancelTimer(current.timer);
        current = undefined;
        if (req.f === 'read') {
          lastSeen.set(req.key, msg.value);
          ctx.history.ok(op, msg.value);
        } else if (req.f === 'write') {
          lastSeen.set(req.key, req.value);
          ctx.history.ok(op, null);
        } else if (msg.ok) {
          lastSeen.set(req.key, (req.value as readonly Value[])[1] ?? null);
          ctx.history.ok(op, true);
        } else {
          lastSeen.set(req.key, msg.value);
          ctx.history.fail(op, msg.value);
        }
        scheduleNext();
      },
      // Everything in memory (the explorer prunes on it). The op handle's id is left out: it only
      // names the open op to the history recorder, which any renaming keeps consistent.
      fingerprint: () =>
        JSON.stringify([nextReq, counter, issued, stopped, current ? [current.op.process, current.req, current.attempts, current.timer] : null, [...lastSeen.entries()], route.fingerprint()]),
    };
  };
}
