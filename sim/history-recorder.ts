import type { HistoryEvent } from './history.ts';
import type { ClientHistory, OpHandle } from './process.ts';
import type { Micros, NodeId, Value } from './value.ts';

/** A history event, fields in the order every serialised history has them; no key when keyless. */
function event(process: number, type: HistoryEvent['type'], f: string, key: string | undefined, value: Value, time: Micros, node: NodeId): HistoryEvent {
  return key !== undefined ? { process, type, f, key, value, time, node } : { process, type, f, value, time, node };
}

/**
 * Records client operations for the whole run. A Jepsen process has at most one operation
 * pending (the checkers rely on that), so a client node is a set of processes: an invoke takes
 * one of the node's idle processes, or a fresh number when all are busy (a client with a
 * WebSocket request and an HTTP request in flight is two processes). After an `info` the
 * process number is retired, as Jepsen does: the op may still be in flight.
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  /** Each node's idle process numbers (lowest first, so a one-at-a-time client keeps one). */
  private readonly idle = new Map<NodeId, number[]>();
  private nextProcess = 0;
  private nextOp = 0;
  /** Pending operations by op id, with the node that invoked each (for abandon). */
  private readonly open = new Map<number, NodeId>();

  constructor(
    private readonly now: () => Micros,
    private readonly onEvent: (ev: HistoryEvent) => void,
  ) {}

  /** The view one client node gets through its context. */
  forNode(node: NodeId): ClientHistory {
    return {
      invoke: (f, key, value) => this.invoke(node, f, key, value),
      ok: (op, value) => this.complete(node, op, 'ok', value),
      fail: (op, value) => this.complete(node, op, 'fail', value ?? null),
      info: (op) => this.complete(node, op, 'info', null),
    };
  }

  private process(node: NodeId): number {
    const free = this.idle.get(node);
    if (free && free.length > 0) return free.shift() as number;
    return this.nextProcess++;
  }

  private release(node: NodeId, process: number): void {
    const free = this.idle.get(node) ?? [];
    free.push(process);
    free.sort((a, b) => a - b);
    this.idle.set(node, free);
  }

  private invoke(node: NodeId, f: string, key: string | undefined, value: Value): OpHandle {
    const process = this.process(node);
    const op: OpHandle = { id: this.nextOp++, process, f, key };
    this.open.set(op.id, node);
    this.push(event(process, 'invoke', f, key, value, this.now(), node));
    return op;
  }

  private complete(node: NodeId, op: OpHandle, type: 'ok' | 'fail' | 'info', value: Value): void {
    if (!this.open.delete(op.id)) throw new Error(`${node} completed op ${op.id} (${op.f}) twice or never invoked it`);
    this.push(event(op.process, type, op.f, op.key, value, this.now(), node));
    if (type !== 'info') this.release(node, op.process);
  }

  /**
   * A crashed client forgets its pending operations: they stay open in the history (unknown
   * outcome), and their process numbers are retired.
   */
  abandon(node: NodeId): void {
    for (const [id, owner] of this.open) if (owner === node) this.open.delete(id);
  }

  private push(ev: HistoryEvent): void {
    this.events.push(ev);
    this.onEvent(ev);
  }
}
