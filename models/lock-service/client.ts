import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import { nextOp, thinkTime, uniqueValue, type WorkloadSpec } from '../../sim/workload.ts';

/**
 * A client of the Durable Objects: one operation at a time on DO `do<n>` (the workload's key
 * `k<n>`), `insert` (append a unique value) or `read` (the whole list). The worker is chosen by
 * `route` (the client's own, one per op, or the DO's home by `home(doId)`); on a timeout the
 * same request goes to the next worker; past the retries the outcome is unknown (info).
 */
export interface DoClientOptions {
  readonly index: number;
  readonly workers: readonly NodeId[];
  readonly workload: WorkloadSpec;
  readonly timeout: Micros;
  readonly retries: number;
  readonly route: 'random' | 'home';
  readonly home: (doId: string) => number;
}

interface InFlight {
  readonly op: OpHandle;
  readonly req: number;
  readonly body: Value;
  attempts: number;
  worker: number;
  timer: TimerId;
}

export function doClient(o: DoClientOptions) {
  return (ctx: ProcessContext): Process => {
    let nextReq = 0;
    let counter = 0;
    let stopped = false;
    let issued = 0;
    let cur: InFlight | undefined;
    const scheduleNext = () => {
      if (stopped || (o.workload.opsPerClient !== undefined && issued >= o.workload.opsPerClient)) return;
      ctx.setTimer(thinkTime(o.workload, ctx.choices), 'next');
    };
    const sendCur = () => {
      if (!cur) return;
      ctx.send(o.workers[cur.worker % o.workers.length] as NodeId, { ...(cur.body as { readonly [k: string]: Value }), att: cur.attempts });
    };
    const issue = () => {
      const d = nextOp(o.workload, ctx.choices);
      const doId = `do${(d.key ?? 'k0').slice(1)}`;
      const value: Value = d.f === 'insert' ? uniqueValue(o.index + 1, ++counter) : null;
      const op = ctx.history.invoke(d.f, doId, value);
      const req = nextReq++;
      issued++;
      const worker = o.route === 'home' ? o.home(doId) : ctx.choices.int(o.workers.length, 'route.worker');
      cur = { op, req, body: { type: 'do', req, f: d.f, doId, value }, attempts: 1, worker, timer: ctx.setTimer(o.timeout, 'timeout') };
      sendCur();
    };
    return {
      onStart: scheduleNext,
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag, id) {
        if (tag === 'next') return issue();
        if (tag !== 'timeout' || !cur || cur.timer !== id) return;
        if (cur.attempts > o.retries) {
          ctx.history.info(cur.op);
          cur = undefined;
          return scheduleNext();
        }
        cur.attempts++;
        cur.worker++;
        cur.timer = ctx.setTimer(o.timeout, 'timeout');
        sendCur();
      },
      onMessage(_from, msg) {
        const m = msg as { type?: Value; req?: Value; att?: Value; ok?: Value; value?: Value };
        if (m?.type !== 'do-res' || !cur || m.req !== cur.req) return;
        // A refusal speaks for its own attempt only: wait for the latest one's answer.
        if (!m.ok && m.att !== cur.attempts) return;
        ctx.cancelTimer(cur.timer);
        if (m.ok) ctx.history.ok(cur.op, (m.value ?? null) as Value);
        // A refusal of a retry is final for that attempt, but an earlier one may still apply.
        else if (cur.attempts > 1) ctx.history.info(cur.op);
        else ctx.history.fail(cur.op, (m.value ?? null) as Value);
        cur = undefined;
        scheduleNext();
      },
    };
  };
}
