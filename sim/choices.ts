import seedrandom from 'seedrandom';
import { seedFor } from './hash.ts';

/**
 * The single seam for every nondeterministic decision in a run. Value 0 of every choice means
 * the simplest behaviour (no fault, no loss, the shortest delay, the first option); larger
 * values are more eventful. That convention is what lets a shrinker drive a run toward a short,
 * quiet story by shrinking a sequence of integers.
 *
 * Labels name the decision ("net.delay", "nemesis.kind", "c3/workload.key"). The part before
 * the first '.' names the sub-stream it draws from in random mode, so adding a node or a fault
 * kind does not reshuffle the draws of the others.
 */
export interface Choices {
  /** An integer in [0, n). n must be a positive integer; n = 1 draws nothing. */
  int(n: number, label: string): number;
  /** true with probability p (true is the eventful answer). p <= 0 or p >= 1 draws nothing. */
  bool(p: number, label: string): boolean;
  /** One of xs; the first is the simplest. */
  pick<T>(xs: readonly T[], label: string): T;
}

/** One recorded draw: the value and the number of options it was drawn from. */
export interface Draw {
  readonly label: string;
  readonly n: number;
  readonly value: number;
}

/** Shared implementation of bool/pick on top of a `draw(n, label)` primitive. */
abstract class ChoicesBase implements Choices {
  /** Draws recorded so far, when recording; shrinking and replay start from these values. */
  readonly recorded: number[] | undefined;
  readonly recordedLabels: string[] | undefined;

  constructor(record: boolean | 'labels') {
    this.recorded = record ? [] : undefined;
    this.recordedLabels = record === 'labels' ? [] : undefined;
  }

  protected abstract draw(n: number, label: string, p: number): number;

  int(n: number, label: string): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`choices.int(${n}, '${label}'): n must be a positive integer`);
    if (n === 1) return 0;
    return this.note(label, this.draw(n, label, NaN));
  }

  bool(p: number, label: string): boolean {
    if (!(p > 0)) return false;
    if (p >= 1) return true;
    return this.note(label, this.draw(2, label, p)) === 1;
  }

  pick<T>(xs: readonly T[], label: string): T {
    if (xs.length === 0) throw new RangeError(`choices.pick([], '${label}'): nothing to pick from`);
    return xs[this.int(xs.length, label)] as T;
  }

  private note(label: string, v: number): number {
    this.recorded?.push(v);
    this.recordedLabels?.push(label);
    return v;
  }
}

/**
 * Random mode: each sub-stream is a seedrandom xorwow generator seeded with an integer hashed
 * from (run seed, stream name). Integer seeds avoid the collisions TOOLCHAIN.md measured for
 * short string seeds.
 */
export class RandomChoices extends ChoicesBase {
  private readonly streams = new Map<string, () => number>();
  /** Label -> its stream, so the hot path does one Map lookup per draw. */
  private readonly byLabel = new Map<string, () => number>();

  constructor(
    readonly seed: number,
    options: { record?: boolean | 'labels' } = {},
  ) {
    super(options.record ?? false);
  }

  protected draw(n: number, label: string, p: number): number {
    const r = this.stream(label)();
    if (n === 2 && !Number.isNaN(p)) return r < p ? 1 : 0;
    return Math.floor(r * n);
  }

  private stream(label: string): () => number {
    const cached = this.byLabel.get(label);
    if (cached) return cached;
    const dot = label.indexOf('.');
    const name = dot < 0 ? label : label.slice(0, dot);
    let s = this.streams.get(name);
    if (!s) {
      s = seedrandom.xorwow(String(seedFor(this.seed, name)));
      this.streams.set(name, s);
    }
    this.byLabel.set(label, s);
    return s;
  }
}

/**
 * Replay mode: draws come from a recorded sequence. A value too large for the choice it lands
 * on is reduced modulo the number of options; past the end of the sequence every draw is 0.
 * Any integer array is therefore a valid run, which is what shrinking relies on.
 */
export class ReplayChoices extends ChoicesBase {
  private i = 0;

  constructor(
    private readonly sequence: readonly number[],
    options: { record?: boolean | 'labels' } = {},
  ) {
    super(options.record ?? false);
  }

  /** How many draws the run made (may exceed the sequence length). */
  get consumed(): number {
    return this.i;
  }

  protected draw(n: number): number {
    const v = this.i < this.sequence.length ? (this.sequence[this.i] ?? 0) : 0;
    this.i++;
    return Math.abs(Math.trunc(v)) % n;
  }
}

/** Choices seen through a prefix, so a node's draws get their own labels and sub-streams. */
export function scopedChoices(inner: Choices, prefix: string): Choices {
  // Labels are few and reused on every draw: build each scoped label once.
  const labels = new Map<string, string>();
  const scoped = (label: string): string => {
    let s = labels.get(label);
    if (s === undefined) {
      s = `${prefix}/${label}`;
      labels.set(label, s);
    }
    return s;
  };
  return {
    int: (n, label) => inner.int(n, scoped(label)),
    bool: (p, label) => inner.bool(p, scoped(label)),
    pick: (xs, label) => inner.pick(xs, scoped(label)),
  };
}
