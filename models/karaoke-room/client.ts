import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, Value } from '../../sim/value.ts';
import { httpResponse, sendHttp, WsClient } from '../durable-object/client.ts';
import { pickWeighted, retryOrGiveUp } from '../../sim/workload.ts';

/**
 * A karaoke client (000, "Recommended Design Details" and "Candidate Models 1"): it holds the
 * latest room state it has seen, sends commands with a `requestId` over the WebSocket (HTTP
 * when the socket is down), retries on timeout with the same requestId, and applies only
 * states newer than the one it holds.
 */

export interface KaraokeClientOptions {
  readonly index: number;
  readonly user: string;
  readonly room: string;
  readonly worker: string;
  readonly mix: Readonly<Record<string, number>>;
  readonly think: { readonly min: Micros; readonly max: Micros };
  readonly timeout: Micros;
  readonly retries: number;
  readonly reconnectDelay: Micros;
  readonly heartbeat: Micros;
  readonly wsTimeout: Micros;
  /** Corrected: apply a delta only on top of the version it follows (else resync over HTTP). */
  readonly strictDeltas: boolean;
  /** Stop issuing operations at this local time (a device that leaves); default never. */
  readonly stopAt?: Micros;
  /**
   * A device that cannot open WebSockets (a proxy strips the upgrade): every command goes over
   * HTTP, the document's fallback, and it reconciles by polling GET /state this often.
   */
  readonly httpOnly?: { readonly poll: Micros };
  /** bug:user-request-ids: requestIds numbered per user, not per device (`<user>-<n>`). */
  readonly requestIdPerUser?: boolean;
  /**
   * A fixed list of commands instead of draws from `mix`; the device stops after the last. The
   * explorer's small configurations use it, so a run draws nothing but the schedule.
   */
  readonly script?: readonly string[];
}

interface View {
  version: number;
  queue: [string, number][];
  current: string | null;
}

interface InFlight {
  readonly op: OpHandle;
  readonly f: string;
  readonly cmd: Record<string, Value>;
  attempts: number;
  timer: TimerId;
}

const isObj = (v: Value): v is { readonly [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function karaokeClient(o: KaraokeClientOptions) {
  return (ctx: ProcessContext): Process => {
    const view: View = { version: -1, queue: [], current: null };
    let stopped = false;
    let counter = 0;
    let current: InFlight | undefined;
    let resyncing = false;
    let polls = 0;
    let issued = 0;
    const ws = new WsClient(
      ctx,
      { worker: o.worker, cls: 'Room', name: o.room, params: { user: o.user }, heartbeat: o.heartbeat, timeout: o.wsTimeout, connectTimeout: o.wsTimeout },
      'room',
    );

    /** Every state this client shows, with its version (the invariants over time read these); a copy, as deltas edit the view in place. */
    const shown = () =>
      ctx.probe('karaoke.view', true, { version: view.version, state: { stateVersion: view.version, queue: view.queue.map(([id, v]) => [id, v]), current: view.current } as unknown as Value });

    const applyState = (s: Value) => {
      if (!isObj(s) || typeof s.stateVersion !== 'number') return;
      // "Clients only apply states with a higher version than their current one."
      if (s.stateVersion <= view.version) return;
      view.version = s.stateVersion;
      view.queue = (s.queue as [string, number][]).map(([id, v]) => [id, v]);
      view.current = (s.current as string | null) ?? null;
      shown();
    };

    const applyDelta = (d: { readonly [k: string]: Value }) => {
      const v = d.stateVersion as number;
      if (v <= view.version) return;
      if (o.strictDeltas && v !== view.version + 1) {
        // A delta only makes sense on top of the state it follows: resync instead.
        if (!resyncing) {
          resyncing = true;
          sendHttp(ctx, o.worker, 'Room', o.room, `${ctx.id}-sync-${counter++}`, '/state', null);
        }
        return;
      }
      view.version = v;
      const e = view.queue.find(([id]) => id === d.song);
      if (e && typeof d.votes === 'number') e[1] = d.votes;
      shown();
    };

    const poll = () => {
      if (!o.httpOnly) return;
      sendHttp(ctx, o.worker, 'Room', o.room, `${ctx.id}-sync-p${polls++}`, '/state', null);
      ctx.setTimer(o.httpOnly.poll, 'poll');
    };

    ws.handlers = {
      onopen() {
        ctx.probe('karaoke.socket', true, { open: true });
      },
      onmessage(data) {
        if (!isObj(data)) return;
        if (data.type === 'state') applyState(data);
        else if (data.type === 'delta') applyDelta(data);
        else if (data.type === 'result') onResult(data.requestId as string, data);
      },
      onclose() {
        ctx.probe('karaoke.socket', true, { open: false });
        ctx.setTimer(o.reconnectDelay, 'reconnect');
      },
    };

    const scheduleNext = () => {
      if (stopped) return;
      ctx.setTimer(o.think.min + ctx.choices.int(o.think.max - o.think.min + 1, 'workload.think'), 'next');
    };

    const pickSong = (): string | undefined => {
      if (view.queue.length === 0) return undefined;
      return view.queue[ctx.choices.int(view.queue.length, 'workload.song')]?.[0];
    };

    const drawF = (): string => pickWeighted(o.mix, ctx.choices, 'workload.f');

    const transmit = (cmd: Record<string, Value>) => {
      if (!ws.send(cmd)) sendHttp(ctx, o.worker, 'Room', o.room, `${cmd.requestId as string}#${current?.attempts ?? 0}`, '/command', cmd);
    };

    const issue = () => {
      if (stopped) return;
      if (o.script && issued >= o.script.length) {
        stopped = true;
        return;
      }
      let f = o.script ? (o.script[issued] as string) : drawF();
      issued++;
      // A scripted device draws a song only for a command that needs one (a draw that changes
      // nothing would double the explorer's tree); mix-driven devices keep their draw order.
      const song = o.script === undefined || f === 'vote' || f === 'remove' || f === 'reorder' ? pickSong() : undefined;
      if ((f === 'vote' || f === 'remove' || f === 'reorder') && song === undefined) f = 'add';
      const requestId = `${o.requestIdPerUser ? o.user : ctx.id}-${counter++}`;
      let cmd: Record<string, Value>;
      let input: Value;
      switch (f) {
        case 'add': {
          const id = `${o.user}:${requestId}`;
          cmd = { op: 'add', requestId, song: id, by: o.user };
          input = id;
          break;
        }
        case 'vote':
        case 'remove':
          cmd = { op: f, requestId, song: song as string };
          input = song as string;
          break;
        case 'reorder': {
          const to = ctx.choices.int(Math.max(1, view.queue.length), 'workload.to');
          cmd = { op: 'reorder', requestId, song: song as string, to, expectedVersion: view.version };
          input = [song as string, to];
          break;
        }
        case 'next':
        case 'skip':
          cmd = { op: f, requestId, expectedVersion: view.version };
          input = null;
          break;
        default:
          cmd = { op: 'read', requestId };
          input = null;
      }
      const op = ctx.history.invoke(f === 'skip' ? 'next' : f, undefined, input);
      current = { op, f, cmd, attempts: 1, timer: ctx.setTimer(o.timeout, 'timeout') };
      transmit(cmd);
    };

    const onResult = (requestId: string, body: { readonly [k: string]: Value }) => {
      const st = body.state ?? null;
      if (isObj(st)) applyState(st);
      if (!current || current.cmd.requestId !== requestId) return;
      const { op, cmd } = current;
      ctx.cancelTimer(current.timer);
      current = undefined;
      if (body.ok === true && typeof cmd.expectedVersion === 'number') {
        // The optimistic-concurrency rule, as the client sees it: applied at the version it expected.
        const applied = isObj(st) ? (st.stateVersion ?? null) : null;
        ctx.probe('karaoke.versioned', true, { rid: requestId, expected: cmd.expectedVersion, applied });
      } else if (body.reason === 'version' && typeof cmd.expectedVersion === 'number') {
        // ... and refused only at another version: the refusal carries the room's state when it refused.
        const rejected = isObj(st) ? (st.stateVersion ?? null) : null;
        ctx.probe('karaoke.versioned', true, { rid: requestId, expected: cmd.expectedVersion, rejected });
      }
      if (body.ok === true) ctx.history.ok(op, body.value ?? null);
      else ctx.history.fail(op, body.reason ?? null);
      scheduleNext();
    };

    return {
      onStart() {
        if (o.httpOnly) poll();
        else ws.connect();
        scheduleNext();
      },
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag, id) {
        if (ws.handleTimer(tag)) return;
        if (tag === 'reconnect') return ws.connect();
        if (tag === 'poll') return poll();
        if (tag === 'next') {
          if (o.stopAt !== undefined && ctx.now() >= o.stopAt) {
            stopped = true;
            return;
          }
          return issue();
        }
        if (tag !== 'timeout' || !current || current.timer !== id) return;
        if (!retryOrGiveUp(ctx, current, o.retries, o.timeout)) {
          current = undefined;
          return scheduleNext();
        }
        transmit(current.cmd);
      },
      onMessage(_from, msg) {
        if (ws.handleMessage(msg)) return;
        const res = httpResponse(msg);
        if (!res) return;
        if (res.rid.includes('-sync-')) {
          resyncing = false;
          if (isObj(res.body)) applyState(res.body.state ?? null);
          return;
        }
        if (!isObj(res.body)) return;
        onResult(res.rid.split('#')[0] as string, res.body);
      },
      observedState: () => ({ room: `Room:${o.room}`, state: { stateVersion: view.version, queue: view.queue, current: view.current } }),
      /** Its whole memory (for the explorer): the view, the counters, the command in flight and the socket. */
      fingerprint: () =>
        JSON.stringify([
          view.version,
          view.queue,
          view.current,
          stopped,
          counter,
          current ? [current.op.id, current.op.process, current.f, current.cmd, current.attempts, current.timer] : null,
          resyncing,
          polls,
          issued,
          ws.fingerprint(),
        ]),
    };
  };
}
