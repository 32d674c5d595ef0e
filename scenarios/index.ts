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
import raftKvFigure8 from './raft-kv-figure8.ts';
import raftKvLeaderCrash from './raft-kv-leader-crash.ts';
import raftKvSplitVotes from './raft-kv-split-votes.ts';
import raftKvLossy from './raft-kv-lossy.ts';
import raftKvNemesis from './raft-kv-nemesis.ts';
import raftKvPartition from './raft-kv-partition.ts';
import raftKvPowerLoss from './raft-kv-power-loss.ts';

/** Every named scenario. One import per scenario file; `faultline list` shows them in this order. */
export const scenarios: readonly Scenario[] = [kvCalm, kvCrashRestart, kvLossyRetries, kvNemesis, kvSoak,
  karaokeVoteBurst, karaokeColdStartRetry, karaokeEvictedDedup, karaokeClockStep, karaokeDupReorder, karaokeTwoDevices,
  waddleTwoDevices, waddleChannelReset, waddleLongPartition, waddleVoiceDropout,
  docLeaderCrash, docLeaderPartition, docDupRetry, docStaleBase, docSlowFollower, docClockDrift, docNemesis, docOtOrCrdt,
  raftKvLeaderCrash, raftKvPartition, raftKvLossy, raftKvNemesis, raftKvPowerLoss,
  raftKvSplitVotes, raftKvFigure8,
];

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
