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
import karaokeExplore from './karaoke-explore.ts';
import karaokeNemesis from './karaoke-nemesis.ts';
import doConformanceLossy from './do-conformance-lossy.ts';
import doConformanceEvict from './do-conformance-evict.ts';
import doConformanceEvictUnpinned from './do-conformance-evict-unpinned.ts';
import doConformanceNemesis from './do-conformance-nemesis.ts';
import waddleNemesis from './waddle-nemesis.ts';
import waddleChannelReset from './waddle-channel-reset.ts';
import waddleLongPartition from './waddle-long-partition.ts';
import waddleTwoDevices from './waddle-two-devices.ts';
import waddleVoiceDropout from './waddle-voice-dropout.ts';
import waddleRtkCrash from './waddle-rtk-crash.ts';
import routingOneBalancerBlind from './routing-one-balancer-blind.ts';
import routingRollingMembership from './routing-rolling-membership.ts';
import routingLongGossipDelay from './routing-long-gossip-delay.ts';
import routingNemesis from './routing-nemesis.ts';
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
import raftKvExplore from './raft-kv-explore.ts';
import lockAcquireRace from './lock-acquire-race.ts';
import lockHolderPause from './lock-holder-pause.ts';
import lockHolderCrash from './lock-holder-crash.ts';
import lockServiceDown from './lock-service-down.ts';
import lockReleaseRace from './lock-release-race.ts';
import hybridAcquireRace from './hybrid-acquire-race.ts';
import hybridHolderPause from './hybrid-holder-pause.ts';
import hybridHolderCrash from './hybrid-holder-crash.ts';
import hybridLockdbDown from './hybrid-lockdb-down.ts';
import hybridReleaseRace from './hybrid-release-race.ts';
import hybridNemesis from './hybrid-nemesis.ts';
import hybridLeaderFailover from './hybrid-leader-failover.ts';
import occContention from './occ-contention.ts';
import seed001TableDo from './seed001-table-do.ts';
import seed001TableLock from './seed001-table-lock.ts';
import seed001TableLibsql from './seed001-table-libsql.ts';
import seed001TableHash from './seed001-table-hash.ts';
import seed001TableOcc from './seed001-table-occ.ts';
import seed001TableHybrid from './seed001-table-hybrid.ts';
import citizenConcurrentKey from './citizen-concurrent-key.ts';
import citizenPartition from './citizen-partition.ts';
import citizenClockSkew from './citizen-clock-skew.ts';
import citizenLossyLinks from './citizen-lossy-links.ts';
import citizenCrashRestart from './citizen-crash-restart.ts';
import citizenNemesis from './citizen-nemesis.ts';
import libsqlLeaderCrash from './libsql-leader-crash.ts';
import libsqlPartition from './libsql-partition.ts';
import libsqlLaggingReplica from './libsql-lagging-replica.ts';
import libsqlNemesis from './libsql-nemesis.ts';
import libsqlStalledFollowers from './libsql-stalled-followers.ts';
import libsqlCalm from './libsql-calm.ts';

/** Every named scenario. One import per scenario file; `faultline list` shows them in this order. */
export const scenarios: readonly Scenario[] = [kvCalm, kvCrashRestart, kvLossyRetries, kvNemesis, kvSoak,
  karaokeVoteBurst, karaokeColdStartRetry, karaokeEvictedDedup, karaokeClockStep, karaokeDupReorder, karaokeTwoDevices, karaokeExplore, karaokeNemesis,
  doConformanceLossy, doConformanceEvict, doConformanceEvictUnpinned, doConformanceNemesis,
  waddleTwoDevices, waddleChannelReset, waddleLongPartition, waddleVoiceDropout, waddleNemesis, waddleRtkCrash,
  routingOneBalancerBlind, routingRollingMembership, routingLongGossipDelay, routingNemesis,
  docLeaderCrash, docLeaderPartition, docDupRetry, docStaleBase, docSlowFollower, docClockDrift, docNemesis, docOtOrCrdt,
  raftKvLeaderCrash, raftKvPartition, raftKvLossy, raftKvNemesis, raftKvPowerLoss, raftKvExplore,
  raftKvSplitVotes, raftKvFigure8,
  lockAcquireRace, lockHolderPause, lockHolderCrash, lockServiceDown, lockReleaseRace,
  hybridAcquireRace, hybridHolderPause, hybridHolderCrash, hybridLockdbDown, hybridReleaseRace, hybridNemesis, hybridLeaderFailover,
  occContention,
  seed001TableDo, seed001TableLock, seed001TableLibsql, seed001TableHash, seed001TableOcc, seed001TableHybrid,
  citizenConcurrentKey, citizenPartition, citizenClockSkew, citizenLossyLinks, citizenCrashRestart, citizenNemesis,
  libsqlLeaderCrash, libsqlPartition, libsqlLaggingReplica, libsqlNemesis, libsqlStalledFollowers, libsqlCalm,
];

// A name registered twice would run twice everywhere (golden, sweeps of the list) and make
// `faultline run <name>` ambiguous; merges have done it before, so the registry refuses it.
const seen = new Set<string>();
for (const s of scenarios) {
  if (seen.has(s.name)) throw new Error(`scenarios/index.ts registers scenario '${s.name}' twice`);
  seen.add(s.name);
}

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
