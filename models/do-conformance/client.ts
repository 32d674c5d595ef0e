import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, Value } from '../../sim/value.ts';
import { httpResponse, sendHttp, WsClient } from '../durable-object/client.ts';
import { pickWeighted, retryOrGiveUp } from '../../sim/workload.ts';
import type { FrameKind } from './echo.ts';

/**
 * A conformance client: one socket to each Echo object, frames of every kind in small batches,
 * a fresh connection after every close, and HTTP /inc (same request id on every retry), /count
 * and /ids. It records what it sent and received as probes (checks.ts judges them):
 *  - `conf.open` `{ c, obj }` when a connection opens (c: its id, fresh per connection);
 *  - `conf.sent` `{ c, i, k, n?, ms? }` for each frame sent, i unique per client;
 *  - `conf.recv` `{ c, d }` for each frame delivered to it, d the frame;
 *  - `conf.closed` `{ c }` when the connection ends on this side.
 * HTTP operations go to the history as `inc` (value: the request id), `count` and `ids`, keyed
 * by the object's name, completed ok with the object's answer or `info` after the retries.
 */

export const CONF_PROBES = { open: 'conf.open', sent: 'conf.sent', recv: 'conf.recv', closed: 'conf.closed' } as const;

export const FRAME_KINDS: readonly FrameKind[] = ['echo', 'burst', 'close', 'gate', 'sleep', 'timer'];
export const HTTP_OPS = ['inc', 'count', 'ids'] as const;

export interface ConfClientOptions {
  readonly worker: string;
  /** Names of the Echo objects; the client holds one socket to each. */
  readonly objects: readonly string[];
  /** Weights of what a step does: a frame kind or an HTTP operation. */
  readonly mix: Readonly<Record<string, number>>;
  /** Weights of the further frames of a batch (frame kinds only). */
  readonly frameMix: Readonly<Record<string, number>>;
  readonly think: { readonly min: Micros; readonly max: Micros };
  /** A step sends 1..batch frames at once (more than one frame in flight on a socket). */
  readonly batch: number;
  /** A burst asks for 0..burst-1 extra frames; sleeps and timers last 0..maxMs-1 ms. */
  readonly burst: number;
  readonly maxMs: number;
  readonly timeout: Micros;
  readonly retries: number;
  /** Delay before reconnecting after a close, drawn in [min, max]. */
  readonly reconnect: { readonly min: Micros; readonly max: Micros };
  readonly heartbeat: Micros;
  readonly wsTimeout: Micros;
}

interface InFlight {
  readonly op: OpHandle;
  readonly f: string;
  readonly obj: string;
  readonly rid: string;
  readonly body: Value;
  attempts: number;
  timer: TimerId;
}

const isObj = (v: Value): v is { readonly [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);

const draw = (ctx: ProcessContext, r: { readonly min: Micros; readonly max: Micros }, label: string): Micros => r.min + ctx.choices.int(r.max - r.min + 1, label);

export function confClient(o: ConfClientOptions) {
  return (ctx: ProcessContext): Process => {
    let stopped = false;
    let frames = 0;
    let ops = 0;
    let current: InFlight | undefined;
    // Request ids stay unique across this client's restarts (its counter starts again).
    const ridBase = `${ctx.id}.${ctx.incarnation}`;

    const sockets = new Map<string, WsClient>();
    for (const obj of o.objects) {
      const ws = new WsClient(
        ctx,
        { worker: o.worker, cls: 'Echo', name: obj, params: { client: ctx.id }, heartbeat: o.heartbeat, timeout: o.wsTimeout, connectTimeout: o.wsTimeout },
        obj,
      );
      ws.handlers = {
        onopen: () => ctx.probe(CONF_PROBES.open, true, { c: ws.connectionId, obj }),
        onmessage: (d) => ctx.probe(CONF_PROBES.recv, true, { c: ws.connectionId, d }),
        onclose: () => {
          ctx.probe(CONF_PROBES.closed, true, { c: ws.connectionId });
          // A fresh connection (a new id) after a drawn pause: long ones leave an object without
          // sockets, so it can idle out and cold-start again.
          ctx.setTimer(draw(ctx, o.reconnect, 'workload.reconnect'), { reconnect: obj });
        },
      };
      sockets.set(obj, ws);
    }

    const scheduleNext = () => {
      if (!stopped) ctx.setTimer(draw(ctx, o.think, 'workload.think'), 'next');
    };

    const sendFrame = (ws: WsClient, k: FrameKind) => {
      const i = frames++;
      const frame: Record<string, Value> = { k, i };
      if (k === 'burst') frame.n = ctx.choices.int(o.burst, 'workload.burst-n');
      if (k === 'sleep' || k === 'timer') frame.ms = ctx.choices.int(o.maxMs, 'workload.ms');
      const c = ws.connectionId;
      if (ws.send(frame)) ctx.probe(CONF_PROBES.sent, true, { c, ...frame });
    };

    const transmit = (f: InFlight) => sendHttp(ctx, o.worker, 'Echo', f.obj, `${f.rid}#${f.attempts}`, `/${f.f}`, f.body);

    const step = () => {
      const f = pickWeighted(o.mix, ctx.choices, 'workload.kind');
      const obj = o.objects[ctx.choices.int(o.objects.length, 'workload.obj')] as string;
      if ((HTTP_OPS as readonly string[]).includes(f)) {
        // One HTTP operation at a time (a history process has one pending).
        if (current) return;
        const rid = `${ridBase}-${ops++}`;
        const op = ctx.history.invoke(f, obj, f === 'inc' ? rid : null);
        current = { op, f, obj, rid, body: f === 'inc' ? { rid } : null, attempts: 1, timer: ctx.setTimer(o.timeout, 'timeout') };
        transmit(current);
        return;
      }
      const ws = sockets.get(obj) as WsClient;
      const n = 1 + ctx.choices.int(o.batch, 'workload.batch');
      sendFrame(ws, f as FrameKind);
      for (let b = 1; b < n; b++) sendFrame(ws, pickWeighted(o.frameMix, ctx.choices, 'workload.kind') as FrameKind);
    };

    const answered = (rid: string, body: Value) => {
      if (!current || current.rid !== rid) return;
      ctx.cancelTimer(current.timer);
      const { op } = current;
      current = undefined;
      ctx.history.ok(op, body);
    };

    return {
      onStart() {
        for (const ws of sockets.values()) ws.connect();
        scheduleNext();
      },
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag, id) {
        for (const ws of sockets.values()) if (ws.handleTimer(tag)) return;
        if (isObj(tag) && typeof tag.reconnect === 'string') return sockets.get(tag.reconnect)?.connect();
        if (tag === 'next') {
          if (stopped) return;
          step();
          return scheduleNext();
        }
        if (tag !== 'timeout' || !current || current.timer !== id) return;
        if (!retryOrGiveUp(ctx, current, o.retries, o.timeout)) {
          current = undefined;
          return;
        }
        transmit(current);
      },
      onMessage(_from, msg) {
        for (const ws of sockets.values()) if (ws.handleMessage(msg)) return;
        const res = httpResponse(msg);
        if (!res || res.status !== 200) return;
        answered(res.rid.split('#')[0] as string, res.body);
      },
    };
  };
}
