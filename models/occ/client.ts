import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import { nextOp, thinkTime, type WorkloadSpec } from '../../sim/workload.ts';
import { Rpc } from '../lock-service/rpc.ts';
import { type OccOptions, occRunner } from './update-with-occ.ts';

/**
 * A writer: `incr` a DO's counter through updateWithOCC (update = state + 1), or `read` it.
 * ok: the write landed; MaxRetriesExceeded: fail (every try met a conflict, none landed);
 * no answer: info. Each finished update is probed `occ-update` {tries, ok, latency} for the
 * contention table.
 */
export interface OccClientOptions extends Omit<OccOptions, 'store'> {
  readonly store: NodeId;
  readonly workload: WorkloadSpec;
}

export function occClient(o: OccClientOptions) {
  return (ctx: ProcessContext): Process => {
    const rpc = new Rpc(ctx);
    const occ = occRunner(ctx, rpc, o);
    let stopped = false;
    let issued = 0;
    const next = () => {
      if (stopped || (o.workload.opsPerClient !== undefined && issued >= o.workload.opsPerClient)) return;
      ctx.setTimer(thinkTime(o.workload, ctx.choices), 'next');
    };
    const issue = () => {
      issued++;
      const d = nextOp(o.workload, ctx.choices);
      const doId = `do${(d.key ?? 'k0').slice(1)}`;
      const started: Micros = ctx.now();
      if (d.f === 'read') {
        const op = ctx.history.invoke('read', doId, null);
        return rpc.call(o.store, { op: 'read', doId }, o.timeout, (r) => {
          if (r === undefined) ctx.history.info(op);
          else ctx.history.ok(op, ((r as { data: Value }).data ?? 0) as Value);
          next();
        });
      }
      const op = ctx.history.invoke('incr', doId, null);
      occ.updateWithOCC(doId, (state) => (typeof state === 'number' ? state : 0) + 1, (r) => {
        if (r.kind === 'ok') ctx.history.ok(op, null);
        else if (r.kind === 'MaxRetriesExceeded') ctx.history.fail(op, 'MaxRetriesExceeded');
        else ctx.history.info(op);
        ctx.probe('occ-update', true, { tries: r.tries, ok: r.kind === 'ok', latency: ctx.now() - started });
        next();
      });
    };
    return {
      onStart: next,
      onQuiesce() {
        stopped = true;
      },
      onMessage(_from, msg) {
        rpc.onMessage(msg);
      },
      onTimer(tag) {
        if (rpc.onTimer(tag) || occ.onTimer(tag)) return;
        if (tag === 'next') issue();
      },
    };
  };
}
