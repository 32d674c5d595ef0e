import type { Micros } from '../../sim/value.ts';

/**
 * One balancer's membership view: gossip-style failure detection (van Renesse, Minsky and
 * Hayden, 1998). Each worker's row holds the highest heartbeat version heard, directly or
 * through another balancer's gossip, and when this balancer last saw that version grow. A
 * worker is up while it has not left and its version grew within `failAfter` of local time;
 * it is back up as soon as a higher version arrives (a recovery, or a heal).
 */
export interface Row {
  version: number;
  left: boolean;
  grewAt: Micros;
}

export class MembershipView {
  private readonly rows = new Map<string, Row>();

  constructor(
    readonly failAfter: Micros,
    seeds: readonly string[],
    now: Micros,
  ) {
    // Seed members count as just heard: a balancer starts routing to them at once.
    for (const w of seeds) this.rows.set(w, { version: 0, left: false, grewAt: now });
  }

  /** Merges one observation; true if it told this view something new. */
  hear(worker: string, version: number, left: boolean, now: Micros): boolean {
    const r = this.rows.get(worker);
    if (!r) {
      this.rows.set(worker, { version, left, grewAt: now });
      return true;
    }
    if (version > r.version || (version === r.version && left && !r.left)) {
      r.version = version;
      r.left = left;
      r.grewAt = now;
      return true;
    }
    return false;
  }

  up(now: Micros): string[] {
    const out: string[] = [];
    for (const [w, r] of this.rows) if (!r.left && now - r.grewAt < this.failAfter) out.push(w);
    return out.sort();
  }

  /** The rows gossip carries. */
  digest(): [string, number, boolean][] {
    return [...this.rows].sort(([a], [b]) => (a < b ? -1 : 1)).map(([w, r]) => [w, r.version, r.left]);
  }
}
