/**
 * Delta-state synchronisation (Almeida, Shoker, Baquero 2018). A mutator returns a small
 * delta (a state of the same lattice); the replica joins it into its state and into a delta
 * buffer; the buffer is shipped as one delta-group and cleared. Deltas may be lost, duplicated
 * or reordered: joins are idempotent, commutative and associative, so that is harmless, and
 * periodic anti-entropy (a full state, or only the parts a peer's digest lacks) repairs loss.
 */
export interface Lattice<S> {
  readonly bottom: S;
  join(a: S, b: S): S;
}

export class DeltaBuffer<S> {
  private group: S | undefined;
  constructor(private readonly lattice: Lattice<S>) {}

  add(delta: S): void {
    this.group = this.group === undefined ? delta : this.lattice.join(this.group, delta);
  }

  get pending(): boolean {
    return this.group !== undefined;
  }

  /** The joined delta-group since the last take, and clears the buffer. */
  take(): S | undefined {
    const g = this.group;
    this.group = undefined;
    return g;
  }
}

/** Receives a delta-group or a full state: both are states, and the join is the same. */
export function receive<S>(lattice: Lattice<S>, state: S, incoming: S): S {
  return lattice.join(state, incoming);
}
