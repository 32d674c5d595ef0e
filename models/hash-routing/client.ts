import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros } from '../../sim/value.ts';
import { nextOp, thinkTime, type WorkloadSpec } from '../../sim/workload.ts';
import { type ClientReq, type DoOp, isClientRes } from './protocol.ts';

export interface ClientOptions {
  /** The balancer this client's requests enter through (clients of one region share one). */
  readonly balancer: string;
  readonly workload: WorkloadSpec;
  /** No answer within this: the outcome is unknown (info). Increments are not retried. */
  readonly timeout: Micros;
}

/** A client of DOs: one operation at a time, `incr` or `read` on DO `k<n>`. */
export function hashClient(opts: ClientOptions) {
  return (ctx: ProcessContext): Process => {
    let req = 0;
    let stopped = false;
    let current: { op: OpHandle; req: number; timer: TimerId } | undefined;
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
          current = { op, req: ++req, timer: ctx.setTimer(opts.timeout, 'timeout') };
          const m: ClientReq = { type: 'req', req, f, key };
          ctx.send(opts.balancer, m);
          return;
        }
        if (tag === 'timeout' && current && current.timer === id) {
          ctx.history.info(current.op);
          current = undefined;
          next();
        }
      },
      onMessage(_from, msg) {
        if (!isClientRes(msg) || !current || msg.req !== current.req) return;
        ctx.cancelTimer(current.timer);
        if (msg.ok) ctx.history.ok(current.op, msg.value);
        else ctx.history.fail(current.op, msg.reason);
        current = undefined;
        next();
      },
      fingerprint: () => `${req}:${current?.req ?? '-'}`,
    };
  };
}
