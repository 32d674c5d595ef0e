import type { Operation } from '../../sim/history.ts';
import type { LinModel } from '../../sim/check/models/types.ts';
import { canonicalJson, type Value } from '../../sim/value.ts';

/**
 * The karaoke queue as a sequential object, for the linearizability checker: an ordered list
 * of songs with vote counts. (The planned generic "ordered list" model had not landed in
 * sim/check/models/ when this was written, so the design brings its own LinModel.)
 *
 *  add(id) -> null            appends [id, 0]
 *  vote(id) -> true | false   true: present, votes + 1; false: absent
 *  remove(id) -> true | false true: present, removed; false: absent
 *  reorder([id, to]) -> bool  true: present, moved to index `to` (clamped); false: absent
 *  next() -> id | null        pops the head (null when empty)
 *  read() -> [[id, votes]...] the whole queue
 * `fail` operations (an expectedVersion mismatch) never reach the model.
 */
export type Queue = readonly (readonly [string, number])[];

const idx = (q: Queue, id: Value) => q.findIndex(([s]) => s === id);

export function stepQueue(q: Queue, op: Operation): Queue | undefined {
  const known = op.status === 'ok';
  const out = op.output;
  switch (op.f) {
    case 'add':
      return [...q, [op.input as string, 0]];
    case 'vote': {
      const i = idx(q, op.input);
      if (known && (out === true) !== i >= 0) return undefined;
      return i < 0 ? q : q.map((e, j) => (j === i ? ([e[0], e[1] + 1] as const) : e));
    }
    case 'remove': {
      const i = idx(q, op.input);
      if (known && (out === true) !== i >= 0) return undefined;
      return i < 0 ? q : q.filter((_, j) => j !== i);
    }
    case 'reorder': {
      const [id, to] = op.input as [string, number];
      const i = idx(q, id);
      if (known && (out === true) !== i >= 0) return undefined;
      if (i < 0) return q;
      const rest = q.filter((_, j) => j !== i);
      const t = Math.max(0, Math.min(to, rest.length));
      return [...rest.slice(0, t), q[i] as readonly [string, number], ...rest.slice(t)];
    }
    case 'next': {
      const head = q[0]?.[0] ?? null;
      if (known && out !== head) return undefined;
      return q.length === 0 ? q : q.slice(1);
    }
    case 'read': {
      if (!known) return q;
      return canonicalJson(out) === canonicalJson(q as unknown as Value) ? q : undefined;
    }
    default:
      return undefined;
  }
}

export function karaokeQueueModel(): LinModel<Queue> {
  return {
    name: 'karaoke-queue',
    doc: 'ordered list of songs with votes: add / vote / remove / reorder / next / read',
    init: () => [],
    step: stepQueue,
    hash: (q) => canonicalJson(q as unknown as Value),
    readOnly: (op) => op.f === 'read',
  };
}
