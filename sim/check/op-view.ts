import type { Operation } from '../history.ts';
import type { Value } from '../value.ts';

/** An operation as evidence shows it: enough to draw it on a timeline. */
export interface OpView {
  readonly [field: string]: Value;
  readonly id: number;
  readonly process: number;
  readonly f: string;
  readonly key: string | null;
  readonly input: Value;
  readonly output: Value;
  /** ok, info (unknown outcome), or pending (not yet completed at the cut of a prefix). */
  readonly status: string;
  readonly invokeTime: number;
  /** null when the op never completed (or had not yet, at the cut). */
  readonly completeTime: number | null;
}

/** The evidence view of an op; `status` may override (e.g. `pending` at the cut of a prefix). */
export function opView(op: Operation, status: string = op.status, output: Value = op.output): OpView {
  return {
    id: op.id,
    process: op.process,
    f: op.f,
    key: op.key ?? null,
    input: op.input,
    output: status === 'pending' ? null : output,
    status,
    invokeTime: op.invokeTime,
    completeTime: status === 'pending' || !Number.isFinite(op.completeTime) ? null : op.completeTime,
  };
}

