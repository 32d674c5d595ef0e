import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { NodeId, Value } from '../../sim/value.ts';
import { nextOp, retryOrGiveUp, thinkTime, uniqueValue, type WorkloadSpec } from '../../sim/workload.ts';
import { isResponse, type KvRequest } from './protocol.ts';

export interface ClientOptions {
  readonly index: number;
  readonly servers: readonly NodeId[];
  readonly workload: WorkloadSpec;
  /** How long to wait for an answer before retrying (local microseconds). */
  readonly timeout: number;
  /** Retries after the first attempt; then the outcome is unknown (info). */
  readonly retries: number;
}

interface InFlight {
  readonly op: OpHandle;
  readonly req: KvRequest;
  attempts: number;
  timer: TimerId;
}

/**
 * A raft-kv client: one operation at a time, sent to the server it believes leads (at first a
 * server drawn at random). A timeout retries the same request number at the next server in
 * turn; an answer names the leader, which the client sticks to. A cas compares against the last
 * value this client saw for the key.
 */
export function raftKvClient(opts: ClientOptions) {
  return (ctx: ProcessContext): Process => {
    let nextReq = 0;
    let counter = 0;
    let issued = 0;
    let stopped = false;
    let current: InFlight | undefined;
    let target = ctx.choices.int(opts.servers.length, 'client.server');
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
      ctx.send(opts.servers[target] as NodeId, req);
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
        target = (target + 1) % opts.servers.length;
        ctx.send(opts.servers[target] as NodeId, current.req);
      },
      onMessage(_from, msg) {
        if (!isResponse(msg) || !current || msg.req !== current.req.req) return;
        const { op, req } = current;
        const at = opts.servers.indexOf(msg.leader);
        if (at >= 0) target = at;
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
      fingerprint: () => `${nextReq}:${current?.req.req ?? '-'}:${current?.attempts ?? 0}:${target}`,
    };
  };
}
