/**
 * Planted one-line defects in the reference CRDTs. Each is checked in exactly one place (the
 * line that departs from the correct code), so a model variant `bug:<name>` turns one on.
 */
export interface Flaws {
  /** RGA merge re-inserts elements it already holds (a merge that is not idempotent). */
  readonly mergeNotIdempotent?: boolean;
  /** OR-Set remove drops the element's dots but records no tombstone for them. */
  readonly forgetTombstone?: boolean;
  /** Vector-clock compare calls two concurrent clocks ordered ("before"). */
  readonly concurrentAsOrdered?: boolean;
}

export const NO_FLAWS: Flaws = {};
