import type { ProcessContext } from '../../sim/process.ts';
import type { Value } from '../../sim/value.ts';
import type { ReadyState, WsClient } from '../durable-object/client.ts';

/**
 * The runtime client's API promises (../durable-object/client.ts), as the conformance client
 * observes them from the outside. No transport check can see these: a socket that returns false
 * for its own message, fires onopen twice or sends while closing breaks the program that uses it,
 * not the stream. Each breach is a probe `conf.api` with ok=false and `{ what, c, ... }` saying
 * which promise broke (the scenarios' `invariants()` fails on it). The per-event promises (claims,
 * handlers, sends) probe only their breaches, since they hold on thousands of events per run; the
 * step-level ones (reopen, hangup, a second close) probe their verdict either way, so a run's
 * probes count how often they were exercised.
 *
 * Promises:
 *  - claims: a message whose `conn` starts with `<client id>/` is claimed (handleMessage true) by
 *    the socket whose tag opens that id, and by no other; a timer tag `{ ws }` likewise by the
 *    socket `ws`; a socket claims nothing else (an HTTP reply it swallowed would never be seen);
 *  - connect() on a closed socket starts a fresh connection id, `connecting`; on a connecting or
 *    open one it changes nothing (the id and readyState stay);
 *  - onopen at most once per connection id, after connect(), with readyState `open`;
 *  - onclose at most once per connection id, only for one that was connecting or open, with
 *    readyState `closed`;
 *  - onmessage only on an open connection (onopen fired, no onclose yet, readyState `open`);
 *  - send() returns true exactly when readyState was `open` just before it;
 *  - close() on an open socket: readyState `closed` at once and onclose fired exactly once, within
 *    the call; close() on a closed socket does nothing (no second onclose, no new id).
 */

export const API_PROBE = 'conf.api';

/** The connection's life as the program saw it through the handlers. */
type Seen = 'connecting' | 'open' | 'closed';

const isObj = (v: Value): v is { readonly [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);

export class ApiContract {
  /** Every connection id this client's sockets have started, and where its handlers left it. */
  private readonly seen = new Map<string, Seen>();
  /** onclose calls per connection id. */
  private readonly closes = new Map<string, number>();
  /** Frames send() accepted per connection id (the s-th is the host's frame s). */
  private readonly sent = new Map<string, number>();

  constructor(private readonly ctx: ProcessContext) {}

  private verdict(ok: boolean, what: string, detail: { readonly [k: string]: Value }): void {
    this.ctx.probe(API_PROBE, ok, { what, ...detail });
  }

  private breach(what: string, detail: { readonly [k: string]: Value }): void {
    this.verdict(false, what, detail);
  }

  /** How many frames send() has accepted on connection `c`. */
  sentOn(c: string): number {
    return this.sent.get(c) ?? 0;
  }

  /** connect(), held to its promise: a fresh id when closed, nothing otherwise. */
  connect(ws: WsClient): void {
    const c = ws.connectionId;
    const state: ReadyState = ws.readyState;
    ws.connect();
    const after = ws.connectionId;
    if (state === 'closed') {
      if (ws.readyState !== 'connecting' || after === c || this.seen.has(after)) this.breach('connect on a closed socket did not start a fresh connection', { c: after, was: c, readyState: ws.readyState });
      else this.seen.set(after, 'connecting');
    } else if (after !== c || ws.readyState !== state) this.breach('connect on a live socket changed it', { c, now: after, was: state, readyState: ws.readyState });
  }

  /** The reopen step: connect() on a connecting or open socket, which must change nothing. */
  reopen(ws: WsClient): void {
    const c = ws.connectionId;
    const state = ws.readyState;
    ws.connect();
    this.verdict(ws.connectionId === c && ws.readyState === state, 'reopen', { c, was: state, now: ws.connectionId, readyState: ws.readyState });
  }

  onopen(ws: WsClient): void {
    const c = ws.connectionId;
    const seen = this.seen.get(c);
    if (seen !== 'connecting' || ws.readyState !== 'open') this.breach('onopen', { c, seen: seen ?? null, readyState: ws.readyState });
    this.seen.set(c, 'open');
  }

  onmessage(ws: WsClient): void {
    const c = ws.connectionId;
    const seen = this.seen.get(c);
    if (seen !== 'open' || ws.readyState !== 'open') this.breach('onmessage', { c, seen: seen ?? null, readyState: ws.readyState });
  }

  onclose(ws: WsClient): void {
    const c = ws.connectionId;
    const seen = this.seen.get(c);
    if ((seen !== 'connecting' && seen !== 'open') || ws.readyState !== 'closed') this.breach('onclose', { c, seen: seen ?? null, readyState: ws.readyState });
    this.seen.set(c, 'closed');
    this.closes.set(c, (this.closes.get(c) ?? 0) + 1);
  }

  /** send(), held to its promise: true exactly when the socket was open. */
  send(ws: WsClient, data: Value): boolean {
    const c = ws.connectionId;
    const state = ws.readyState;
    const ok = ws.send(data);
    if (ok !== (state === 'open')) this.breach('send', { c, readyState: state, returned: ok });
    if (ok) this.sent.set(c, this.sentOn(c) + 1);
    return ok;
  }

  /**
   * The hangup step on an open socket: close() must leave it closed at once with onclose fired
   * exactly once; `again` then closes it a second time, which must do nothing.
   */
  hangup(ws: WsClient, again: boolean): void {
    const c = ws.connectionId;
    const before = this.closes.get(c) ?? 0;
    ws.close();
    const fired = (this.closes.get(c) ?? 0) - before;
    this.verdict(ws.readyState === 'closed' && fired === 1 && ws.connectionId === c, 'hangup', { c, readyState: ws.readyState, onclose: fired, now: ws.connectionId });
    if (!again) return;
    ws.close();
    const more = (this.closes.get(c) ?? 0) - before - fired;
    this.verdict(ws.readyState === 'closed' && more === 0 && ws.connectionId === c, 'close again', { c, readyState: ws.readyState, onclose: more, now: ws.connectionId });
  }

  /**
   * A message the sockets were offered: `by` is the tag of the socket that claimed it (undefined:
   * none did). It is ours exactly when its `conn` opens with this client's id; then the socket
   * whose tag follows must have claimed it, and no socket may claim anything else.
   */
  message(msg: Value, by: string | undefined): void {
    const conn = isObj(msg) && typeof msg.conn === 'string' ? msg.conn : undefined;
    const mine = conn !== undefined && conn.startsWith(`${this.ctx.id}/`);
    if (mine && (by === undefined || !conn.startsWith(`${this.ctx.id}/${by}/`))) this.breach('message not claimed by its socket', { conn, by: by ?? null, t: isObj(msg) ? (msg.t ?? null) : null });
    else if (!mine && by !== undefined) this.breach('socket claimed a message not its own', { by, conn: conn ?? null, t: isObj(msg) ? (msg.t ?? null) : null });
  }

  /** A timer the sockets were offered, as message(): a tag `{ ws }` is socket `ws`'s. */
  timer(tag: Value, by: string | undefined): void {
    const ws = isObj(tag) && typeof tag.ws === 'string' ? tag.ws : undefined;
    if (ws !== undefined && by !== ws) this.breach('timer not claimed by its socket', { ws, by: by ?? null });
    else if (ws === undefined && by !== undefined) this.breach('socket claimed a timer not its own', { by, tag });
  }
}
