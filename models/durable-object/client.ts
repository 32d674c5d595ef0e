import type { ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import { frameHash, WS_PROBE, type EndReason, type Frames, type ToClient } from './runtime.ts';

/**
 * The client side of the runtime's WebSocket and HTTP, for client processes. A process owns a
 * few of these and offers them every message and timer first (`handle*` return true when the
 * event was theirs).
 *
 * Closes are ordered as on one TCP stream: a close sent here carries how many frames this side
 * sent before it (the host applies them all first), and a close from the host takes effect only
 * once every frame the host sent before it has been delivered here (see runtime.ts). A clean close
 * from here is sent again, as TCP sends its FIN again (FIN_WAIT), until the host answers it with
 * its own close or `timeout` and a heartbeat have passed: a close lost on the way would otherwise
 * leave the host waiting out its timeout, and its program would see a broken connection where this
 * side closed cleanly.
 */

export type ReadyState = 'connecting' | 'open' | 'closed';

export interface WsClientOptions {
  readonly worker: NodeId;
  readonly cls: string;
  readonly name: string;
  /** Sent with every connection attempt; a function is asked afresh each time. */
  readonly params: Value | (() => Value);
  /** Ping period and the silence after which the socket counts as broken. */
  readonly heartbeat: Micros;
  readonly timeout: Micros;
  /** A connection attempt that is not accepted within this fails (fires onclose). */
  readonly connectTimeout: Micros;
  /** Retransmission timeout of unacknowledged frames (default 200 ms, doubling up to `heartbeat`); see runtime.ts. */
  readonly rto?: Micros;
}

export interface WsHandlers {
  onopen?(): void;
  onmessage?(data: Value): void;
  onclose?(): void;
}

const isObj = (v: Value): v is { readonly [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A clean close sent and not yet answered: the message, sent again with backoff until `since` + timeout + heartbeat. */
interface Fin {
  readonly msg: Value;
  readonly rto: Micros;
  readonly since: Micros;
  readonly timer: TimerId;
}

/** One WebSocket (re)connectable many times; each connect() is a new connection id. */
export class WsClient {
  readyState: ReadyState = 'closed';
  private conn = '';
  private attempt = 0;
  private outSeq = 0;
  private inSeq = 0;
  private lastHeard = 0;
  /** Frames that arrived ahead of a missing one (TCP's reorder buffer), and since when. */
  private readonly early = new Map<number, Value>();
  private holeSince = 0;
  /** The host closed after this many frames: the close takes effect once they are delivered. */
  private closeAfter: number | undefined;
  private timer: TimerId | undefined;
  /** Frames sent and not yet acknowledged (TCP's retransmission queue), since when without progress. */
  private readonly unacked = new Map<number, Value>();
  private unackedSince = 0;
  private rtxTimer: TimerId | undefined;
  private rto = 0;
  /** Clean closes sent and not yet answered by the host, by connection (TCP's FIN_WAIT). */
  private readonly fins = new Map<string, Fin>();
  handlers: WsHandlers = {};

  constructor(
    private readonly ctx: ProcessContext,
    readonly opts: WsClientOptions,
    private readonly tagName: string,
  ) {}

  get connectionId(): string {
    return this.conn;
  }

  /**
   * Every field that can change what this socket does later (for its owner's fingerprint()).
   * The handlers are the owner's code, set once; what is state is whether abandon() cleared them.
   */
  fingerprint(): string {
    return JSON.stringify([
      this.readyState,
      this.conn,
      this.attempt,
      this.outSeq,
      this.inSeq,
      this.lastHeard,
      [...this.early],
      this.holeSince,
      this.closeAfter ?? null,
      this.timer ?? null,
      [...this.unacked],
      this.unackedSince,
      this.rtxTimer ?? null,
      this.rto,
      [...this.fins].map(([c, f]) => [c, f.rto, f.since, f.timer]),
      Object.keys(this.handlers).join(','),
    ]);
  }

  connect(): void {
    if (this.readyState !== 'closed') return;
    this.attempt++;
    // A restarted process starts counting again: its incarnation keeps the ids of its new
    // connections apart from the old ones the host may still hold (as a new TCP connection gets
    // a fresh port). waddle-voice-dropout: a phone that died and came back reused `c4/channel/1`
    // (two connections under one id to the transport check), and a host that still knew the old
    // one would have dropped the new upgrade as a duplicate of it.
    this.conn = `${this.ctx.id}/${this.tagName}/${this.ctx.incarnation > 1 ? `${this.ctx.incarnation}.` : ''}${this.attempt}`;
    this.outSeq = 0;
    this.inSeq = 0;
    this.early.clear();
    this.unacked.clear();
    this.stopRtx();
    this.rto = this.baseRto;
    this.closeAfter = undefined;
    this.readyState = 'connecting';
    const { cls, name } = this.opts;
    const params = typeof this.opts.params === 'function' ? this.opts.params() : this.opts.params;
    this.ctx.send(this.opts.worker, { t: 'ws-open', cls, name, conn: this.conn, params });
    this.arm(this.opts.connectTimeout);
  }

  /** Sends a frame if the socket is open; false otherwise (the frame is not sent). */
  send(data: Value): boolean {
    if (this.readyState !== 'open') return false;
    this.outSeq++;
    if (this.unacked.size === 0) this.unackedSince = this.ctx.monotonic();
    this.unacked.set(this.outSeq, data);
    this.ctx.probe(WS_PROBE.tx, true, { c: this.conn, by: 'client', s: this.outSeq, h: frameHash(data) });
    const { cls, name } = this.opts;
    this.ctx.send(this.opts.worker, { t: 'ws', cls, name, conn: this.conn, seq: this.outSeq, data });
    if (this.rtxTimer === undefined) this.rtxTimer = this.ctx.setTimer(this.rto, { ws: this.tagName, conn: this.conn, rtx: true });
    return true;
  }

  private get baseRto(): Micros {
    return this.opts.rto ?? 200_000;
  }

  private stopRtx(): void {
    if (this.rtxTimer !== undefined) this.ctx.cancelTimer(this.rtxTimer);
    this.rtxTimer = undefined;
  }

  /** The frames the host has not acknowledged: a close carries them as their last retransmission. */
  private pending(): Frames {
    return [...this.unacked];
  }

  private retransmit(): void {
    this.rtxTimer = undefined;
    if (this.readyState !== 'open' || this.unacked.size === 0) return;
    const { cls, name } = this.opts;
    const again: number[] = [];
    for (const [seq, data] of this.unacked) {
      this.ctx.send(this.opts.worker, { t: 'ws', cls, name, conn: this.conn, seq, data });
      again.push(seq);
    }
    this.ctx.probe(WS_PROBE.rtx, true, { c: this.conn, by: 'client', s: again });
    this.rto = Math.min(2 * this.rto, this.opts.heartbeat);
    this.rtxTimer = this.ctx.setTimer(this.rto, { ws: this.tagName, conn: this.conn, rtx: true });
  }

  private acked(seq: number): void {
    let progress = false;
    for (const k of [...this.unacked.keys()]) {
      if (k > seq) continue;
      this.unacked.delete(k);
      progress = true;
    }
    if (!progress) return;
    this.ctx.probe(WS_PROBE.ack, true, { c: this.conn, by: 'client', s: seq });
    this.unackedSince = this.ctx.monotonic();
    this.rto = this.baseRto;
    this.stopRtx();
    if (this.unacked.size > 0) this.rtxTimer = this.ctx.setTimer(this.rto, { ws: this.tagName, conn: this.conn, rtx: true });
  }

  /** Closes from this side; onclose fires, as in a browser. */
  close(): void {
    this.shut('app');
  }

  /** Ends the connection from this side and tells the host (the program's close, or a dead path). */
  private shut(why: 'app' | 'timeout'): void {
    if (this.readyState === 'closed') return;
    // A dead path aborts (its close is sent once, as TCP's reset); a clean close is a FIN.
    if (why === 'app') this.sendFin();
    else {
      const { cls, name } = this.opts;
      this.ctx.send(this.opts.worker, { t: 'ws-close', cls, name, conn: this.conn, last: this.outSeq, frames: this.pending() });
    }
    this.closed(why);
  }

  /** Sends this connection's clean close, and again on the retransmission timer until the host answers. */
  private sendFin(): void {
    const { cls, name } = this.opts;
    const msg: Value = { t: 'ws-close', cls, name, conn: this.conn, last: this.outSeq, frames: this.pending() };
    this.ctx.send(this.opts.worker, msg);
    const old = this.fins.get(this.conn);
    if (old) this.ctx.cancelTimer(old.timer);
    const rto = this.baseRto;
    this.fins.set(this.conn, { msg, rto, since: this.ctx.monotonic(), timer: this.ctx.setTimer(rto, { ws: this.tagName, conn: this.conn, fin: true }) });
  }

  private resendFin(conn: string): void {
    const f = this.fins.get(conn);
    if (!f) return;
    if (this.ctx.monotonic() - f.since > this.opts.timeout + this.opts.heartbeat) {
      this.fins.delete(conn);
      return;
    }
    this.ctx.send(this.opts.worker, f.msg);
    const rto = Math.min(2 * f.rto, this.opts.heartbeat);
    this.fins.set(conn, { ...f, rto, timer: this.ctx.setTimer(rto, { ws: this.tagName, conn, fin: true }) });
  }

  /** Stops without firing onclose (the page is gone). */
  abandon(): void {
    if (this.readyState !== 'closed') {
      // The page is gone, its system's TCP is not: the FIN goes on until answered.
      this.sendFin();
      this.probeEnd('app');
    }
    this.readyState = 'closed';
    if (this.timer !== undefined) this.ctx.cancelTimer(this.timer);
    this.stopRtx();
    this.handlers = {};
  }

  private probeEnd(why: EndReason, last?: number): void {
    this.ctx.probe(WS_PROBE.end, true, { c: this.conn, by: 'client', why, tx: this.outSeq, rx: this.inSeq, ...(last === undefined ? {} : { last }) });
  }

  private closed(why: EndReason, last?: number): void {
    this.probeEnd(why, last);
    this.readyState = 'closed';
    if (this.timer !== undefined) this.ctx.cancelTimer(this.timer);
    this.timer = undefined;
    this.stopRtx();
    this.handlers.onclose?.();
  }

  private flush(): void {
    for (;;) {
      const next = this.inSeq + 1;
      if (!this.early.has(next) || this.readyState !== 'open') break;
      const data = this.early.get(next) as Value;
      this.early.delete(next);
      this.inSeq = next;
      this.ctx.probe(WS_PROBE.rx, true, { c: this.conn, by: 'client', s: next, h: frameHash(data) });
      this.lastHeard = this.ctx.monotonic();
      if (this.early.size > 0) this.holeSince = this.ctx.monotonic();
      this.handlers.onmessage?.(data);
    }
    // The host's close was waiting for the frames before it.
    if (this.readyState === 'open' && this.closeAfter !== undefined && this.inSeq >= this.closeAfter) this.closed('peer', this.closeAfter);
  }

  private arm(delay: Micros): void {
    if (this.timer !== undefined) this.ctx.cancelTimer(this.timer);
    this.timer = this.ctx.setTimer(delay, { ws: this.tagName, conn: this.conn });
  }

  handleTimer(tag: Value): boolean {
    if (!isObj(tag) || tag.ws !== this.tagName) return false;
    if (tag.fin === true) {
      this.resendFin(String(tag.conn));
      return true;
    }
    if (tag.conn !== this.conn) return true;
    if (tag.rtx === true) {
      this.retransmit();
      return true;
    }
    this.timer = undefined;
    if (this.readyState === 'connecting') {
      this.ctx.log(`ws ${this.conn}: connect timed out`);
      this.closed('connect-timeout');
    } else if (this.readyState === 'open') {
      const now = this.ctx.monotonic();
      const stuck = this.unacked.size > 0 && now - this.unackedSince > this.opts.timeout;
      if (stuck || now - this.lastHeard > this.opts.timeout || (this.early.size > 0 && now - this.holeSince > this.opts.timeout)) {
        this.ctx.log(`ws ${this.conn}: no heartbeat, closing`);
        this.shut('timeout');
        return true;
      }
      const { cls, name } = this.opts;
      this.ctx.send(this.opts.worker, { t: 'ws-ping', cls, name, conn: this.conn });
      this.arm(this.opts.heartbeat);
    }
    return true;
  }

  handleMessage(raw: Value): boolean {
    if (!isObj(raw) || typeof raw.conn !== 'string' || !raw.conn.startsWith(`${this.ctx.id}/${this.tagName}/`)) return false;
    const msg = raw as unknown as ToClient & { conn: string };
    // The host's close answers a clean close of ours: the FIN is acknowledged.
    const fin = msg.t === 'ws-close' ? this.fins.get(msg.conn) : undefined;
    if (fin) {
      this.ctx.cancelTimer(fin.timer);
      this.fins.delete(msg.conn);
    }
    if (msg.conn !== this.conn || this.readyState === 'closed') return true;
    switch (msg.t) {
      case 'ws-accept':
        if (this.readyState !== 'connecting') return true;
        this.readyState = 'open';
        this.ctx.probe(WS_PROBE.open, true, { c: this.conn, by: 'client', rto: this.baseRto, hb: this.opts.heartbeat });
        this.lastHeard = this.ctx.monotonic();
        this.arm(this.opts.heartbeat);
        this.handlers.onopen?.();
        this.flush();
        return true;
      case 'ws-pong':
        this.lastHeard = this.ctx.monotonic();
        return true;
      case 'ws-ack':
        this.lastHeard = this.ctx.monotonic();
        if (this.readyState === 'open') this.acked(msg.seq);
        return true;
      case 'ws-close':
        // The frames it carries are the host's last retransmission of what it had not seen acknowledged.
        for (const [seq, data] of msg.frames ?? []) if (seq > this.inSeq && !this.early.has(seq)) this.early.set(seq, data);
        if (this.readyState === 'open') this.flush();
        if ((this.readyState as ReadyState) === 'closed') return true;
        // Behind the frames the host sent before it; without `last`, a reset: at once.
        if (msg.last === undefined) this.closed('reset');
        else if (msg.last <= this.inSeq) this.closed('peer', msg.last);
        else this.closeAfter = msg.last;
        return true;
      case 'ws': {
        // In-order delivery over a reordering network, as TCP gives it: duplicates are dropped,
        // early frames wait for the missing one (a hole that stays open past the timeout
        // breaks the connection, see handleTimer).
        if (msg.seq > this.inSeq && !this.early.has(msg.seq)) {
          if (this.early.size === 0 && msg.seq > this.inSeq + 1) this.holeSince = this.ctx.monotonic();
          this.early.set(msg.seq, msg.data);
          if (this.readyState === 'open') this.flush();
        }
        // Acknowledge every frame, a copy too (the ack of the first may have been lost).
        if (this.readyState === 'open') {
          const { cls, name } = this.opts;
          this.ctx.send(this.opts.worker, { t: 'ws-ack', cls, name, conn: this.conn, seq: this.inSeq });
        }
        return true;
      }
      default:
        return true;
    }
  }
}

/** Sends an HTTP request through the worker; the response comes back as `http-res` with `rid`. */
export function sendHttp(ctx: ProcessContext, worker: NodeId, cls: string, name: string, rid: string, path: string, body: Value): void {
  ctx.send(worker, { t: 'http', cls, name, rid, path, body });
}

export function httpResponse(msg: Value): { rid: string; status: number; body: Value } | undefined {
  if (!isObj(msg) || msg.t !== 'http-res' || typeof msg.rid !== 'string') return undefined;
  return { rid: msg.rid, status: msg.status as number, body: msg.body ?? null };
}
