import type { Scenario } from '../sim/scenario.ts';
import kvCalm from './kv-calm.ts';
import kvCrashRestart from './kv-crash-restart.ts';
import kvLossyRetries from './kv-lossy-retries.ts';
import kvNemesis from './kv-nemesis.ts';
import kvSoak from './kv-soak.ts';
import karaokeColdStartRetry from './karaoke-cold-start-retry.ts';
import karaokeEvictedDedup from './karaoke-evicted-dedup.ts';
import karaokeVoteBurst from './karaoke-vote-burst.ts';
import karaokeClockStep from './karaoke-clock-step.ts';
import karaokeDupReorder from './karaoke-dup-reorder.ts';
import karaokeTwoDevices from './karaoke-two-devices.ts';
import waddleChannelReset from './waddle-channel-reset.ts';
import waddleLongPartition from './waddle-long-partition.ts';
import waddleTwoDevices from './waddle-two-devices.ts';
import waddleVoiceDropout from './waddle-voice-dropout.ts';
import docLeaderCrash from './doc-leader-crash.ts';
import docLeaderPartition from './doc-leader-partition.ts';
import docDupRetry from './doc-dup-retry.ts';
import docStaleBase from './doc-stale-base.ts';
import docSlowFollower from './doc-slow-follower.ts';
import docClockDrift from './doc-clock-drift.ts';
import docNemesis from './doc-nemesis.ts';
import docOtOrCrdt from './doc-ot-or-crdt.ts';

/** Every named scenario. One import per scenario file; `faultline list` shows them in this order. */
export const scenarios: readonly Scenario[] = [kvCalm, kvCrashRestart, kvLossyRetries, kvNemesis, kvSoak,
  karaokeVoteBurst, karaokeColdStartRetry, karaokeEvictedDedup, karaokeClockStep, karaokeDupReorder, karaokeTwoDevices,
  waddleTwoDevices, waddleChannelReset, waddleLongPartition, waddleVoiceDropout,
  docLeaderCrash, docLeaderPartition, docDupRetry, docStaleBase, docSlowFollower, docClockDrift, docNemesis, docOtOrCrdt,
];

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
