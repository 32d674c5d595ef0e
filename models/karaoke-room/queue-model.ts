import { FNV_BASIS, foldHash } from '../../sim/hash.ts';
import type { Operation } from '../../sim/history.ts';
import type { LinModel } from '../../sim/check/models/types.ts';
import { canonicalJson, type Value } from '../../sim/value.ts';

/**
 * The karaoke queue as a sequential object, for the linearizability checker: an ordered list
 * of songs with vote counts. (The planned generic "ordered list" model had not landed in
 * sim/check/models/ when this was written, so the design brings its own LinModel.)
 *
 *  add(id) -> null            appends [id, 0]
 * (an ok operation whose output is not of its kind, e.g. a vote answered with a queue, has no step)
 *  vote(id) -> true | false   true: present, votes + 1; false: absent
 *  remove(id) -> true | false true: present, removed; false: absent
 *  reorder([id, to]) -> bool  true: present, moved to index `to` (clamped); false: absent
 *  next() -> id | null        pops the head (null when empty)
 *  read() -> [[id, votes]...] the whole queue
 * `fail` operations (an expectedVersion mismatch) never reach the model.
 */
export type Queue = readonly (readonly [string, number])[];

const idx = (q: Queue, id: Value) => q.findIndex(([s]) => s === id);
/** vote, remove and reorder answer a boolean, nothing else (a queue, a null: not this operation's answer). */
const answersBool = (op: Operation) => op.status !== 'ok' || op.output === true || op.output === false;

export function stepQueue(q: Queue, op: Operation): Queue | undefined {
  const known = op.status === 'ok';
  const out = op.output;
  switch (op.f) {
    case 'add':
      if (known && out !== null) return undefined;
      return [...q, [op.input as string, 0]];
    case 'vote': {
      if (!answersBool(op)) return undefined;
      const i = idx(q, op.input);
      if (known && (out === true) !== i >= 0) return undefined;
      return i < 0 ? q : q.map((e, j) => (j === i ? ([e[0], e[1] + 1] as const) : e));
    }
    case 'remove': {
      if (!answersBool(op)) return undefined;
      const i = idx(q, op.input);
      if (known && (out === true) !== i >= 0) return undefined;
      return i < 0 ? q : q.filter((_, j) => j !== i);
    }
    case 'reorder': {
      if (!answersBool(op)) return undefined;
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

/** FNV-1a over a queue's ids and vote counts: a bucket for the search, `sameQueue` decides. */
function hashQueue(q: Queue): number {
  let h = FNV_BASIS | 0;
  for (const [id, votes] of q) {
    h = foldHash(h, id);
    // The separator keeps ["ab", 1] and ["a", ...] apart; the votes follow it.
    h = Math.imul(h ^ 0x1f, 0x01000193);
    h = Math.imul(h ^ votes, 0x01000193);
  }
  return h;
}

/** True when `v` (a queue, or a read's output) is exactly the entries of `q`. */
function sameQueue(q: Queue, v: Value | Queue): boolean {
  if (!Array.isArray(v) || v.length !== q.length) return false;
  for (let i = 0; i < q.length; i++) {
    const a = q[i] as readonly [string, number];
    const b: unknown = v[i];
    if (!Array.isArray(b) || b.length !== 2 || b[0] !== a[0] || b[1] !== a[1]) return false;
  }
  return true;
}

/**
 * `stepQueue` above is the specification; the model the checker runs is the same step,
 * specialised per op (LinModel.prepare), with a numeric hash and structural comparisons.
 * Why: a karaoke history whose clients act without pause gave the search 2 million steps in
 * over two minutes (68 us a step), nearly all of it in canonicalJson, run on the whole queue for
 * every new state and, for a read, on both the queue and the read's output at every step. A
 * test holds this model's steps equal to `stepQueue` and its verdicts equal to a brute-force
 * oracle's.
 */
export function karaokeQueueModel(): LinModel<Queue> {
  const prepare = (op: Operation): ((q: Queue) => Queue | undefined) => {
    if (op.f === 'read') {
      if (op.status !== 'ok') return (q) => q;
      const want = op.output;
      return (q) => (sameQueue(q, want) ? q : undefined);
    }
    return (q) => stepQueue(q, op);
  };
  return {
    name: 'karaoke-queue',
    doc: 'ordered list of songs with votes: add / vote / remove / reorder / next / read',
    ops: ['add', 'vote', 'remove', 'reorder', 'next', 'read'],
    init: () => [],
    step: (q, op) => prepare(op)(q),
    prepare,
    hash: hashQueue,
    equal: sameQueue,
    readOnly: (op) => op.f === 'read',
    // Wherever these are legal they leave the queue as it was: a vote, remove or reorder answered
    // false (legal only when the song is absent); a next answered null (only when empty).
    keepsState: (op) =>
      op.status === 'ok' && (((op.f === 'vote' || op.f === 'remove' || op.f === 'reorder') && op.output === false) || (op.f === 'next' && op.output === null)),
  };
}
