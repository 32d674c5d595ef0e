import { permutationSymmetry, type TransitionSystem } from '../transition-system.ts';

/**
 * Two-phase commit as TLA+'s TwoPhase spec states it (Gray and Lamport, "Consensus on
 * Transaction Commit"; Lamport's TwoPhase.tla), the protocol behind seed 001's "two-phase
 * commit for staged clones": one transaction manager (TM) and N resource managers (RMs).
 *
 *   variables  rmState[rm] in {working, prepared, committed, aborted}
 *              tmState in {init, committed, aborted}
 *              tmPrepared, the RMs the TM has a Prepared message from
 *              msgs, the messages ever sent: [Prepared, rm], Commit, Abort (never removed)
 *   TMRcvPrepared(rm)  tmState = init, [Prepared, rm] in msgs      -> tmPrepared += rm
 *   TMCommit           tmState = init, tmPrepared = all RMs        -> tmState = committed, send Commit
 *   TMAbort            tmState = init                              -> tmState = aborted, send Abort
 *   RMPrepare(rm)      rmState[rm] = working                       -> prepared, send [Prepared, rm]
 *   RMChooseToAbort(rm) rmState[rm] = working                      -> aborted
 *   RMRcvCommitMsg(rm) Commit in msgs                              -> rmState[rm] = committed
 *   RMRcvAbortMsg(rm)  Abort in msgs                               -> rmState[rm] = aborted
 *   invariant TCConsistent: no RM committed while another aborted.
 *
 * Stateright's example of the same spec (examples/2pc.rs) reports 288 distinct states for 3 RMs,
 * 8,832 for 5, and 665 for 5 with symmetry reduction; the tests hold these counts.
 *
 * A state is one integer (the engine hashes numbers without building strings, which is most
 * of the difference between 25k and several 100k states/s): RM r owns bits 4r..4r+3 (its
 * state in two bits, then "in tmPrepared", then "[Prepared, r] sent"); above them the TM's
 * state (two bits), then "Commit sent" and "Abort sent". Hence at most 7 RMs (32 bits).
 * `decodeTwoPhase` turns a state back into named fields for people.
 */
export const enum Rm {
  Working = 0,
  Prepared = 1,
  Committed = 2,
  Aborted = 3,
}
export const enum Tm {
  Init = 0,
  Committed = 1,
  Aborted = 2,
}

export type TwoPhaseState = number;

export interface TwoPhaseOptions {
  /** Number of resource managers, 1..7. */
  readonly rms: number;
  /**
   * Symmetry over the RMs. 'stateright' sorts by the RM's own state only and carries
   * tmPrepared and the Prepared messages along (Stateright's `representative`, stable sort:
   * 665 for 5 RMs). Two RMs in one state but with different tmPrepared or messages keep their
   * index order, so a class can have several representatives and the count depends on the
   * order the search reaches states. 'full' sorts by everything indexed by the RM: one
   * representative per class (314 for 5 RMs, whatever the order).
   */
  readonly symmetry?: 'stateright' | 'full';
  /** A planted bug: the TM commits once any RM is prepared (breaks TCConsistent). */
  readonly bugCommitEarly?: boolean;
}

const RM_NAMES = ['working', 'prepared', 'committed', 'aborted'] as const;
const TM_NAMES = ['init', 'committed', 'aborted'] as const;

/** The state's fields by name (for counterexample traces). */
export function decodeTwoPhase(s: TwoPhaseState, rms: number) {
  const hi = 4 * rms;
  return {
    rmState: Array.from({ length: rms }, (_, r) => RM_NAMES[(s >>> (4 * r)) & 3] as string),
    tmState: TM_NAMES[(s >>> hi) & 3] as string,
    tmPrepared: Array.from({ length: rms }, (_, r) => r).filter((r) => ((s >>> (4 * r + 2)) & 1) === 1),
    msgs: [
      ...Array.from({ length: rms }, (_, r) => r)
        .filter((r) => ((s >>> (4 * r + 3)) & 1) === 1)
        .map((r) => `Prepared(${r})`),
      ...(((s >>> (hi + 2)) & 1) === 1 ? ['Commit'] : []),
      ...(((s >>> (hi + 3)) & 1) === 1 ? ['Abort'] : []),
    ],
  };
}

export function twoPhase(o: TwoPhaseOptions): TransitionSystem<TwoPhaseState> {
  const n = o.rms;
  if (!Number.isInteger(n) || n < 1 || n > 7) throw new RangeError(`twoPhase: rms must be 1..7, got ${n}`);
  const hi = 4 * n;
  const TM = 3 << hi;
  const COMMIT = 1 << (hi + 2);
  const ABORT = (1 << (hi + 3)) >>> 0;
  const TM_INIT = 0;
  const TM_COMMITTED = 1 << hi;
  const TM_ABORTED = 2 << hi;
  // Every RM's tmPrepared bit: the TM may commit when all are set.
  let allPrepared = 0;
  for (let r = 0; r < n; r++) allPrepared |= 1 << (4 * r + 2);
  const sym = o.symmetry;
  const nibbles = new Array<number>(n);
  // Action names made once: a string built per transition cost more than the transition.
  const names = (a: string) => Array.from({ length: n }, (_, r) => `${a}(${r})`);
  const [rcvAbort, rcvCommit, chooseAbort, prepare, tmRcv] = ['RMRcvAbortMsg', 'RMRcvCommitMsg', 'RMChooseToAbort', 'RMPrepare', 'TMRcvPrepared'].map(names) as [string[], string[], string[], string[], string[]];
  return {
    name: `TwoPhase(${n} RMs${sym ? `, symmetry ${sym}` : ''})`,
    init: [0],
    // Actions in the reverse of the order Stateright's example lists them: its DFS explores the
    // last-listed action's state first, ours the first-emitted. The order matters for one count
    // only, the symmetric one, because that representative is not canonical (see `symmetry`):
    // emitted in Stateright's own order, the same search finds 508 representatives, not 665.
    next(s, emit) {
      const init = (s & TM) === TM_INIT;
      for (let r = n - 1; r >= 0; r--) {
        const at = 4 * r;
        const st = (s >>> at) & 3;
        const clear = (s & ~(3 << at)) >>> 0;
        if ((s & ABORT) !== 0 && st !== Rm.Aborted) emit(rcvAbort[r] as string, (clear | (Rm.Aborted << at)) >>> 0);
        if ((s & COMMIT) !== 0 && st !== Rm.Committed) emit(rcvCommit[r] as string, (clear | (Rm.Committed << at)) >>> 0);
        if (st === Rm.Working) {
          emit(chooseAbort[r] as string, (clear | (Rm.Aborted << at)) >>> 0);
          emit(prepare[r] as string, (clear | (Rm.Prepared << at) | (1 << (at + 3))) >>> 0);
        }
        if (init && ((s >>> (at + 3)) & 1) === 1 && ((s >>> (at + 2)) & 1) === 0) emit(tmRcv[r] as string, (s | (1 << (at + 2))) >>> 0);
      }
      if (init) emit('TMAbort', (s | TM_ABORTED | ABORT) >>> 0);
      const prepared = s & allPrepared;
      if (init && (o.bugCommitEarly ? prepared !== 0 : prepared === allPrepared)) emit('TMCommit', (s | TM_COMMITTED | COMMIT) >>> 0);
    },
    invariants: [
      {
        name: 'TCConsistent',
        holds(s) {
          let committed = false;
          let aborted = false;
          for (let r = 0; r < n; r++) {
            const st = (s >>> (4 * r)) & 3;
            if (st === Rm.Committed) committed = true;
            else if (st === Rm.Aborted) aborted = true;
          }
          return !(committed && aborted);
        },
      },
    ],
    key: (s) => s,
    ...(sym
      ? {
          symmetry: permutationSymmetry<TwoPhaseState>({
            count: () => n,
            sortKey: sym === 'stateright' ? (s, i) => (s >>> (4 * i)) & 3 : (s, i) => (s >>> (4 * i)) & 15,
            permute(s, order) {
              for (let r = 0; r < n; r++) nibbles[r] = (s >>> (4 * r)) & 15;
              let out = (s & ~(2 ** hi - 1)) >>> 0;
              for (let j = 0; j < n; j++) out = (out | ((nibbles[order[j] as number] as number) << (4 * j))) >>> 0;
              return out;
            },
          }),
        }
      : {}),
  };
}
