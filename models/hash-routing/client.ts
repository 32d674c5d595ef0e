import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Micros } from '../../sim/value.ts';
import { nextOp, type RetriedOp, retryOrGiveUp, thinkTime, type WorkloadSpec } from '../../sim/workload.ts';
import { type ClientReq, type DoOp, isClientRes } from './protocol.ts';

export interface ClientOptions {
  /** The balancer this client's requests enter through (clients of one region share one). */
  readonly balancer: string;
  readonly workload: WorkloadSpec;
  /** No answer within this: send the same request again (the store applies it once). */
  readonly timeout: Micros;
  /** Retries after the first attempt; past them the outcome is unknown (info). */
  readonly retries: number;
}

/**
 * A client of DOs: one operation at a time, `incr` or `read` on DO `k<n>`. A refused read
 * (no route, fenced, not serving) fails; a refused increment is retried on its timeout.
 */
export function hashClient(opts: ClientOptions) {
  return (ctx: ProcessContext): Process => {
    let req = 0;
    let stopped = false;
    let current: (RetriedOp & { readonly msg: ClientReq }) | undefined;
    const next = () => {
      if (!stopped) ctx.setTimer(thinkTime(opts.workload, ctx.choices), 'next');
    };
    return {
      onStart: next,
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag, id) {
        if (tag === 'next') {
          const d = nextOp(opts.workload, ctx.choices);
          const f = d.f as DoOp;
          const key = d.key ?? 'k0';
          const op = ctx.history.invoke(f, key, null);
          const m: ClientReq = { type: 'req', req: ++req, f, key };
          current = { op, msg: m, attempts: 1, timer: ctx.setTimer(opts.timeout, 'timeout') };
          ctx.send(opts.balancer, m);
          return;
        }
        if (tag !== 'timeout' || !current || current.timer !== id) return;
        if (retryOrGiveUp(ctx, current, opts.retries, opts.timeout)) return ctx.send(opts.balancer, current.msg);
        current = undefined;
        next();
      },
      onMessage(_from, msg) {
        if (!isClientRes(msg) || !current || msg.req !== current.msg.req) return;
        // A refused increment is no proof it never happened: a duplicate of the request, or an
        // earlier attempt, may still be applied elsewhere. It waits for its timeout and retries.
        if (!msg.ok && current.op.f === 'incr') return;
        ctx.cancelTimer(current.timer);
        if (msg.ok) ctx.history.ok(current.op, msg.value);
        else ctx.history.fail(current.op, msg.reason);
        current = undefined;
        next();
      },
      fingerprint: () => `${req}:${current?.msg.req ?? '-'}:${current?.attempts ?? 0}`,
    };
  };
}
