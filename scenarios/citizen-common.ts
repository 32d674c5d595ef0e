import { convergence } from '../sim/check/convergence.ts';
import { invariants } from '../sim/check/invariants.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import type { Expectation } from '../sim/scenario.ts';
import { MS } from '../sim/value.ts';
import { isRaftKey, lostUpdates, onOtSeq, surprises, txAtomic } from '../models/model-citizen/checks.ts';
import { keyFiltered } from '../sim/check/key-filter.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { appliedOnceInText, intentionPreserved } from '../models/doc-sequencer/checks.ts';
import { tokenChar } from '../models/model-citizen/seq-ot.ts';
import { type CitizenParams, contextIds, DEFAULT_MIX, DEFAULT_THINK } from '../models/model-citizen/index.ts';

export const CONTEXTS = 3;
export const citizenTargets = contextIds(CONTEXTS);

export const citizenParams = (over: Partial<CitizenParams> = {}): CitizenParams => ({
  contexts: CONTEXTS,
  mix: DEFAULT_MIX,
  think: DEFAULT_THINK,
  ...over,
});

/** Contexts on a LAN-to-metro network: a few ms, with a tail. */
export const citizenNet: NetworkSpec = { default: { latency: { kind: 'lognormal', median: 5 * MS, sigma: 0.6, min: 500 } } };

const notRaft = (k: string | undefined): boolean => !isRaftKey(k);
const tokensText = (seq: readonly string[]): string => seq.map(tokenChar).join('');

/**
 * Every scenario's checks: strong eventual consistency, no silent merges, lost updates, and the
 * findings (option 1's history); per-key linearizability and atomic transactions (options 2 and
 * 3, from their `reg/` ops and the subscribers' probes); intention and applied-once for option 3's
 * OT ZenSeq (doc-sequencer's checks). A check finds nothing to judge in the other options' runs.
 */
export const citizenCheckers = (): Checker[] => [
  convergence(),
  invariants({ name: 'no-silent-merges', only: ['citizen.callbacks'] }),
  invariants({ name: 'no-resurrection', only: ['citizen.monotonic'] }),
  keyFiltered('lost-updates', notRaft, lostUpdates()),
  keyFiltered('surprises', notRaft, surprises()),
  keyFiltered('linearizable', (k) => k !== undefined && k.startsWith('reg/'), linearizable({ model: 'register' })),
  txAtomic(),
  onOtSeq(intentionPreserved(), tokensText),
  onOtSeq(appliedOnceInText(), tokensText),
];

/** What every CRDT variant that is correct must show: every check holds. */
export const HOLDS: Expectation = { holds: true };
