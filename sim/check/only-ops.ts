import type { Checker } from './types.ts';

/**
 * A checker run on part of the history: only the events whose `f` is in `fs` (invokes and
 * their completions carry the same `f`, so whole operations are kept or dropped). Relative
 * order is kept, so real-time order among the kept operations is unchanged. For a design whose
 * clients read in several consistency modes: linearizability judges the strong reads and the
 * writes, and leaves the eventual reads out.
 */
export function onlyOps(inner: Checker, fs: readonly string[], name: string = inner.name): Checker {
  const keep = new Set(fs);
  return {
    name,
    check(input) {
      const r = inner.check({ ...input, history: input.history.filter((e) => keep.has(e.f)) });
      return { ...r, name };
    },
  };
}
