import type { Choices } from '../choices.ts';

/**
 * Where the draws past a run's forced prefix come from: zeros (the exhaustive searches walk the
 * quietest continuation and branch off it later), or a policy (random walks, PCT).
 */
export interface TailPolicy {
  int(n: number, label: string, index: number): number;
  bool(p: number, label: string, index: number): boolean;
}

/**
 * The explorer's choice source. The first draws come from a forced prefix (values reduced
 * modulo the options, as ReplayChoices does, so a prefix recorded by one run drives another
 * the same way), the rest from the tail policy (zeros by default). Every draw with more than one
 * option is recorded with its value and its number of options: the values are the run's choice
 * sequence (what a repro stores), the option counts tell the search where the tree branches.
 */
export class ExploreChoices implements Choices {
  readonly recorded: number[] = [];
  readonly options: number[] = [];
  readonly labels: string[] = [];
  /**
   * Per draw, the values worth exploring when not all are (the same-instant reduction); unset
   * entries mean every value.
   */
  readonly worth: (readonly number[] | undefined)[] = [];
  /** Asked at every draw with more than one option; returns the values worth exploring, or undefined for all. */
  narrow: ((label: string, n: number, index: number) => readonly number[] | undefined) | undefined;

  constructor(
    private readonly prefix: readonly number[],
    private readonly tail?: TailPolicy,
  ) {}

  /** Draws made so far. */
  get consumed(): number {
    return this.recorded.length;
  }

  int(n: number, label: string): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`choices.int(${n}, '${label}'): n must be a positive integer`);
    if (n === 1) return 0;
    const i = this.recorded.length;
    const v = i < this.prefix.length ? Math.abs(Math.trunc(this.prefix[i] as number)) % n : this.tail ? this.tail.int(n, label, i) : 0;
    this.note(v, n, label);
    return v;
  }

  bool(p: number, label: string): boolean {
    if (!(p > 0)) return false;
    if (p >= 1) return true;
    const i = this.recorded.length;
    const v = i < this.prefix.length ? Math.abs(Math.trunc(this.prefix[i] as number)) % 2 : this.tail ? (this.tail.bool(p, label, i) ? 1 : 0) : 0;
    this.note(v, 2, label);
    return v === 1;
  }

  pick<T>(xs: readonly T[], label: string): T {
    if (xs.length === 0) throw new RangeError(`choices.pick([], '${label}'): nothing to pick from`);
    return xs[this.int(xs.length, label)] as T;
  }

  private note(v: number, n: number, label: string): void {
    if (this.narrow) this.worth[this.recorded.length] = this.narrow(label, n, this.recorded.length);
    this.recorded.push(v);
    this.options.push(n);
    this.labels.push(label);
  }
}
