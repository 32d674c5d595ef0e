import type { ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';

/**
 * How a design embeds Raft. Raft is not a process of its own: a host process (a document
 * sequencer replica, a transaction server, the raft-kv demo server) creates one RaftNode with
 * its ProcessContext and hands it every message and timer first. Raft's messages and timer tags
 * are plain Values marked `{ raft: ... }`, so a host tells them apart from its own.
 *
 * This contract is fixed so that the designs built on Raft (seed 002's sequencer, seed 004's
 * transactions) and Raft itself can be written side by side; change it only together with them.
 */

/** The deterministic state machine Raft replicates. One instance per node, rebuilt on restart. */
export interface StateMachine {
  /** Applies the committed command at log `index`; the output goes to the proposer via onApply. */
  apply(command: Value, index: number): Value;
  /** The whole state as plain data, for a snapshot (Raft paper section 7). Raft copies it (structuredClone). */
  snapshot(): Value;
  /** Replaces the whole state with a snapshot's (InstallSnapshot, or restart from a snapshot). */
  restore(snapshot: Value): void;
}

/** Planted one-line departures from the paper, each of which a scenario must catch. */
export type RaftBug =
  /** Commit an entry of an earlier term by counting replicas (the paper's Figure 8). */
  | 'commit-old-term'
  /** votedFor is kept in memory only: a restarted node may vote twice in one term. */
  | 'forget-voted-for'
  /** Answer AppendEntries / RequestVote before the log and term are synced to storage. */
  | 'reply-before-sync'
  /** Accept AppendEntries without checking prevLogIndex / prevLogTerm. */
  | 'skip-prev-check'
  /** Grant a vote to a candidate whose log is less up to date (section 5.4.1). */
  | 'vote-stale-log';

export interface RaftConfig {
  /** Every member of the cluster, this node included, in a fixed order. */
  readonly peers: readonly NodeId[];
  /** Randomized election timeout, drawn per election as a choice, on the node's own clock. */
  readonly electionTimeout: { readonly min: Micros; readonly max: Micros };
  readonly heartbeat: Micros;
  /** Take a snapshot and compact the log once this many entries were applied past the last one; 0 never. */
  readonly snapshotEvery: number;
  /** Most entries in one AppendEntries (default 64). */
  readonly maxBatch?: number;
  readonly bugs?: readonly RaftBug[];
  /** Storage key prefix for currentTerm, votedFor, log and snapshot (default 'raft/'). */
  readonly storagePrefix?: string;
  /**
   * A new leader appends a no-op entry of its term (section 8), so earlier entries commit
   * without waiting for a client (default true). No-op entries are Raft's own: they take a log
   * index but never reach StateMachine.apply or onApply, so applied indices may have gaps.
   * Added after the contract was fixed (optional, so no embedding changes): the Figure 8
   * scenario turns it off, since the no-op is what usually hides 'commit-old-term'.
   */
  readonly noopOnElection?: boolean;
}

export type RaftRole = 'follower' | 'candidate' | 'leader';

export type ProposeResult =
  | { readonly ok: true; readonly index: number; readonly term: number }
  /** Not the leader: `leader` is the last leader this node heard from, if any (forward there). */
  | { readonly ok: false; readonly leader: NodeId | undefined };

export interface RaftEvents {
  /**
   * The entry at `index` committed and was applied to the state machine on this node (every
   * node, leader or follower, in index order, exactly once per incarnation). A leader answers
   * its clients from here, after checking that `term` is the term it proposed in.
   */
  onApply?(index: number, term: number, command: Value, output: Value): void;
  onRoleChange?(role: RaftRole, term: number): void;
  /** The state machine was restored from a snapshot the leader sent (InstallSnapshot). */
  onSnapshotInstalled?(lastIncludedIndex: number, lastIncludedTerm: number): void;
}

export interface RaftNode {
  /** Arms the election timer; call from the host's onStart (after a restart too). */
  start(): void;
  /** Every incoming message goes here first; true if it was Raft's (the host then ignores it). */
  handleMessage(from: NodeId, msg: Value): boolean;
  /** Every timer goes here first; true if it was Raft's. */
  handleTimer(tag: Value, id: TimerId): boolean;
  /** Appends a command to the log if this node is the leader (it commits later, or never). */
  propose(command: Value): ProposeResult;
  readonly role: RaftRole;
  readonly term: number;
  readonly leaderHint: NodeId | undefined;
  readonly commitIndex: number;
  readonly lastApplied: number;
  /** A stable digest of Raft's in-memory state, for the explorer's state hashing. */
  fingerprint(): string;
}

/** What models/raft exports as `createRaftNode`. */
export type CreateRaftNode = (ctx: ProcessContext, config: RaftConfig, sm: StateMachine, events?: RaftEvents) => RaftNode;
