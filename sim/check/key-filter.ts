import type { Checker, CheckInput } from './types.ts';

/**
 * Runs `inner` on the operations whose key satisfies `keep` only, under `name`. A history may
 * hold two kinds of object (a Durable Object's reads and writes, and the lock operations its
 * workers made); each kind is checked against its own model.
 */
export function keyFiltered(name: string, keep: (key: string | undefined) => boolean, inner: Checker): Checker {
  return {
    name,
    check(input: CheckInput) {
      const r = inner.check({ ...input, history: input.history.filter((e) => keep(e.key)) });
      return { ...r, name };
    },
  };
}
