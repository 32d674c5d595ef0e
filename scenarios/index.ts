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
import libsqlLeaderCrash from './libsql-leader-crash.ts';
import libsqlPartition from './libsql-partition.ts';
import libsqlLaggingReplica from './libsql-lagging-replica.ts';
import libsqlNemesis from './libsql-nemesis.ts';

/** Every named scenario. One import per scenario file; `faultline list` shows them in this order. */
export const scenarios: readonly Scenario[] = [kvCalm, kvCrashRestart, kvLossyRetries, kvNemesis, kvSoak,
  karaokeVoteBurst, karaokeColdStartRetry, karaokeEvictedDedup, karaokeClockStep, karaokeDupReorder, karaokeTwoDevices,
  waddleTwoDevices, waddleChannelReset, waddleLongPartition, waddleVoiceDropout,
  libsqlLeaderCrash, libsqlPartition, libsqlLaggingReplica, libsqlNemesis,
];

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
