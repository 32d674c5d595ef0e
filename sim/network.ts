import type { Choices } from './choices.ts';
import { type LatencySpec, medianLatency, sampleLatency, validateLatency } from './latency.ts';
import type { Micros, NodeId } from './value.ts';

/** How one directed link (or the default for all links) behaves. */
export interface LinkSpec {
  readonly latency: LatencySpec;
  /** Probability that a message is lost. */
  readonly loss?: number;
  /** Probability that a message is delivered twice. */
  readonly duplicate?: number;
  /** Probability that a message takes an extra delay of up to `reorderWindow`, overtaking later ones. */
  readonly reorder?: number;
  /** Extra delay bound for reordered messages; default four times the median latency. */
  readonly reorderWindow?: Micros;
  /** Deliver in send order on this link (as TCP or a WebSocket does); reorder is then ignored. */
  readonly fifo?: boolean;
}

export interface NetworkSpec {
  readonly default: LinkSpec;
  /** Overrides for some directed links; `from`/`to` may be a role name prefixed with '@'. */
  readonly links?: readonly ({ readonly from: string; readonly to: string } & Partial<LinkSpec>)[];
}

/** Message counters, as the run summary reports them. */
export interface NetCounters {
  sent: number;
  delivered: number;
  dropped: number;
  droppedPartition: number;
  droppedLoss: number;
  droppedDown: number;
  duplicated: number;
}

/** A transient change to loss, duplication or reordering (the "degrade" fault). */
export interface Degradation {
  readonly loss?: number;
  readonly duplicate?: number;
  readonly reorder?: number;
}

/**
 * The network's state: per-link behaviour, the connectivity relation (a count of active cuts
 * per directed pair, so overlapping partitions compose and heal independently), clogs (extra
 * delay on a link or all links of a node), and the counters.
 */
export class Network {
  readonly counters: NetCounters = {
    sent: 0,
    delivered: 0,
    dropped: 0,
    droppedPartition: 0,
    droppedLoss: 0,
    droppedDown: 0,
    duplicated: 0,
  };
  private readonly n: number;
  private readonly links: LinkSpec[];
  private readonly cuts: Uint16Array;
  private readonly clog: Float64Array;
  private readonly lastDelivery: Float64Array;
  private degradations: Degradation[] = [];

  constructor(
    readonly nodes: readonly NodeId[],
    roles: readonly string[],
    spec: NetworkSpec,
  ) {
    const n = nodes.length;
    this.n = n;
    this.cuts = new Uint16Array(n * n);
    this.clog = new Float64Array(n * n);
    this.lastDelivery = new Float64Array(n * n);
    const problem = validateLatency(spec.default.latency);
    if (problem) throw new Error(`network default: ${problem}`);
    this.links = new Array<LinkSpec>(n * n).fill(spec.default);
    const matches = (sel: string, i: number) => (sel.startsWith('@') ? roles[i] === sel.slice(1) : nodes[i] === sel || sel === '*');
    for (const o of spec.links ?? []) {
      if (o.latency) {
        const p = validateLatency(o.latency);
        if (p) throw new Error(`network link ${o.from}->${o.to}: ${p}`);
      }
      let hit = false;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (matches(o.from, i) && matches(o.to, j)) {
            this.links[i * n + j] = { ...this.links[i * n + j], ...o } as LinkSpec;
            hit = true;
          }
        }
      }
      if (!hit) throw new Error(`network link ${o.from}->${o.to} matches no node`);
    }
  }

  connected(from: number, to: number): boolean {
    return this.cuts[from * this.n + to] === 0;
  }

  /** Adds (+1) or removes (-1) a set of directed cuts. */
  applyCuts(pairs: readonly (readonly [number, number])[], delta: 1 | -1): void {
    for (const [a, b] of pairs) this.cuts[a * this.n + b] = (this.cuts[a * this.n + b] ?? 0) + delta;
  }

  /** Adds (or with a negative value, removes) extra delay on directed links. */
  applyClog(pairs: readonly (readonly [number, number])[], extra: Micros): void {
    for (const [a, b] of pairs) this.clog[a * this.n + b] = (this.clog[a * this.n + b] ?? 0) + extra;
  }

  degrade(d: Degradation): void {
    this.degradations.push(d);
  }

  restore(d: Degradation): void {
    const i = this.degradations.indexOf(d);
    if (i >= 0) this.degradations.splice(i, 1);
  }

  /**
   * Decides the fate of one message sent now from `from` to `to`: the delays after which its
   * copies arrive (empty when lost or cut at the sender). Choices: "net.loss", "net.dup",
   * "net.delay", "net.reorder", "net.reorderDelay".
   */
  route(from: number, to: number, now: Micros, choices: Choices): Micros[] {
    const c = this.counters;
    c.sent++;
    if (!this.connected(from, to)) {
      c.dropped++;
      c.droppedPartition++;
      return [];
    }
    const idx = from * this.n + to;
    const link = this.links[idx] as LinkSpec;
    let loss = link.loss ?? 0;
    let dup = link.duplicate ?? 0;
    let reorder = link.reorder ?? 0;
    for (const d of this.degradations) {
      loss = Math.max(loss, d.loss ?? 0);
      dup = Math.max(dup, d.duplicate ?? 0);
      reorder = Math.max(reorder, d.reorder ?? 0);
    }
    if (loss > 0 && choices.bool(loss, 'net.loss')) {
      c.dropped++;
      c.droppedLoss++;
      return [];
    }
    const copies = dup > 0 && choices.bool(dup, 'net.dup') ? 2 : 1;
    if (copies === 2) c.duplicated++;
    const out: Micros[] = [];
    for (let k = 0; k < copies; k++) {
      let delay = sampleLatency(link.latency, choices, 'net.delay') + (this.clog[idx] ?? 0);
      if (link.fifo) {
        // Never arrive before an earlier message on the same link.
        const at = Math.max(now + delay, this.lastDelivery[idx] ?? 0);
        this.lastDelivery[idx] = at;
        delay = at - now;
      } else if (reorder > 0 && choices.bool(reorder, 'net.reorder')) {
        const window = link.reorderWindow ?? Math.max(1, 4 * medianLatency(link.latency));
        delay += 1 + choices.int(window, 'net.reorderDelay');
      }
      out.push(delay);
    }
    return out;
  }
}
