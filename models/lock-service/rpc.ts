import type { ProcessContext } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';

/**
 * Request/response over the simulated network, in continuation-passing style: the kernel is
 * synchronous, so a Promise's continuation would only run after the whole run. A call is one
 * message `{type:'rpc', id, body}`; the server answers `{type:'rpc-res', id, body}`; no answer
 * within `timeout` (local time) completes the call with `undefined`.
 */
export class Rpc {
  private nextId = 0;
  private readonly pending = new Map<number, { done: (reply: Value | undefined) => void; timer: number }>();

  constructor(private readonly ctx: ProcessContext) {}

  call(to: NodeId, body: Value, timeout: Micros, done: (reply: Value | undefined) => void): void {
    const id = this.nextId++;
    const timer = this.ctx.setTimer(timeout, ['rpc', id]);
    this.pending.set(id, { done, timer });
    this.ctx.send(to, { type: 'rpc', id, body });
  }

  /** One-way: no answer is awaited (the document's fire-and-forget release). */
  cast(to: NodeId, body: Value): void {
    this.ctx.send(to, { type: 'rpc', id: -1, body });
  }

  /** True if `msg` was an answer to one of this node's calls (it is then consumed). */
  onMessage(msg: Value): boolean {
    const m = msg as { type?: Value; id?: Value; body?: Value } | null;
    if (m === null || typeof m !== 'object' || m.type !== 'rpc-res' || typeof m.id !== 'number') return false;
    const p = this.pending.get(m.id);
    if (!p) return true; // a late or duplicated answer
    this.pending.delete(m.id);
    this.ctx.cancelTimer(p.timer);
    p.done(m.body ?? null);
    return true;
  }

  onTimer(tag: Value): boolean {
    if (!Array.isArray(tag) || tag[0] !== 'rpc') return false;
    const id = tag[1] as number;
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      p.done(undefined);
    }
    return true;
  }
}

/** A server's side: answers each `rpc` request with what `handle` returns (null: no answer). */
export function serveRpc(ctx: ProcessContext, from: NodeId, msg: Value, handle: (body: Value) => Value | null): boolean {
  const m = msg as { type?: Value; id?: Value; body?: Value } | null;
  if (m === null || typeof m !== 'object' || m.type !== 'rpc' || typeof m.id !== 'number') return false;
  const reply = handle(m.body ?? null);
  if (reply !== null && m.id >= 0) ctx.send(from, { type: 'rpc-res', id: m.id, body: reply });
  return true;
}
