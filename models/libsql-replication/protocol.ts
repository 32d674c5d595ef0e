import type { NodeId, Value } from '../../sim/value.ts';
import type { Frame, Stmt } from './frame.ts';
import type { StmtResult } from './sqlite.ts';

/**
 * The replication node's message protocol. Two halves:
 *
 * Client protocol (what any process that uses the database sends; see README "Using the
 * leader from another design"):
 *   ExecRequest  -> the leader runs `stmts` as one write transaction, replicates it as one
 *                   frame and answers ExecResult once the write is acknowledged (as-written:
 *                   applied locally; corrected: durable on a majority).
 *   QueryRequest -> a read in one of the document's three modes.
 *   Either may be answered by Redirect (not the leader / cannot serve this read here).
 *
 * Replication protocol (between database nodes): Append (frames + commit point + heartbeat),
 * AppendAck, VoteRequest, VoteReply.
 */
export type ReadMode = 'strong' | 'ryw' | 'eventual';
export const READ_MODES: readonly ReadMode[] = ['strong', 'ryw', 'eventual'];

export interface ExecRequest {
  readonly [field: string]: Value;
  readonly t: 'exec';
  /** Request number, unique per client; retries reuse it (the leader answers them from its result). */
  readonly req: number;
  readonly stmts: readonly Stmt[];
}

export interface QueryRequest {
  readonly [field: string]: Value;
  readonly t: 'query';
  readonly req: number;
  readonly mode: ReadMode;
  readonly stmt: Stmt;
  /** read-your-writes: the frameNo the replica must have applied before it answers. */
  readonly token: number;
}

/** Position of the answer in the log: the write's frame, or the state a read saw. */
export interface Position {
  readonly [field: string]: Value;
  readonly frameNo: number;
  readonly term: number;
}

export type ExecResult =
  | { readonly t: 'result'; readonly req: number; readonly ok: true; readonly results: readonly StmtResult[]; readonly at: Position; readonly by: NodeId }
  /** The transaction failed (SQL error, or refused as nondeterministic): it certainly did not apply. */
  | { readonly t: 'result'; readonly req: number; readonly ok: false; readonly error: string; readonly by: NodeId };

export interface Redirect {
  readonly [field: string]: Value;
  readonly t: 'redirect';
  readonly req: number;
  /** Who this node believes leads, if anyone. */
  readonly leader: NodeId | null;
}

export interface Append {
  readonly [field: string]: Value;
  readonly t: 'append';
  readonly term: number;
  /** The frame before `frames[0]` (0 and the genesis checksum for the start of the log). */
  readonly prevNo: number;
  readonly prevChecksum: number;
  readonly frames: readonly Frame[];
  readonly commit: number;
  /** The leader's last frameNo: without epochs, two nodes that both lead compare it to decide who steps down. */
  readonly leaderLast: number;
  /** Heartbeat round; acks echo it, which is how a leader confirms it still leads. */
  readonly seq: number;
}

export interface AppendAck {
  readonly [field: string]: Value;
  readonly t: 'append-ack';
  readonly term: number;
  readonly seq: number;
  readonly ok: boolean;
  /** ok: the last frame this replica holds durably and that matches the leader's log. */
  readonly match: number;
  /** not ok: the frameNo it wants next (a gap, or a mismatch to back off from). */
  readonly need: number;
}

export interface VoteRequest {
  readonly [field: string]: Value;
  readonly t: 'vote';
  readonly term: number;
  readonly round: number;
  readonly lastNo: number;
  readonly lastTerm: number;
}

export interface VoteReply {
  readonly [field: string]: Value;
  readonly t: 'vote-reply';
  readonly term: number;
  readonly round: number;
  readonly granted: boolean;
}

export type ClientMessage = ExecRequest | QueryRequest;
export type ReplyMessage = ExecResult | QueryResult | Redirect;
export type PeerMessage = Append | AppendAck | VoteRequest | VoteReply;

export type QueryResult =
  | { readonly t: 'result'; readonly req: number; readonly ok: true; readonly results: readonly StmtResult[]; readonly at: Position; readonly by: NodeId }
  | { readonly t: 'result'; readonly req: number; readonly ok: false; readonly error: string; readonly by: NodeId };

const tagged = (m: Value, t: string): boolean => m !== null && typeof m === 'object' && !Array.isArray(m) && (m as { t?: Value }).t === t;

export const isExec = (m: Value): m is ExecRequest => tagged(m, 'exec');
export const isQuery = (m: Value): m is QueryRequest => tagged(m, 'query');
export const isResult = (m: Value): m is ExecResult => tagged(m, 'result');
export const isRedirect = (m: Value): m is Redirect => tagged(m, 'redirect');
export const isAppend = (m: Value): m is Append => tagged(m, 'append');
export const isAppendAck = (m: Value): m is AppendAck => tagged(m, 'append-ack');
export const isVote = (m: Value): m is VoteRequest => tagged(m, 'vote');
export const isVoteReply = (m: Value): m is VoteReply => tagged(m, 'vote-reply');
