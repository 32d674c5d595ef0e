import type { OpHandle, Process, ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, Value } from '../../sim/value.ts';
import { httpResponse, sendHttp, WsClient } from '../durable-object/client.ts';
import { pickWeighted, retryOrGiveUp } from '../../sim/workload.ts';

/**
 * A Waddle client: the document's `WaddleWebSocket` (client/websocket.ts) for the Waddle socket
 * and the same class for the channel socket, plus the HTTP POST of chat messages to the
 * channel (routed by the Worker to ChannelDurableObject's /message).
 *
 * History operations: `presence` (the presence_update sent on every open; ok when the socket
 * took it, fail when `send` dropped it because the socket was not OPEN), `typing` (same),
 * `post` (HTTP, ok with the sequence, retried with the same messageId, info when retries run out).
 */

export interface WaddleClientOptions {
  readonly user: string;
  readonly waddle: string;
  readonly channel: string;
  readonly worker: string;
  readonly mix: Readonly<Record<string, number>>;
  readonly think: { readonly min: Micros; readonly max: Micros };
  readonly timeout: Micros;
  readonly retries: number;
  readonly heartbeat: Micros;
  readonly wsTimeout: Micros;
  /** The document's cap: give up after 5 reconnect attempts (as-written); corrected never gives up. */
  readonly maxAttempts: number;
  /** Ask the channel for messages after the last sequence seen when (re)connecting (corrected). */
  readonly resumeFromLastSeq: boolean;
  /** Local time at which this device leaves (hangs up if in the call, closes its sockets, stops). */
  readonly leaveAt?: Micros;
  /**
   * Voice (VoiceChannelDurableObject): a third socket to the voice channel, op `voice` in the
   * mix toggles join / leave, the device joins on its own at `joinAt` (local time) if it has
   * not yet, and hangs up (stays on the page) at `hangUpAt` if it is in the call then. Absent: no
   * voice socket at all.
   */
  readonly voice?: { readonly channel: string; readonly joinAt?: Micros; readonly hangUpAt?: Micros };
}

const isObj = (v: Value): v is { readonly [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What a client shows, probed each time it changes (see factFreshWithin and noPhantomEntries in
 * ../durable-object/view-checks.ts): the presence map, the typing set and the participant list
 * as `{ facts, self }` (`self`: this device's user), each received message as `{ rid, sequence }`,
 * each socket's open and close as `{ open }`, and each connect attempt (`connect`: `{ socket }`).
 */
export const VIEW_PROBES = {
  presence: 'waddle.presence.view',
  typing: 'waddle.typing.view',
  participants: 'waddle.participants.view',
  received: 'waddle.received',
  socket: { Waddle: 'waddle.socket.waddle', Channel: 'waddle.socket.channel', VoiceChannel: 'waddle.socket.voice' }, connect: 'waddle.connect',
} as const;

const setFacts = (xs: readonly string[]): Value => Object.fromEntries([...xs].sort().map((u) => [u, true]));

export function waddleClient(o: WaddleClientOptions) {
  return (ctx: ProcessContext): Process => {
    let stopped = false;
    let gone = false;
    let counter = 0;
    let post: { op: OpHandle; body: Value; mid: string; attempts: number; timer: TimerId } | undefined;
    const received: [number, string][] = [];
    let typing: string[] = [];
    const presence = new Map<string, string>();

    /** The document's class, one instance per socket. */
    const makeSocket = (cls: 'Waddle' | 'Channel' | 'VoiceChannel', name: string, tag: string, onopen: () => void, onmessage: (m: Value) => void) => {
      const params = (): Value => ({ user: o.user, ...(o.resumeFromLastSeq && cls === 'Channel' ? { lastSeq: received[received.length - 1]?.[0] ?? 0 } : {}) });
      const ws = new WsClient(ctx, { worker: o.worker, cls, name, params, heartbeat: o.heartbeat, timeout: o.wsTimeout, connectTimeout: o.wsTimeout }, tag);
      let reconnectAttempts = 0;
      const connect = () => { ctx.probe(VIEW_PROBES.connect, true, { socket: tag }); ws.connect(); }; // probed: the backoff check reads attempt times
      const reconnect = () => {
        if (reconnectAttempts >= o.maxAttempts) {
          ctx.log(`${tag}: Max reconnection attempts reached`);
          return;
        }
        const delay = Math.min(1000_000 * Math.pow(2, reconnectAttempts), 30_000_000);
        ctx.setTimer(delay, { reconnect: tag });
      };
      const socketProbe = VIEW_PROBES.socket[cls];
      ws.handlers = {
        onopen() {
          ctx.probe(socketProbe, true, { open: true, self: o.user });
          reconnectAttempts = 0;
          onopen();
        },
        onmessage: onmessage,
        onclose() {
          ctx.probe(socketProbe, true, { open: false });
          if (!gone) reconnect();
        },
      };
      return {
        ws,
        /** The page closes this socket without onclose (abandon): say so for the view checks. */
        abandon() {
          if (ws.readyState === 'open') ctx.probe(socketProbe, true, { open: false });
          ws.abandon();
        },
        connect,
        onReconnectTimer() {
          reconnectAttempts++;
          connect();
        },
      };
    };

    /**
     * Sends a frame as operation `f` (recorded with `recorded`, by default the frame): ok if the
     * socket took it. Returns whether it did.
     */
    const sendOp = (ws: WsClient, f: string, data: Value, recorded: Value = data): boolean => {
      // One operation at a time per client: a presence update sent while a post is pending is
      // sent but not recorded.
      if (post) return ws.send(data);
      const op = ctx.history.invoke(f, undefined, recorded);
      // send(type, data): only if readyState === OPEN, silently dropped otherwise.
      const sent = ws.send(data);
      if (sent) ctx.history.ok(op, null);
      else ctx.history.fail(op, 'socket not open');
      return sent;
    };

    const waddle = makeSocket(
      'Waddle',
      o.waddle,
      'waddle',
      () => sendOp(waddle.ws, 'presence', { type: 'presence_update', status: 'online' }),
      (m) => {
        if (!isObj(m)) return;
        if (m.type === 'presence_state') {
          presence.clear();
          for (const [u, s] of m.users as [string, string][]) presence.set(u, s);
        } else if (m.type === 'presence_update') presence.set(m.userId as string, m.status as string);
        else return;
        ctx.probe(VIEW_PROBES.presence, true, { facts: Object.fromEntries([...presence.entries()].sort()), self: o.user });
      },
    );
    const channel = makeSocket(
      'Channel',
      o.channel,
      'channel',
      () => {},
      (m) => {
        if (!isObj(m)) return;
        if (m.type === 'message') {
          received.push([m.sequence as number, m.messageId as string]);
          ctx.probe(VIEW_PROBES.received, true, { rid: m.messageId as string, sequence: m.sequence as number });
        } else if (m.type === 'typing') {
          typing = [...(m.users as string[])].sort();
          ctx.probe(VIEW_PROBES.typing, true, { facts: setFacts(typing), self: o.user });
        }
      },
    );

    // Voice: whether this device is in the call (the user's intent), and the list the DO sent.
    let inCall = false;
    let participants: string[] = [];
    const voice = o.voice
      ? makeSocket(
          'VoiceChannel',
          o.voice.channel,
          'voice',
          () => {
            // A device in the call joins again on every (re)connect, as it says online.
            if (inCall) voice?.ws.send({ type: 'voice_join', channelId: o.voice?.channel ?? '' });
          },
          (m) => {
            if (!isObj(m) || m.type !== 'participants') return;
            participants = [...(m.users as string[])].sort();
            ctx.probe(VIEW_PROBES.participants, true, { facts: setFacts(participants), self: o.user });
          },
        )
      : undefined;

    /** Joins or leaves the call: op `voice-join` / `voice-leave`, ok if the socket took it. */
    const voiceOp = (join: boolean) => {
      if (!voice || !o.voice) return;
      const data = { type: join ? 'voice_join' : 'voice_leave', channelId: o.voice.channel };
      if (sendOp(voice.ws, join ? 'voice-join' : 'voice-leave', data, o.user)) inCall = join;
    };

    const scheduleNext = () => {
      if (stopped) return;
      ctx.setTimer(o.think.min + ctx.choices.int(o.think.max - o.think.min + 1, 'workload.think'), 'next');
    };

    const drawF = (): string => pickWeighted(o.mix, ctx.choices, 'workload.f');

    const issue = () => {
      const f = drawF();
      if (f === 'typing') {
        sendOp(channel.ws, 'typing', { type: 'typing', isTyping: true });
        return scheduleNext();
      }
      if (f === 'voice') {
        voiceOp(!inCall);
        return scheduleNext();
      }
      const mid = `${ctx.id}-m${counter++}`;
      const body = { messageId: mid, userId: o.user, text: `hello ${counter}` };
      const op = ctx.history.invoke('post', undefined, mid);
      post = { op, body, mid, attempts: 1, timer: ctx.setTimer(o.timeout, 'timeout') };
      sendHttp(ctx, o.worker, 'Channel', o.channel, `${mid}#1`, '/message', body);
    };

    const closePage = () => {
      gone = true;
      stopped = true;
      voice?.abandon();
      waddle.abandon();
      channel.abandon();
      ctx.log('device leaves');
    };

    const leave = () => {
      stopped = true;
      // In the call: hang up, then close the page at once (the document waits for nothing). The
      // close follows the leave frame on the voice socket, as on one TCP stream.
      if (inCall && voice?.ws.readyState === 'open') voiceOp(false);
      closePage();
    };

    return {
      onStart() {
        waddle.connect();
        channel.connect();
        scheduleNext();
        if (o.leaveAt !== undefined) ctx.setTimer(o.leaveAt, 'leave');
        if (voice) {
          voice.connect();
          // A page (re)started after joinAt does not join by itself.
          const joinAt = o.voice?.joinAt;
          if (joinAt !== undefined && ctx.now() < joinAt) ctx.setTimer(joinAt - ctx.now(), 'voice-join');
          const hangUpAt = o.voice?.hangUpAt;
          if (hangUpAt !== undefined && ctx.now() < hangUpAt) ctx.setTimer(hangUpAt - ctx.now(), 'voice-hangup');
        }
      },
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag, id) {
        // A page that left still has its system's TCP under it: its sockets' timers run on (a
        // clean close is sent again until the host answers it).
        if (waddle.ws.handleTimer(tag) || channel.ws.handleTimer(tag) || (voice?.ws.handleTimer(tag) ?? false)) return;
        if (gone) return;
        if (isObj(tag) && tag.reconnect === 'waddle') return waddle.onReconnectTimer();
        if (isObj(tag) && tag.reconnect === 'channel') return channel.onReconnectTimer();
        if (voice && isObj(tag) && tag.reconnect === 'voice') return voice.onReconnectTimer();
        if (tag === 'voice-join') return stopped || inCall ? undefined : voiceOp(true);
        if (tag === 'voice-hangup') return inCall ? voiceOp(false) : undefined;
        if (tag === 'leave') return leave();
        if (tag === 'next') return stopped ? undefined : issue();
        if (tag !== 'timeout' || !post || post.timer !== id) return;
        if (!retryOrGiveUp(ctx, post, o.retries, o.timeout)) {
          post = undefined;
          return scheduleNext();
        }
        sendHttp(ctx, o.worker, 'Channel', o.channel, `${post.mid}#${post.attempts}`, '/message', post.body);
      },
      onMessage(_from, msg) {
        // The host's answer to a clean close reaches the sockets of a page that left, as above.
        if (waddle.ws.handleMessage(msg) || channel.ws.handleMessage(msg) || (voice?.ws.handleMessage(msg) ?? false)) return;
        if (gone) return;
        const res = httpResponse(msg);
        if (!res || !post || res.rid.split('#')[0] !== post.mid) return;
        ctx.cancelTimer(post.timer);
        const { op } = post;
        post = undefined;
        const body = res.body as { sequence?: Value } | null;
        if (res.status === 200) ctx.history.ok(op, body?.sequence ?? null);
        else ctx.history.fail(op, res.status);
        scheduleNext();
      },
      observedState: () => ({
        user: o.user,
        /** The device left (its page is closed): it is asked for no socket and no answer. */
        gone,
        waddleOpen: waddle.ws.readyState === 'open',
        channelOpen: channel.ws.readyState === 'open',
        received,
        typing,
        presence: Object.fromEntries([...presence.entries()].sort()),
        ...(voice ? { voice: { open: voice.ws.readyState === 'open', inCall, participants } } : {}),
      }),
      fingerprint: () => `${received.length}:${post?.mid ?? '-'}`,
    };
  };
}
