import { convergence } from '../sim/check/convergence.ts';
import { invariants } from '../sim/check/invariants.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import type { Expectation } from '../sim/scenario.ts';
import { MS } from '../sim/value.ts';
import { lostUpdates, surprises } from '../models/model-citizen/checks.ts';
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

/** Every scenario's checks: strong eventual consistency, no silent merges, lost updates, and the findings. */
export const citizenCheckers = (): Checker[] => [
  convergence(),
  invariants({ name: 'no-silent-merges', only: ['citizen.callbacks'] }),
  invariants({ name: 'no-resurrection', only: ['citizen.monotonic'] }),
  lostUpdates(),
  surprises(),
];

/** What every CRDT variant that is correct must show: every check holds. */
export const HOLDS: Expectation = { holds: true };
