import seedrandom from 'seedrandom';
import { seedFor } from './hash.ts';
import { widen } from './typed-arrays.ts';

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

/** Draws under one fixed label: what a hot path resolves once and then calls per event. */
export interface LabelledDraw {
  int(n: number): number;
  bool(p: number): boolean;
}

/** Choices that can resolve a label ahead of time (every implementation in this file can). */
interface Resolvable extends Choices {
  labelled(label: string): LabelledDraw;
}

const checkN = (n: number, label: string): void => {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`choices.int(${n}, '${label}'): n must be a positive integer`);
};

/** Shared implementation of bool/pick on top of a `draw(n, label)` primitive. */
abstract class ChoicesBase implements Resolvable {
  /** Draws recorded so far, when recording; shrinking and replay start from these values. */
  readonly recorded: number[] | undefined;
  readonly recordedLabels: string[] | undefined;

  constructor(record: boolean | 'labels') {
    this.recorded = record ? [] : undefined;
    this.recordedLabels = record === 'labels' ? [] : undefined;
  }

  protected abstract draw(n: number, label: string, p: number): number;

  int(n: number, label: string): number {
    checkN(n, label);
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

  /** The same draws as int/bool with this label, without looking the label up each time. */
  labelled(label: string): LabelledDraw {
    return { int: (n) => this.int(n, label), bool: (p) => this.bool(p, label) };
  }

  protected note(label: string, v: number): number {
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
  private readonly streams = new XorwowStreams();
  /** Stream name -> index in `streams`. */
  private readonly streamIndex = new Map<string, number>();
  /** Label -> its stream index, so a draw by label does one Map lookup. */
  private readonly byLabel = new Map<string, number>();

  constructor(
    readonly seed: number,
    options: { record?: boolean | 'labels' } = {},
  ) {
    super(options.record ?? false);
  }

  protected draw(n: number, label: string, p: number): number {
    const r = this.streams.next(this.stream(label));
    if (n === 2 && !Number.isNaN(p)) return r < p ? 1 : 0;
    return Math.floor(r * n);
  }

  /** The stream is resolved once: a draw is then one generator step (the kernel's hot path). */
  override labelled(label: string): LabelledDraw {
    if (this.recorded) return super.labelled(label);
    return new StreamDraw(this.streams, this.stream(label), label);
  }

  private stream(label: string): number {
    const cached = this.byLabel.get(label);
    if (cached !== undefined) return cached;
    const dot = label.indexOf('.');
    const name = dot < 0 ? label : label.slice(0, dot);
    let k = this.streamIndex.get(name);
    if (k === undefined) {
      k = this.streams.add(String(seedFor(this.seed, name)));
      this.streamIndex.set(name, k);
    }
    this.byLabel.set(label, k);
    return k;
  }
}

/** Draws from one stream: a class, so every label's draw is the same monomorphic call. */
class StreamDraw implements LabelledDraw {
  constructor(
    private readonly streams: XorwowStreams,
    private readonly k: number,
    private readonly label: string,
  ) {}

  int(n: number): number {
    checkN(n, this.label);
    return n === 1 ? 0 : Math.floor(this.streams.next(this.k) * n);
  }

  bool(p: number): boolean {
    return p > 0 ? p >= 1 || this.streams.next(this.k) < p : false;
  }
}

/**
 * Many seedrandom xorwow generators with their states side by side in one Int32Array. Each is
 * seeded by seedrandom itself and then stepped here with the same arithmetic, so the draws are
 * exactly seedrandom's (a test compares them). One generator object per stream cost a cache
 * miss per draw in runs with a thousand nodes, each on its own stream.
 */
export class XorwowStreams {
  private state = new Int32Array(6 * 16);
  private count = 0;

  /** Adds a stream seeded as `seedrandom.xorwow(seed)` is; returns its index. */
  add(seed: string): number {
    const st = seedrandom.xorwow(seed, { state: true }).state() as unknown as XorwowState;
    if (6 * (this.count + 1) > this.state.length) this.state = widen(this.state, this.state.length * 2);
    const o = 6 * this.count;
    this.state.set([st.x, st.y, st.z, st.w, st.v, st.d], o);
    return this.count++;
  }

  /** The next draw of stream k in [0, 1), as seedrandom's xorwow prng() returns it. */
  next(k: number): number {
    const s = this.state;
    const o = 6 * k;
    const x = s[o] as number;
    const t = x ^ (x >>> 2);
    s[o] = s[o + 1] as number;
    s[o + 1] = s[o + 2] as number;
    s[o + 2] = s[o + 3] as number;
    const v0 = s[o + 4] as number;
    s[o + 3] = v0;
    const v = v0 ^ (v0 << 4) ^ (t ^ (t << 1));
    s[o + 4] = v;
    const d = ((s[o + 5] as number) + 362437) | 0;
    s[o + 5] = d;
    return ((d + v) >>> 0) / 0x100000000;
  }
}

interface XorwowState {
  x: number;
  y: number;
  z: number;
  w: number;
  v: number;
  d: number;
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

/**
 * Choices seen through a prefix, so a node's draws get their own labels and sub-streams
 * ("<prefix>/<label>"). Each label is resolved once, on its first draw.
 */
class ScopedChoices implements Resolvable {
  private readonly byLabel = new Map<string, LabelledDraw>();
  /** The last label drawn and its draw: most processes draw under one label many times in a row. */
  private lastLabel = '';
  private lastDraw: LabelledDraw | undefined;

  constructor(
    private readonly inner: Choices,
    private readonly prefix: string,
  ) {}

  private draw(label: string): LabelledDraw {
    if (label === this.lastLabel && this.lastDraw !== undefined) return this.lastDraw;
    let d = this.byLabel.get(label);
    if (d === undefined) {
      d = this.labelled(label);
      this.byLabel.set(label, d);
    }
    this.lastLabel = label;
    this.lastDraw = d;
    return d;
  }

  labelled(label: string): LabelledDraw {
    return labelledDraw(this.inner, `${this.prefix}/${label}`);
  }

  int(n: number, label: string): number {
    return this.draw(label).int(n);
  }

  bool(p: number, label: string): boolean {
    return this.draw(label).bool(p);
  }

  pick<T>(xs: readonly T[], label: string): T {
    if (xs.length === 0) throw new RangeError(`choices.pick([], '${label}'): nothing to pick from`);
    return xs[this.draw(label).int(xs.length)] as T;
  }
}

const isResolvable = (c: Choices): c is Resolvable => typeof (c as Partial<Resolvable>).labelled === 'function';

/** Resolves a label once, for a hot path that draws under it on every event. */
export function labelledDraw(choices: Choices, label: string): LabelledDraw {
  if (isResolvable(choices)) return choices.labelled(label);
  return { int: (n) => choices.int(n, label), bool: (p) => choices.bool(p, label) };
}

export function scopedChoices(inner: Choices, prefix: string): Choices {
  return new ScopedChoices(inner, prefix);
}
