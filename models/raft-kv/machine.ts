import { valueEquals, type Value } from '../../sim/value.ts';
import type { StateMachine } from '../raft/api.ts';
import type { KvCommand } from './protocol.ts';

/** What applying a command answers; also what the dedup table remembers per client. */
export interface KvOutput {
  readonly [k: string]: Value;
  readonly req: number;
  readonly ok: boolean;
  readonly value: Value;
}

/**
 * The replicated key-value state machine: registers per key, plus a dedup table holding each
 * client's latest request number and its answer (Raft paper section 8: "the state machine
 * tracks the latest serial number processed for each client, along with the associated
 * response"), so a retried command that commits twice takes effect once. Reads go through the
 * log like writes, which is what makes them linearizable.
 */
export class KvMachine implements StateMachine {
  private data = new Map<string, Value>();
  private last = new Map<string, KvOutput>();

  apply(command: Value): Value {
    const c = command as KvCommand;
    const seen = this.last.get(c.client);
    if (seen && seen.req === c.req) return seen;
    // An older request than one already applied: its client has moved on and waits for no answer.
    if (seen && seen.req > c.req) return null;
    const out = this.execute(c);
    this.last.set(c.client, out);
    return out;
  }

  private execute(c: KvCommand): KvOutput {
    const current = this.data.get(c.key) ?? null;
    if (c.f === 'read') return { req: c.req, ok: true, value: current };
    if (c.f === 'write') {
      this.data.set(c.key, c.value);
      return { req: c.req, ok: true, value: null };
    }
    const [from, to] = c.value as readonly [Value, Value];
    if (!valueEquals(current, from)) return { req: c.req, ok: false, value: current };
    this.data.set(c.key, to);
    return { req: c.req, ok: true, value: null };
  }

  snapshot(): Value {
    return { data: [...this.data.entries()], last: [...this.last.entries()] };
  }

  restore(snapshot: Value): void {
    const s = snapshot as { data: [string, Value][]; last: [string, KvOutput][] };
    this.data = new Map(s.data);
    this.last = new Map(s.last);
  }

  /** The data alone (not the dedup table), for convergence checks and reports. */
  observed(): Value {
    return Object.fromEntries([...this.data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
