import { ReplayChoices } from '../choices.ts';
import type { Choices } from '../choices.ts';

/**
 * A run's draws, each with the label it was drawn under: what structured shrinking cuts by.
 */
export interface LabelledRun {
  readonly values: readonly number[];
  readonly labels: readonly string[];
}

/**
 * Replays a recorded run label by label instead of position by position: the k-th draw under a
 * label gets the k-th value the recorded run drew under that label (0, the simplest option, past
 * the end). A candidate that drops a client, a fault or an operation makes fewer draws under some
 * labels; with a flat sequence every later draw of every node would shift onto another decision,
 * here only the draws under the labels that lost some move (Hypothesis keeps its blocks aligned
 * for the same reason). It records the flat sequence the candidate really drew, which a plain
 * ReplayChoices replays exactly: repro files stay flat.
 */
export class StreamReplayChoices implements Choices {
  private readonly streams = new Map<string, { readonly values: number[]; at: number }>();
  readonly recorded: number[] = [];
  readonly recordedLabels: string[] = [];

  constructor(run: LabelledRun) {
    for (let i = 0; i < run.values.length; i++) {
      const label = run.labels[i] ?? '';
      let s = this.streams.get(label);
      if (!s) {
        s = { values: [], at: 0 };
        this.streams.set(label, s);
      }
      s.values.push(run.values[i] ?? 0);
    }
  }

  private draw(n: number, label: string): number {
    const s = this.streams.get(label);
    let v = 0;
    if (s && s.at < s.values.length) v = s.values[s.at++] as number;
    v = Math.abs(Math.trunc(v)) % n;
    this.recorded.push(v);
    this.recordedLabels.push(label);
    return v;
  }

  // As ChoicesBase does: a choice of one option and a certain bool take no draw, so the flat
  // sequence recorded here lines up with what ReplayChoices consumes.
  int(n: number, label: string): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`choices.int(${n}, '${label}'): n must be a positive integer`);
    if (n === 1) return 0;
    return this.draw(n, label);
  }

  bool(p: number, label: string): boolean {
    if (!(p > 0)) return false;
    if (p >= 1) return true;
    return this.draw(2, label) === 1;
  }

  pick<T>(xs: readonly T[], label: string): T {
    if (xs.length === 0) throw new RangeError(`choices.pick([], '${label}'): nothing to pick from`);
    return xs[this.int(xs.length, label)] as T;
  }
}

/** A flat replay that also records labels (to turn a flat best point into a LabelledRun). */
export function labelledReplay(seq: readonly number[]): ReplayChoices {
  return new ReplayChoices(seq, { record: 'labels' });
}
