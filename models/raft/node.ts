import type { ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import type { ProposeResult, RaftBug, RaftConfig, RaftEvents, RaftNode, RaftRole, StateMachine } from './api.ts';
import type { Entry, WireEntry } from './log.ts';
import { RaftLog } from './log.ts';
import { isRaftMessage, isRaftTimer, type RaftMessage } from './messages.ts';
import { RaftStorage } from './persist.ts';

const ELECTION: Value = { raft: 'election' };
const HEARTBEAT: Value = { raft: 'heartbeat' };

/** Replies: what the planted 'reply-before-sync' sends without syncing first. */
const isReply = (m: RaftMessage) => m.raft === 'rvr' || m.raft === 'aer' || m.raft === 'isr';

/**
 * One Raft server (Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm",
 * extended version). Section numbers in comments are the paper's; Figure 2 is the summary of
 * the rules every handler below follows. The host process owns the ProcessContext and hands
 * every message and timer here first.
 */
export class RaftServer implements RaftNode {
  role: RaftRole = 'follower';
  term = 0;
  leaderHint: NodeId | undefined;
  commitIndex = 0;
  lastApplied = 0;

  private votedFor: NodeId | null = null;
  private log: RaftLog;
  private readonly store: RaftStorage;
  private readonly others: readonly NodeId[];
  private readonly majority: number;
  private readonly maxBatch: number;
  private readonly bug: ReadonlySet<RaftBug>;
  /** Raft wrote to storage since the last sync: the next message out syncs first (Figure 2). */
  private dirty = false;
  private applying = false;
  /** The state of the latest snapshot, which a leader sends to a follower that lags past it. */
  private snapState: Value = null;

  private electionTimer: TimerId | undefined;
  private electionDeadline: Micros = 0;
  private electionTimeout: Micros = 0;
  /** Set by start(): until then the node ignores Raft messages. */
  private started = false;
  private heartbeatTimer: TimerId | undefined;

  private votes = new Set<NodeId>();
  private readonly matchScratch: number[] = [];
  private nextIndex = new Map<NodeId, number>();
  private matchIndex = new Map<NodeId, number>();

  constructor(
    private readonly ctx: ProcessContext,
    private readonly config: RaftConfig,
    private readonly sm: StateMachine,
    private readonly events: RaftEvents = {},
  ) {
    if (!config.peers.includes(ctx.id)) throw new Error(`raft: ${ctx.id} is not among its peers`);
    this.others = config.peers.filter((p) => p !== ctx.id);
    this.majority = Math.floor(config.peers.length / 2) + 1;
    this.maxBatch = config.maxBatch ?? 64;
    this.bug = new Set(config.bugs ?? []);
    this.store = new RaftStorage(ctx.storage, config.storagePrefix ?? 'raft/');
    // Restart from storage (section 5.1, 7): the hard state, the snapshot, the log after it.
    const loaded = this.store.load();
    this.term = loaded.hard.term;
    this.votedFor = loaded.hard.vote;
    this.log = loaded.log;
    if (loaded.snapshot) {
      this.snapState = loaded.snapshot.state;
      sm.restore(structuredClone(loaded.snapshot.state));
      this.commitIndex = this.lastApplied = loaded.snapshot.index;
    }
  }

  start(): void {
    this.started = true;
    this.electionTimeout = this.drawTimeout();
    this.resetElection();
  }

  handleMessage(from: NodeId, msg: Value): boolean {
    if (!isRaftMessage(msg)) return false;
    // A server that has not started is not in the cluster yet: it neither votes nor accepts
    // entries (a host may delay start(), as the document host does while a fresh node boots).
    if (!this.started || !this.config.peers.includes(from)) return true;
    const m = msg as RaftMessage;
    // All servers: a higher term in any RPC or reply makes this node a follower of it (5.1).
    if (m.term > this.term) this.becomeFollower(m.term);
    if (m.raft === 'rv') this.onRequestVote(from, m);
    else if (m.raft === 'rvr') this.onVote(from, m);
    else if (m.raft === 'ae') this.onAppendEntries(from, m);
    else if (m.raft === 'aer') this.onAppendReply(from, m);
    else if (m.raft === 'is') this.onInstallSnapshot(from, m);
    else if (m.raft === 'isr') this.onSnapshotReply(from, m);
    return true;
  }

  handleTimer(tag: Value, id: TimerId): boolean {
    if (!isRaftTimer(tag)) return false;
    if ((tag as { raft: string }).raft === 'election' && id === this.electionTimer) {
      this.electionTimer = undefined;
      if (this.role === 'leader') return true;
      const left = this.electionDeadline - this.ctx.now();
      if (left > 0) this.electionTimer = this.ctx.setTimer(left, ELECTION);
      else this.startElection();
    } else if ((tag as { raft: string }).raft === 'heartbeat' && id === this.heartbeatTimer) {
      this.heartbeatTimer = undefined;
      if (this.role !== 'leader') return true;
      // Leaders: empty AppendEntries during idle periods prevent elections (5.2).
      for (const p of this.others) this.sendAppend(p);
      this.heartbeatTimer = this.ctx.setTimer(this.config.heartbeat, HEARTBEAT);
    }
    return true;
  }

  /** Leaders: a command from a client is appended to the local log (5.3). */
  propose(command: Value): ProposeResult {
    if (this.role !== 'leader') return { ok: false, leader: this.leaderHint };
    const index = this.appendLocal(command);
    for (const p of this.others) if (this.nextIndex.get(p) === index) this.sendAppend(p);
    this.advanceCommit();
    return { ok: true, index, term: this.term };
  }

  fingerprint(): string {
    return `${this.role}:${this.term}:${this.votedFor ?? '-'}:${this.log.base}:${this.log.lastIndex}:${this.log.lastTerm}:${this.commitIndex}:${this.lastApplied}`;
  }

  // ---- elections (5.2, 5.4.1) ----

  /** The randomized election timeout, drawn on each node's own clock (5.2). 0 is the shortest. */
  private drawTimeout(): Micros {
    const { min, max } = this.config.electionTimeout;
    return min + this.ctx.choices.int(max - min + 1, 'raft.election-timeout');
  }

  /** Followers: hearing from the leader or granting a vote pushes the election back (5.2). */
  private resetElection(): void {
    this.electionDeadline = this.ctx.now() + this.electionTimeout;
    if (this.electionTimer === undefined) this.electionTimer = this.ctx.setTimer(this.electionTimeout, ELECTION);
  }

  /** Candidates: increment currentTerm, vote for self, reset the timer, send RequestVote (5.2). */
  private startElection(): void {
    this.setTerm(this.term + 1);
    this.vote(this.ctx.id);
    this.setRole('candidate');
    this.leaderHint = undefined;
    this.votes = new Set([this.ctx.id]);
    this.electionTimeout = this.drawTimeout();
    this.resetElection();
    if (this.votes.size >= this.majority) return this.becomeLeader();
    const rv: RaftMessage = { raft: 'rv', term: this.term, lastIndex: this.log.lastIndex, lastTerm: this.log.lastTerm };
    for (const p of this.others) this.send(p, rv);
  }

  /** RequestVote receiver (Figure 2, 5.2, 5.4.1). */
  private onRequestVote(from: NodeId, m: Extract<RaftMessage, { raft: 'rv' }>): void {
    if (m.term < this.term) return this.send(from, { raft: 'rvr', term: this.term, granted: false });
    // 5.4.1: the candidate's log is at least as up to date: a later last term, or the same and as long.
    const upToDate = this.bug.has('vote-stale-log') || m.lastTerm > this.log.lastTerm || (m.lastTerm === this.log.lastTerm && m.lastIndex >= this.log.lastIndex);
    const granted = (this.votedFor === null || this.votedFor === from) && upToDate;
    if (granted) {
      this.vote(from);
      this.resetElection();
    }
    this.send(from, { raft: 'rvr', term: this.term, granted });
  }

  /** Candidates: votes from a majority make this node leader (5.2). */
  private onVote(from: NodeId, m: Extract<RaftMessage, { raft: 'rvr' }>): void {
    if (this.role !== 'candidate' || m.term !== this.term || !m.granted) return;
    this.votes.add(from);
    if (this.votes.size >= this.majority) this.becomeLeader();
  }

  private becomeLeader(): void {
    this.setRole('leader');
    this.leaderHint = this.ctx.id;
    if (this.electionTimer !== undefined) this.ctx.cancelTimer(this.electionTimer);
    this.electionTimer = undefined;
    // What the consensus checker needs for Leader Completeness (5.4): this leader's log as it
    // was when it won, as term runs, so every entry committed earlier can be looked up in it.
    this.ctx.probe('raft.leader', true, {
      term: this.term,
      lastIndex: this.log.lastIndex,
      base: this.log.base,
      baseTerm: this.log.baseTerm,
      runs: this.log.termRuns(),
    });
    for (const p of this.others) {
      this.nextIndex.set(p, this.log.lastIndex + 1);
      this.matchIndex.set(p, 0);
    }
    // Section 8: a blank no-op entry at the start of the term, so entries of earlier terms
    // commit (5.4.2 forbids committing them by counting replicas) without waiting for a client.
    if (this.config.noopOnElection !== false) this.appendLocal(undefined);
    for (const p of this.others) this.sendAppend(p);
    this.heartbeatTimer = this.ctx.setTimer(this.config.heartbeat, HEARTBEAT);
    this.advanceCommit();
  }

  private becomeFollower(term: number): void {
    if (term > this.term) {
      this.setTerm(term);
      this.leaderHint = undefined;
    }
    if (this.role === 'follower') return;
    if (this.heartbeatTimer !== undefined) this.ctx.cancelTimer(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.setRole('follower');
    this.electionTimeout = this.drawTimeout();
    this.resetElection();
  }

  // ---- replication (5.3) ----

  /** Leaders: AppendEntries (or InstallSnapshot, section 7) from nextIndex for one follower. */
  private sendAppend(p: NodeId): void {
    const next = this.nextIndex.get(p) ?? this.log.lastIndex + 1;
    if (next <= this.log.base) {
      // The follower needs entries this leader has compacted away: send the snapshot (7).
      this.send(p, {
        raft: 'is',
        term: this.term,
        index: this.log.base,
        lastTerm: this.log.baseTerm,
        chain: this.log.baseChain,
        state: this.snapState,
      });
      this.nextIndex.set(p, this.log.base + 1);
      return;
    }
    const prevIndex = next - 1;
    const from = next - this.log.base - 1;
    const end = Math.min(this.log.entries.length, from + this.maxBatch);
    const entries: WireEntry[] = [];
    for (let i = from; i < end; i++) entries.push((this.log.entries[i] as Entry).wire);
    this.send(p, { raft: 'ae', term: this.term, prevIndex, prevTerm: this.log.termAt(prevIndex) ?? 0, entries, commit: this.commitIndex });
    // Pipelining: assume delivery; a rejection moves nextIndex back (5.3).
    this.nextIndex.set(p, next + entries.length);
  }

  /** AppendEntries receiver (Figure 2, 5.3). */
  private onAppendEntries(from: NodeId, m: Extract<RaftMessage, { raft: 'ae' }>): void {
    if (m.term < this.term) return this.send(from, { raft: 'aer', term: this.term, ok: false, match: 0, hint: 0 });
    // A current leader exists: candidates return to follower (5.2); the leader is heard from.
    this.becomeFollower(m.term);
    this.leaderHint = from;
    this.resetElection();
    let prev = m.prevIndex;
    let prevTerm = m.prevTerm;
    let entries = m.entries;
    if (prev < this.log.base) {
      // Entries up to the snapshot are committed and so match the leader's (7): skip them.
      const skip = this.log.base - prev;
      entries = skip >= entries.length ? [] : entries.slice(skip);
      prev = this.log.base;
      prevTerm = this.log.baseTerm;
    }
    // 5.3: reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm;
    // the hint is the first index of the conflicting term (the optimisation at the end of 5.3).
    if (prev > this.log.lastIndex) return this.send(from, { raft: 'aer', term: this.term, ok: false, match: 0, hint: this.log.lastIndex + 1 });
    if (!this.bug.has('skip-prev-check') && this.log.termAt(prev) !== prevTerm) {
      return this.send(from, { raft: 'aer', term: this.term, ok: false, match: 0, hint: this.log.firstIndexOfTermAt(prev) });
    }
    for (let k = 0; k < entries.length; k++) {
      const index = prev + 1 + k;
      const we = entries[k] as WireEntry;
      if (index <= this.log.lastIndex) {
        if (this.log.termAt(index) === we.t) continue;
        // 5.3: an existing entry conflicts with a new one: delete it and all that follow.
        if (index <= this.commitIndex) this.ctx.probe('raft.truncate-committed', false, { index, commitIndex: this.commitIndex, term: this.term });
        this.store.deleteEntries(index, this.log.lastIndex);
        this.log.truncateFrom(index);
        this.dirty = true;
      }
      this.log.appendWire(we);
      this.store.putEntry(index, we);
      this.dirty = true;
    }
    const match = Math.max(prev + entries.length, this.log.base);
    // 5.3: commitIndex = min(leaderCommit, index of last new entry).
    const commit = Math.min(m.commit, match);
    if (commit > this.commitIndex) {
      this.commitIndex = commit;
      this.applyCommitted();
    }
    this.send(from, { raft: 'aer', term: this.term, ok: true, match, hint: 0 });
  }

  /** Leaders: track matchIndex and nextIndex per follower (5.3), then try to commit (5.4.2). */
  private onAppendReply(from: NodeId, m: Extract<RaftMessage, { raft: 'aer' }>): void {
    if (this.role !== 'leader' || m.term !== this.term) return;
    const match = this.matchIndex.get(from) ?? 0;
    if (m.ok) {
      if (m.match > match) this.matchIndex.set(from, m.match);
      if (m.match + 1 > (this.nextIndex.get(from) ?? 0)) this.nextIndex.set(from, m.match + 1);
      this.advanceCommit();
      if ((this.nextIndex.get(from) ?? 0) <= this.log.lastIndex) this.sendAppend(from);
      return;
    }
    // 5.3: after a rejection, decrement nextIndex (to the follower's hint) and retry.
    this.nextIndex.set(from, Math.max(match + 1, Math.min(m.hint, this.log.lastIndex + 1)));
    this.sendAppend(from);
  }

  /**
   * Leaders: commit the highest index stored on a majority, but only if its entry is of the
   * current term (5.4.2, Figure 8); earlier entries commit with it (Log Matching).
   */
  private advanceCommit(): void {
    if (this.role !== 'leader') return;
    // The majority-th largest match index (this node's own is its last index): insertion sort
    // into a reused array, since this runs on every reply.
    const m = this.matchScratch;
    m[0] = this.log.lastIndex;
    let k = 1;
    for (const p of this.others) {
      const v = this.matchIndex.get(p) ?? 0;
      let j = k++;
      while (j > 0 && (m[j - 1] as number) < v) {
        m[j] = m[j - 1] as number;
        j--;
      }
      m[j] = v;
    }
    const n = m[this.majority - 1] as number;
    if (n > this.commitIndex && (this.bug.has('commit-old-term') || this.log.termAt(n) === this.term)) {
      this.flush();
      this.commitIndex = n;
      this.applyCommitted();
    }
  }

  // ---- snapshots (7) ----

  /** InstallSnapshot receiver (Figure 13). */
  private onInstallSnapshot(from: NodeId, m: Extract<RaftMessage, { raft: 'is' }>): void {
    if (m.term < this.term) return this.send(from, { raft: 'isr', term: this.term, match: 0 });
    this.becomeFollower(m.term);
    this.leaderHint = from;
    this.resetElection();
    if (m.index > this.commitIndex) {
      // Keep the log after the snapshot if it has the snapshot's last entry; else discard it all.
      const keeps = this.log.termAt(m.index) === m.lastTerm;
      this.store.saveSnapshot({ index: m.index, term: m.lastTerm, chain: m.chain, state: m.state });
      this.store.deleteEntries(this.log.base + 1, keeps ? m.index : this.log.lastIndex);
      this.log.compactTo(m.index, m.lastTerm, m.chain);
      this.dirty = true;
      this.snapState = m.state;
      this.sm.restore(structuredClone(m.state));
      this.commitIndex = this.lastApplied = m.index;
      this.ctx.probe('raft.snapshot', true, { index: m.index, term: m.lastTerm, chain: m.chain, installed: true });
      this.events.onSnapshotInstalled?.(m.index, m.lastTerm);
    }
    // Entries up to a committed index equal the leader's, so the reply can claim them.
    this.send(from, { raft: 'isr', term: this.term, match: m.index });
  }

  private onSnapshotReply(from: NodeId, m: Extract<RaftMessage, { raft: 'isr' }>): void {
    if (this.role !== 'leader' || m.term !== this.term) return;
    if (m.match > (this.matchIndex.get(from) ?? 0)) this.matchIndex.set(from, m.match);
    if (m.match + 1 > (this.nextIndex.get(from) ?? 0)) this.nextIndex.set(from, m.match + 1);
    this.advanceCommit();
    if ((this.nextIndex.get(from) ?? 0) <= this.log.lastIndex) this.sendAppend(from);
  }

  /** Each server compacts its own log once snapshotEvery entries were applied past the last snapshot (7). */
  private maybeSnapshot(): void {
    const every = this.config.snapshotEvery;
    if (!(every > 0) || this.lastApplied - this.log.base < every) return;
    const index = this.lastApplied;
    const term = this.log.termAt(index) as number;
    const chain = this.log.chainAt(index);
    this.snapState = structuredClone(this.sm.snapshot());
    this.store.saveSnapshot({ index, term, chain, state: this.snapState });
    this.store.deleteEntries(this.log.base + 1, index);
    this.log.compactTo(index, term, chain);
    this.dirty = true;
    this.ctx.probe('raft.snapshot', true, { index, term, chain, installed: false });
  }

  // ---- applying (5.3, "Rules for Servers") ----

  /** All servers: while commitIndex > lastApplied, apply log[lastApplied + 1]. */
  private applyCommitted(): void {
    if (this.applying) return;
    this.applying = true;
    while (this.lastApplied < this.commitIndex) {
      const index = this.lastApplied + 1;
      const e: Entry | undefined = this.log.entry(index);
      if (e === undefined) {
        // Only a planted bug gets here: a committed entry was truncated away.
        this.ctx.probe('raft.apply-missing', false, { index, commitIndex: this.commitIndex });
        this.commitIndex = this.lastApplied;
        break;
      }
      this.lastApplied = index;
      const output = e.command === undefined ? null : this.sm.apply(e.command, index);
      this.ctx.probe('raft.apply', true, { index, term: e.term, digest: e.digest, chain: e.chain, nodeTerm: this.term });
      if (e.command !== undefined) this.events.onApply?.(index, e.term, e.command, output);
      this.maybeSnapshot();
    }
    this.applying = false;
  }

  // ---- persistence (Figure 2: "updated on stable storage before responding to RPCs") ----

  private appendLocal(command: Value | undefined): number {
    const e = this.log.append(this.term, command);
    const index = this.log.lastIndex;
    this.store.putEntry(index, e.wire);
    this.dirty = true;
    return index;
  }

  private setTerm(term: number): void {
    this.term = term;
    this.votedFor = null;
    this.saveHard();
  }

  private vote(for_: NodeId): void {
    this.votedFor = for_;
    this.saveHard();
  }

  private saveHard(): void {
    this.store.saveHard({ term: this.term, vote: this.bug.has('forget-voted-for') ? null : this.votedFor });
    this.dirty = true;
  }

  private flush(): void {
    if (!this.dirty) return;
    this.store.sync();
    this.dirty = false;
  }

  /** Every message out waits for what it depends on to be durable (the planted bug: replies do not). */
  private send(to: NodeId, m: RaftMessage): void {
    if (!(this.bug.has('reply-before-sync') && isReply(m))) this.flush();
    this.ctx.send(to, m as unknown as Value);
  }

  private setRole(role: RaftRole): void {
    if (this.role === role) return;
    this.role = role;
    this.events.onRoleChange?.(role, this.term);
  }
}
