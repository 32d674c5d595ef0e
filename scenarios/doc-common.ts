import { docSequencer, type DocParams } from '../models/doc-sequencer/index.ts';
import { ackedKept, appliedOnceInText, intentionPreserved } from '../models/doc-sequencer/checks.ts';
import { consensus } from '../sim/check/consensus.ts';
import { convergence } from '../sim/check/convergence.ts';
import { sequencer } from '../sim/check/sequencer.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { MS } from '../sim/value.ts';

export { docSequencer };

/** The defaults the document scenarios vary from: five replicas, six clients typing. */
export const docParams = (over: Partial<DocParams> = {}): DocParams => ({
  servers: 5,
  clients: 6,
  think: { min: 50 * MS, max: 400 * MS },
  compactEvery: 200,
  ...over,
});

/** A metro network between clients and a datacentre: a few ms, a tail. */
/** Every position model of the corrected document must hold in every doc scenario. */
export const correctedHolds = {
  corrected: { holds: true },
  'corrected/yjs': { holds: true },
  'corrected/rga': { holds: true },
} as const;

export const docNet: NetworkSpec = { default: { latency: { kind: 'lognormal', median: 4 * MS, sigma: 0.6, min: 500 } } };

const text = (_replica: string, s: unknown): string => (s as { text: string }).text;

/** The checks every document scenario runs. */
export const docChecks = (): Checker[] => [
  sequencer(),
  convergence({ project: text }),
  intentionPreserved(),
  appliedOnceInText(),
  ackedKept(),
  consensus(),
];
