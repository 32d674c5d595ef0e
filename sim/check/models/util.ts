import type { Operation } from '../../history.ts';
import { canonicalJson, type Value } from '../../value.ts';

/**
 * Identity hash for plain Values. Numbers and strings hash as themselves: V8 caches a string's
 * hash in the string, so a state that is the same string object costs nothing to look up again,
 * whereas building canonical JSON for it would allocate on every step. Other values hash as
 * '\u0000' + canonical JSON, which no JSON text starts with; the one string that could collide
 * with it is a string state that itself starts with '\u0000' and spells JSON.
 */
export function valueHash(v: Value): string | number {
  if (typeof v === 'number' || typeof v === 'string') return v;
  return '\u0000' + canonicalJson(v);
}

/** Partition by the op's key; ops without a key form the partition named ''. */
export function byKey(op: Operation): string {
  return op.key ?? '';
}

/** The output is known and must match. */
export function known(op: Operation): boolean {
  return op.status === 'ok';
}

/** Readable name of a value for model error messages. */
export function show(v: Value): string {
  return canonicalJson(v);
}
