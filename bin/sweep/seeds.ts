import { usageError } from '../exit-codes.ts';

/** Parses `A..B` (inclusive) or a single seed `N`. */
export function parseSeedRange(text: string): number[] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text.trim());
  if (!m) throw usageError(`--seeds must be A..B or N with non-negative integers, got '${text}'`);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) throw usageError(`--seeds: '${text}' is out of range: seeds go up to ${Number.MAX_SAFE_INTEGER} (2^53-1)`);
  if (b < a) throw usageError(`--seeds ${text}: the range is empty (${b} < ${a})`);
  if (b - a >= 10_000_000) throw usageError(`--seeds ${text}: at most 10 million seeds per sweep; shard it`);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

export interface Shard {
  /** 1-based, as `--shard 1/4` (jest, playwright); Kubernetes' 0-based index is `$((JOB_COMPLETION_INDEX+1))`. */
  readonly index: number;
  readonly count: number;
}

/** Parses `i/n` with 1 <= i <= n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw usageError(`--shard must be i/n (for example 2/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw usageError(`--shard ${text}: i must be between 1 and n`);
  return { index, count };
}

/**
 * The seeds shard i of n runs: every n-th seed of the range starting at the i-th, so shards get
 * equal shares even when cost drifts along the range, and together cover it exactly once.
 */
export function shardSeeds(seeds: readonly number[], shard: Shard | undefined): number[] {
  if (!shard) return [...seeds];
  return seeds.filter((_, k) => k % shard.count === shard.index - 1);
}
