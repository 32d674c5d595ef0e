import type { HistoryEvent } from './history.ts';
import type { ClientHistory, OpHandle } from './process.ts';
import type { Micros, NodeId, Value } from './value.ts';

/**
 * Records client operations for the whole run. Each client node starts as one Jepsen process
 * number; after an `info` it continues under a fresh number, so a process never has two
 * operations pending (the checkers rely on that).
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private readonly processOf = new Map<NodeId, number>();
  private nextProcess = 0;
  private nextOp = 0;
  private readonly open = new Map<number, OpHandle>();

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
    let p = this.processOf.get(node);
    if (p === undefined) {
      p = this.nextProcess++;
      this.processOf.set(node, p);
    }
    return p;
  }

  private invoke(node: NodeId, f: string, key: string | undefined, value: Value): OpHandle {
    const process = this.process(node);
    for (const op of this.open.values()) {
      if (op.process === process) throw new Error(`${node} invoked ${f} while ${op.f} (op ${op.id}) is still pending`);
    }
    const op: OpHandle = { id: this.nextOp++, process, f, key };
    this.open.set(op.id, op);
    this.push({ process, type: 'invoke', f, ...(key !== undefined ? { key } : {}), value, time: this.now(), node });
    return op;
  }

  private complete(node: NodeId, op: OpHandle, type: 'ok' | 'fail' | 'info', value: Value): void {
    if (!this.open.delete(op.id)) throw new Error(`${node} completed op ${op.id} (${op.f}) twice or never invoked it`);
    this.push({ process: op.process, type, f: op.f, ...(op.key !== undefined ? { key: op.key } : {}), value, time: this.now(), node });
    if (type === 'info') this.processOf.set(node, this.nextProcess++);
  }

  /**
   * A crashed client forgets its pending operation: it stays open in the history (unknown
   * outcome) and the restarted client continues as a fresh process.
   */
  abandon(node: NodeId): void {
    const p = this.processOf.get(node);
    if (p === undefined) return;
    for (const [id, op] of this.open) if (op.process === p) this.open.delete(id);
    this.processOf.set(node, this.nextProcess++);
  }

  private push(ev: HistoryEvent): void {
    this.events.push(ev);
    this.onEvent(ev);
  }
}
