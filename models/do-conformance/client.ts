import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, Value } from '../../sim/value.ts';
import { httpResponse, sendHttp, WsClient } from '../durable-object/client.ts';
import { pickWeighted, retryOrGiveUp } from '../../sim/workload.ts';
import { ApiContract } from './api-contract.ts';
import type { FrameKind } from './echo.ts';

/**
 * A conformance client: one socket to each Echo object, frames of every kind in small batches,
 * a fresh connection after every close, and HTTP /inc (same request id on every retry), /count
 * and /ids. It records what it sent and received as probes (checks.ts judges them):
 *  - `conf.open` `{ c, obj }` when a connection opens (c: its id, fresh per connection);
 *  - `conf.sent` `{ c, i, k, n?, ms? }` for each frame sent, i unique per client;
 *  - `conf.recv` `{ c, d }` for each frame delivered to it, d the frame;
 *  - `conf.closed` `{ c }` when the connection ends on this side;
 *  - `conf.hangup` `{ c, n }` when the program closes an open connection itself (the `hangup`
 *    step), right before the close(), n the frames sent on it (the last batch still in flight);
 *  - `conf.http-sent` `{ rid }` for each HTTP attempt (rid: request id `#` attempt) and
 *    `conf.http-res` `{ rid, status }` for each response that arrives, stale attempts' too;
 *  - `conf.api` `{ what, c, ... }`: the runtime client's API promises (api-contract.ts), false
 *    when one broke; per event only when it broke, per `reopen`, `hangup` and `close again` step
 *    either way.
 * Besides frames and HTTP, a step may be `reopen` (connect() on a connecting or open socket: it
 * must change nothing) or `hangup` (on an open socket, a batch of frames and then close(); once in
 * a while close() again, which must do nothing). After every close, whoever made it, the client
 * reconnects on a fresh connection id after a drawn delay.
 * HTTP operations go to the history as `inc` (value: the request id), `count` and `ids`, keyed
 * by the object's name, completed ok with the object's answer or `info` after the retries.
 */

export const CONF_PROBES = {
  open: 'conf.open',
  sent: 'conf.sent',
  recv: 'conf.recv',
  closed: 'conf.closed',
  hangup: 'conf.hangup',
  httpSent: 'conf.http-sent',
  httpRes: 'conf.http-res',
} as const;

export const FRAME_KINDS: readonly FrameKind[] = ['echo', 'burst', 'close', 'gate', 'sleep', 'timer'];
export const HTTP_OPS = ['inc', 'count', 'ids', 'lasts'] as const;
/** Steps on a socket itself rather than a frame: connect() again, and the program's own close. */
export const SOCKET_OPS = ['reopen', 'hangup'] as const;

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
  /** Probability that a hangup calls close() a second time on the closed socket (it must do nothing). */
  readonly closeAgain: number;
  /**
   * Probability that a connection asks the object to close it right after its hello (params
   * `closeOnOpen`): the close leaves with the accept, and a reordering link lets it overtake it
   * (the client must hold it until it is open and has the hello). Absent: never, and no draw.
   */
  readonly closeOnOpen?: number;
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
    const api = new ApiContract(ctx);

    /** What a connection attempt sends the object: who it is, and whether to be closed at once. */
    const connectParams = (): Value => {
      const p = o.closeOnOpen ?? 0;
      return p > 0 && ctx.choices.bool(p, 'workload.close-on-open') ? { client: ctx.id, closeOnOpen: true } : { client: ctx.id };
    };

    const sockets = new Map<string, WsClient>();
    for (const obj of o.objects) {
      const ws = new WsClient(
        ctx,
        { worker: o.worker, cls: 'Echo', name: obj, params: () => connectParams(), heartbeat: o.heartbeat, timeout: o.wsTimeout, connectTimeout: o.wsTimeout },
        obj,
      );
      ws.handlers = {
        onopen: () => {
          api.onopen(ws);
          ctx.probe(CONF_PROBES.open, true, { c: ws.connectionId, obj });
        },
        onmessage: (d) => {
          api.onmessage(ws);
          ctx.probe(CONF_PROBES.recv, true, { c: ws.connectionId, d });
        },
        onclose: () => {
          api.onclose(ws);
          ctx.probe(CONF_PROBES.closed, true, { c: ws.connectionId });
          // A fresh connection (a new id) after a drawn pause: long ones leave an object without
          // sockets, so it can idle out and cold-start again.
          ctx.setTimer(draw(ctx, o.reconnect, 'workload.reconnect'), { reconnect: obj });
        },
      };
      sockets.set(obj, ws);
    }

    /** The tag of the first socket that claims an event (as a browser's sockets would each see only theirs). */
    const claim = (take: (ws: WsClient) => boolean): string | undefined => {
      for (const [obj, ws] of sockets) if (take(ws)) return obj;
      return undefined;
    };

    const scheduleNext = () => {
      if (!stopped) ctx.setTimer(draw(ctx, o.think, 'workload.think'), 'next');
    };

    const sendFrame = (ws: WsClient, k: FrameKind) => {
      const i = frames++;
      const frame: Record<string, Value> = { k, i };
      if (k === 'burst') frame.n = ctx.choices.int(o.burst, 'workload.burst-n');
      if (k === 'sleep' || k === 'timer') frame.ms = ctx.choices.int(o.maxMs, 'workload.ms');
      const c = ws.connectionId;
      if (api.send(ws, frame)) ctx.probe(CONF_PROBES.sent, true, { c, ...frame });
    };

    const transmit = (f: InFlight) => {
      ctx.probe(CONF_PROBES.httpSent, true, { rid: `${f.rid}#${f.attempts}` });
      sendHttp(ctx, o.worker, 'Echo', f.obj, `${f.rid}#${f.attempts}`, `/${f.f}`, f.body);
    };

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
      if (f === 'reopen') {
        // A socket waiting for its reconnect timer is closed: connect() would open it early, which
        // is no promise to test (the timer's connect() then finds it connecting).
        if (ws.readyState !== 'closed') api.reopen(ws);
        return;
      }
      if (f === 'hangup') {
        if (ws.readyState !== 'open') return;
        // Frames in flight at the close: it must carry them (the host applies them before it).
        const n = 1 + ctx.choices.int(o.batch, 'workload.batch');
        for (let b = 0; b < n; b++) sendFrame(ws, pickWeighted(o.frameMix, ctx.choices, 'workload.kind') as FrameKind);
        ctx.probe(CONF_PROBES.hangup, true, { c: ws.connectionId, n: api.sentOn(ws.connectionId) });
        api.hangup(ws, ctx.choices.bool(o.closeAgain, 'workload.close-again'));
        return;
      }
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
        for (const ws of sockets.values()) api.connect(ws);
        scheduleNext();
      },
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag, id) {
        const by = claim((ws) => ws.handleTimer(tag));
        api.timer(tag, by);
        if (by !== undefined) return;
        if (isObj(tag) && typeof tag.reconnect === 'string') {
          const ws = sockets.get(tag.reconnect);
          if (ws) api.connect(ws);
          return;
        }
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
        const by = claim((ws) => ws.handleMessage(msg));
        api.message(msg, by);
        if (by !== undefined) return;
        const res = httpResponse(msg);
        if (res) ctx.probe(CONF_PROBES.httpRes, true, { rid: res.rid, status: res.status });
        if (!res || res.status !== 200) return;
        answered(res.rid.split('#')[0] as string, res.body);
      },
    };
  };
}
