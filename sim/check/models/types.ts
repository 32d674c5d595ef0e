import type { Operation } from '../../history.ts';

/**
 * A sequential specification the linearizability search replays operations against.
 *
 * Models are small objects so every design can bring its own. The search only ever calls
 * `init`, `step`, `hash` (and `equal` when hashes may collide), so a model's state can be any
 * immutable JS value: the search keeps references to old states for backtracking and never
 * copies them, which is why `step` must not mutate its input state.
 *
 * `step` sees the whole Operation. `op.status` is `'ok'` (the output is known and must match)
 * or `'info'` (the output is unknown: the operation may or may not have taken effect). For an
 * `info` op the model returns the state after the op took effect, or `undefined` when it could
 * not take effect in this state; the search may always leave an `info` op out entirely, which is
 * Jepsen's "or never". `fail` ops never reach a model: they did not happen.
 */
export interface LinModel<S = unknown> {
  /** The name the CLI and scenarios use, e.g. `register`. */
  readonly name: string;
  /** One line for `--help` and reports. */
  readonly doc: string;
  /**
   * Every operation name (`f`) this model gives a meaning to. Any other is an error, never a
   * verdict: a model that does not know `cas` cannot say a history with one is not linearizable.
   */
  readonly ops: readonly string[];
  /** The state of a partition before any operation. */
  init(): S;
  /**
   * The state after `op`, or `undefined` if `op` with its recorded output cannot happen in
   * `state`. Returning the very same `state` object when nothing changes lets the search skip
   * hashing (a cheap and common case: reads).
   */
  step(state: S, op: Operation): S | undefined;
  /**
   * Optional: `step` specialised to one op, made once per op by the search, which then steps
   * that op from many states without deciding again what the op is (its function name, its
   * status, a read's output). `prepare(op)(state)` must equal `step(state, op)` for every
   * state; the simplest way is to define `step` as exactly that.
   */
  prepare?(op: Operation): PreparedStep<S>;
  /**
   * Equal states must hash equal. If `equal` is absent, the hash is the state's identity (two
   * states with the same hash are the same state), so return e.g. canonical JSON; if `equal` is
   * present, the hash only picks a bucket and may collide.
   */
  hash(state: S): string | number;
  equal?(a: S, b: S): boolean;
  /**
   * P-compositionality: the partition an operation belongs to, when the model is a product of
   * independent objects (one register per key). Absent: the whole history is one partition.
   */
  partition?(op: Operation): string;
  /**
   * True for operations that never change the state (reads). An `info` read has no effect and
   * no known output, so it is always linearizable and the search drops it up front.
   */
  readOnly?(op: Operation): boolean;
  /**
   * True for operations that, wherever they are legal, leave the state as it was because their
   * recorded output says they changed nothing (a cas that saw another value, a refused
   * acquire). `readOnly` ops count as such already; list only the others. The search
   * linearizes such an op as soon as it may and is legal, without trying alternatives (sound:
   * see wgl.ts), which prunes a lot.
   * Saying true for an op that can change the state gives wrong verdicts; the search throws
   * if it notices.
   */
  keepsState?(op: Operation): boolean;
}

/**
 * A step specialised to one op (LinModel.prepare). Declared through a method type so that,
 * like `step`, it keeps LinModel<S> usable as LinModel<unknown> (method parameters are
 * bivariant, function-typed ones are not).
 */
export type PreparedStep<S> = { step(state: S): S | undefined }['step'];
