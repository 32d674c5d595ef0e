import type { NemesisSpec } from '../sim/faults.ts';
import { MS, SECOND } from '../sim/value.ts';

/**
 * The random faults both Durable Object designs' nemesis scenarios (karaoke, waddle) inject on
 * their object host `do0`: crashes landing inside storage writes, pauses, partitions, lossy,
 * duplicating and reordering links, clock steps and drift, clogs, swarm style (issue 11, item 4).
 */
export const doHostNemesis: NemesisSpec = {
  interval: 700 * MS,
  rates: { crash: 0.15, pause: 0.1, partition: 0.15, degrade: 0.15, skew: 0.1, drift: 0.05, clog: 0.1 },
  duration: { min: 100 * MS, max: 2 * SECOND },
  targets: ['do0'],
  swarm: true,
  maxSkew: 15 * SECOND,
  degrade: { loss: 0.2, duplicate: 0.3, reorder: 0.5 },
  maxCrashed: 1,
};
