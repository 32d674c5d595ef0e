import type { Process, ProcessContext, TimerId } from '../../sim/process.ts';
import { canonicalJson, type Micros, type NodeId, type Value } from '../../sim/value.ts';
import { type Frame, frameFollows, frameKey, GENESIS_CHECKSUM, makeFrame, type Stmt } from './frame.ts';
import {
  type Append,
  type AppendAck,
  type ExecRequest,
  isAppend,
  isAppendAck,
  isExec,
  isQuery,
  isVote,
  isVoteReply,
  type QueryRequest,
  type VoteReply,
  type VoteRequest,
} from './protocol.ts';
import { NodeDb, nondeterministic } from './sqlite.ts';

/** How a variant behaves; each field is one rule of the design that a variant may change. */
export interface ReplicationRules {
  /**
   * Epochs (terms): persisted with the vote, carried by every frame and message, compared in
   * votes (last frame's term first, as Raft's up-to-date rule). Without them (as-written) a
   * vote compares frameNo only and a deposed leader learns it was deposed only if it hears the
   * new leader.
   */
  readonly epochs: boolean;
  /** A replica refuses appends from a lower term (the fence). Only meaningful with epochs. */
  readonly fence: boolean;
  /** Writes are acknowledged once applied locally, or once durable on a majority. */
  readonly ackQuorum: 'local' | 'majority';
  /** Strong reads are served by whoever believes it leads, or only after a majority confirms it still does. */
  readonly readQuorum: 'local' | 'majority';
  /** A read-your-writes read waits until the replica applied the client's frameNo. */
  readonly rywChecksToken: boolean;
}

export interface NodeOptions {
  readonly rules: ReplicationRules;
  /** Every database node, this one included, in a fixed order. */
  readonly peers: readonly NodeId[];
  /** Who leads when the cluster first starts. */
  readonly initialLeader: NodeId;
  /** CREATE TABLE statements run on every fresh database (and before every replay). */
  readonly schema: readonly string[];
  readonly heartbeat: Micros;
  readonly electionTimeout: { readonly min: Micros; readonly max: Micros };
  /** How long a replica holds a read-your-writes read for its frame before redirecting it to the leader. */
  readonly rywWait: Micros;
  /** Most frames in one Append. */
  readonly maxBatch?: number;
}

/** The table that remembers each client's last request, so a retry gets the first answer. */
export const ORIGIN_TABLE = 'CREATE TABLE _origin (client TEXT PRIMARY KEY, req INTEGER NOT NULL, frame_no INTEGER NOT NULL, result TEXT NOT NULL)';
const ORIGIN_LOOKUP = 'SELECT req, result FROM _origin WHERE client = ?';
const ORIGIN_UPSERT =
  'INSERT INTO _origin (client, req, frame_no, result) VALUES (?, ?, ?, ?) ON CONFLICT (client) DO UPDATE SET req = excluded.req, frame_no = excluded.frame_no, result = excluded.result';

type Role = 'leader' | 'follower' | 'candidate';

/** A client request queued at the leader, answered when its batch is acknowledged. */
interface Pending {
  readonly from: NodeId;
  readonly msg: ExecRequest | QueryRequest | null; // null: the new leader's barrier frame
}

interface Batch {
  readonly upTo: number;
  readonly seq: number;
  readonly replies: { readonly to: NodeId; readonly msg: Value; readonly write?: true }[];
}

interface RywWait {
  readonly from: NodeId;
  readonly msg: QueryRequest;
  readonly timer: TimerId;
}

/**
 * One libSQL database node: leader or follower of a frame log (seed 001, option B). The log is
 * the truth: every frame is in durable storage under `frame/<n>` before it is acknowledged, and
 * the libSQL database is what replaying frames 1..applied gives, rebuilt on every restart.
 */
export function replicationNode(opts: NodeOptions) {
  const { rules } = opts;
  const majority = Math.floor(opts.peers.length / 2) + 1;
  const maxBatch = opts.maxBatch ?? 64;
  return (ctx: ProcessContext): Process => {
    const others = opts.peers.filter((p) => p !== ctx.id);
    const st = ctx.storage;
    const db = new NodeDb([...opts.schema, ORIGIN_TABLE]);
    const fresh = st.get('term') === undefined;
    let term = typeof st.get('term') === 'number' ? (st.get('term') as number) : 1;
    let votedFor = (st.get('votedFor') ?? null) as NodeId | null;
    if (fresh) {
      st.put('term', term);
      st.sync();
    }

    // The log, rebuilt from storage: frames in order, stopping at the first one that is torn or
    // does not chain (what a crash left half written), which is dropped with everything after it.
    const log: Frame[] = [];
    for (const k of st.keys('frame/')) {
      const prev = log.length === 0 ? GENESIS_CHECKSUM : (log[log.length - 1] as Frame).checksum;
      const v = st.get(k);
      if (frameFollows(prev, v, log.length + 1)) log.push(v);
      else st.delete(k);
    }
    const last = (): number => log.length;
    const checksumAt = (n: number): number => (n === 0 ? GENESIS_CHECKSUM : (log[n - 1] as Frame).checksum);
    const termAt = (n: number): number => (n === 0 ? 0 : (log[n - 1] as Frame).term);
    // Without a majority rule every frame a leader wrote counts as committed (it acked it).
    let commit = rules.ackQuorum === 'majority' || rules.readQuorum === 'majority' ? Math.min(Number(st.get('commit') ?? 0), last()) : last();
    let applied = 0;

    const applyFrame = (f: Frame): void => {
      if (f.stmts.length > 0) {
        const r = db.transaction(f.stmts);
        // A frame is a transaction that committed on its leader; replaying it can only fail if
        // the statements were not deterministic, which the leader refuses.
        if (!r.ok) ctx.probe('frame-replays', false, { frameNo: f.frameNo, error: r.error });
      }
      applied = f.frameNo;
    };
    const applyUpTo = (n: number): void => {
      while (applied < Math.min(n, last())) applyFrame(log[applied] as Frame);
    };
    const rebuild = (n: number): void => {
      db.reset();
      applied = 0;
      applyUpTo(n);
    };
    applyUpTo(commit);

    let role: Role = 'follower';
    let leader: NodeId | null = fresh ? opts.initialLeader : null;
    let electionTimer: TimerId | undefined;
    let heartbeatTimer: TimerId | undefined;
    let round = 0;
    let votes = new Set<NodeId>();
    let lastHeard = ctx.now();
    let lastVoteAt = -Infinity;
    // Leader state.
    let seq = 0;
    const next = new Map<NodeId, number>();
    const match = new Map<NodeId, number>();
    const ackSeq = new Map<NodeId, number>();
    let queue: Pending[] = [];
    let inflight: Batch | undefined;
    // Follower state.
    let rywWaiting: RywWait[] = [];

    const persistTerm = (): void => {
      st.put('term', term);
      st.put('votedFor', votedFor);
      st.sync();
    };

    const resetElectionTimer = (): void => {
      if (electionTimer !== undefined) ctx.cancelTimer(electionTimer);
      const { min, max } = opts.electionTimeout;
      electionTimer = ctx.setTimer(min + ctx.choices.int(max - min + 1, 'election.timeout'), 'election');
    };

    const position = (): { frameNo: number; term: number } => ({ frameNo: applied, term: termAt(applied) });

    // ---- the log ----

    const appendLocal = (stmts: readonly Stmt[], origin: string): Frame => {
      const f = makeFrame(checksumAt(last()), { frameNo: last() + 1, term, stmts, origin, timestamp: ctx.now() });
      log.push(f);
      st.put(frameKey(f.frameNo), f);
      // Ground truth for staleness (metrics.ts): when the leader wrote each frame, in true time.
      ctx.probe('frame-written', true, { frameNo: f.frameNo, term });
      return f;
    };

    const truncateFrom = (n: number): void => {
      for (let i = n; i <= last(); i++) st.delete(frameKey(i));
      log.length = n - 1;
      if (commit >= n) commit = n - 1;
      if (applied >= n) {
        // A frame this replica had applied (and served reads from) is replaced by the leader's:
        // the corrected design never does this, since it applies only committed frames.
        ctx.probe('applied-frame-kept', false, { frameNo: n, applied });
        rebuild(n - 1);
      }
    };

    const setCommit = (n: number): void => {
      if (n <= commit) return;
      commit = n;
      st.put('commit', commit); // a lower bound after a crash, so not synced
      applyUpTo(commit);
      serveRywWaiting();
    };

    // ---- reads and writes ----

    const reply = (to: NodeId, msg: Value): void => ctx.send(to, msg);
    /** Answers a write; a successful one is probed, which is where failover windows end (metrics.ts). */
    const ackWrite = (to: NodeId, msg: Value): void => {
      if ((msg as { ok?: Value }).ok === true) ctx.probe('write-acked', true, null);
      reply(to, msg);
    };
    const redirect = (to: NodeId, req: number): void => reply(to, { t: 'redirect', req, leader: role === 'leader' ? ctx.id : leader });

    const readNow = (from: NodeId, q: QueryRequest): Value => {
      // Which frame the answer reflects: metrics.ts measures how far behind the leader it was.
      ctx.probe('read-served', true, { mode: q.mode, frameNo: applied });
      const r = db.query(q.stmt);
      return r.ok ? { t: 'result', req: q.req, ok: true, results: r.results, at: position(), by: ctx.id } : { t: 'result', req: q.req, ok: false, error: r.error, by: ctx.id };
    };

    /** Runs one client transaction (or finds the answer of its first attempt) and returns the reply. */
    const execute = (from: NodeId, x: ExecRequest): Value => {
      const seen = db.query({ sql: ORIGIN_LOOKUP, args: [from] });
      const row = seen.ok ? seen.results[0]?.rows[0] : undefined;
      if (row && row.req === x.req) return JSON.parse(row.result as string) as Value;
      if (row && typeof row.req === 'number' && row.req > x.req) return { t: 'result', req: x.req, ok: false, error: 'superseded request', by: ctx.id };
      if (x.stmts.some((s) => nondeterministic(s.sql))) return { t: 'result', req: x.req, ok: false, error: 'nondeterministic statement refused', by: ctx.id };
      const frameNo = last() + 1;
      let answer: Value = null;
      let origin: Stmt | undefined;
      const tried = db.transaction(x.stmts, (results) => {
        answer = { t: 'result', req: x.req, ok: true, results, at: { frameNo, term }, by: ctx.id };
        origin = { sql: ORIGIN_UPSERT, args: [from, x.req, frameNo, canonicalJson(answer)] };
        return [origin];
      });
      if (!tried.ok || !origin) return { t: 'result', req: x.req, ok: false, error: tried.ok ? 'no origin' : tried.error, by: ctx.id };
      appendLocal([...x.stmts, origin], `${from}:${x.req}`);
      applied = frameNo;
      return answer;
    };

    const sendAppend = (to: NodeId): void => {
      const from = Math.min(next.get(to) ?? last() + 1, last() + 1);
      const frames = log.slice(from - 1, from - 1 + maxBatch);
      const m: Append = { t: 'append', term, prevNo: from - 1, prevChecksum: checksumAt(from - 1), frames, commit, leaderLast: last(), seq };
      ctx.send(to, m);
      // Pipelining: the next append starts after these frames instead of resending them until
      // an ack arrives. Without it a slow link (a clog) carried the whole unacknowledged tail in
      // every append, up to 64 frames each, on every batch and every ack: the lagging-replica
      // runs spent most of their time hashing and verifying the same frames again. A lost
      // append is recovered by the gap rule: the next append's prevNo is past the replica's
      // log, it answers `need`, and `next` goes back there.
      next.set(to, from + frames.length);
    };
    const broadcast = (): void => {
      for (const p of others) sendAppend(p);
    };

    /** Leader: runs every queued request as one batch; replies wait until the batch is confirmed. */
    const startBatch = (): void => {
      if (role !== 'leader' || inflight || queue.length === 0) return;
      const items = queue;
      queue = [];
      seq++;
      const replies: { to: NodeId; msg: Value; write?: true }[] = [];
      for (const p of items) {
        if (p.msg === null) {
          appendLocal([], '');
          applied = last();
        }
        else if (isExec(p.msg)) {
          const r = execute(p.from, p.msg);
          if (rules.ackQuorum === 'local') ackWrite(p.from, r);
          else replies.push({ to: p.from, msg: r, write: true });
        } else replies.push({ to: p.from, msg: readNow(p.from, p.msg) });
      }
      applyUpTo(last());
      st.sync();
      inflight = { upTo: last(), seq, replies };
      // A local quorum completes at once, so the appends below already carry the new commit point.
      tryComplete();
      broadcast();
    };

    const confirmed = (b: Batch): boolean => {
      const quorum = rules.ackQuorum === 'majority' || rules.readQuorum === 'majority' ? majority : 1;
      let n = 1;
      for (const p of others) if ((match.get(p) ?? 0) >= b.upTo && (ackSeq.get(p) ?? 0) >= b.seq) n++;
      return n >= quorum;
    };

    const tryComplete = (): void => {
      const b = inflight;
      if (!b || role !== 'leader' || !confirmed(b)) return;
      inflight = undefined;
      setCommit(b.upTo);
      for (const r of b.replies) (r.write ? ackWrite : reply)(r.to, r.msg);
      if (rules.ackQuorum === 'majority') broadcast(); // tell replicas the new commit point now
      startBatch();
    };

    // ---- roles ----

    const becomeLeader = (): void => {
      role = 'leader';
      leader = ctx.id;
      if (electionTimer !== undefined) ctx.cancelTimer(electionTimer);
      electionTimer = undefined;
      for (const p of others) {
        next.set(p, last() + 1);
        match.set(p, 0);
        ackSeq.set(p, 0);
      }
      applyUpTo(last());
      ctx.log('leader', { term, last: last() });
      ctx.probe('leader', true, { term });
      // Requests a replica was holding for its frame are now the leader's to answer.
      for (const w of rywWaiting) {
        ctx.cancelTimer(w.timer);
        queue.push({ from: w.from, msg: w.msg });
      }
      rywWaiting = [];
      // With epochs, a new leader first commits a frame of its own term (Raft section 8):
      // until then it does not know which frames of earlier terms are committed.
      if (rules.epochs) queue.unshift({ from: ctx.id, msg: null });
      broadcast();
      if (heartbeatTimer !== undefined) ctx.cancelTimer(heartbeatTimer);
      heartbeatTimer = ctx.setTimer(opts.heartbeat, 'heartbeat');
      startBatch();
    };

    const becomeFollower = (newTerm: number, newLeader: NodeId | null): void => {
      const wasLeader = role === 'leader';
      if (newTerm > term) {
        term = newTerm;
        votedFor = null;
        persistTerm();
      }
      role = 'follower';
      leader = newLeader;
      if (wasLeader) {
        const dropped = queue.filter((p) => p.msg !== null);
        queue = [];
        inflight = undefined;
        for (const p of dropped) redirect(p.from, (p.msg as ExecRequest | QueryRequest).req);
        // Frames past the commit point may never commit: serve nothing from them.
        if (applied > commit) rebuild(commit);
      }
      resetElectionTimer();
    };

    const startElection = (): void => {
      round++;
      role = 'candidate';
      leader = null;
      votes = new Set([ctx.id]);
      lastVoteAt = ctx.now();
      if (rules.epochs) {
        term++;
        votedFor = ctx.id;
        persistTerm();
      }
      const m: VoteRequest = { t: 'vote', term, round, lastNo: last(), lastTerm: termAt(last()) };
      for (const p of others) ctx.send(p, m);
      resetElectionTimer();
      if (votes.size >= majority) becomeLeader();
    };

    const onVote = (from: NodeId, m: VoteRequest): void => {
      let granted: boolean;
      if (rules.epochs) {
        if (m.term > term) becomeFollower(m.term, null);
        const upToDate = m.lastTerm > termAt(last()) || (m.lastTerm === termAt(last()) && m.lastNo >= last());
        granted = m.term === term && (votedFor === null || votedFor === from) && upToDate;
        if (granted) {
          votedFor = from;
          persistTerm();
        }
      } else {
        // The document's "quorum-based election": vote for a reachable replica at least as up to
        // date as this one, once the leader has gone quiet, at most once per election timeout.
        const now = ctx.now();
        const quiet = now - lastHeard >= opts.electionTimeout.min;
        granted = role !== 'leader' && quiet && m.lastNo >= last() && now - lastVoteAt >= opts.electionTimeout.min;
        if (granted) lastVoteAt = now;
      }
      if (granted) resetElectionTimer();
      const r: VoteReply = { t: 'vote-reply', term, round: m.round, granted };
      ctx.send(from, r);
    };

    const onVoteReply = (from: NodeId, m: VoteReply): void => {
      if (rules.epochs && m.term > term) return becomeFollower(m.term, null);
      if (role !== 'candidate' || m.round !== round || (rules.epochs && m.term !== term) || !m.granted) return;
      votes.add(from);
      if (votes.size >= majority) becomeLeader();
    };

    // ---- replication ----

    const ack = (to: NodeId, m: Append, ok: boolean, matched: number, need: number): void => {
      const a: AppendAck = { t: 'append-ack', term: rules.fence ? term : m.term, seq: m.seq, ok, match: matched, need };
      ctx.send(to, a);
    };

    const onAppend = (from: NodeId, m: Append): void => {
      if (rules.epochs) {
        if (m.term < term && rules.fence) return ack(from, m, false, 0, 0);
        if (m.term > term || role !== 'follower' || leader !== from) becomeFollower(Math.max(m.term, term), from);
      } else if (role === 'leader') {
        // No epochs: two nodes believe they lead. The one with the longer log (then the lower
        // name) keeps leading; the other steps down and takes its frames.
        if (m.leaderLast < last() || (m.leaderLast === last() && ctx.id < from)) return;
        becomeFollower(term, from);
      } else if (role !== 'follower' || leader !== from) becomeFollower(term, from);
      lastHeard = ctx.now();
      resetElectionTimer();
      if (m.prevNo > last()) return ack(from, m, false, 0, last() + 1); // a gap: ask for what is missing
      if (checksumAt(m.prevNo) !== m.prevChecksum) return ack(from, m, false, 0, Math.max(1, Math.min(m.prevNo, commit + 1)));
      let matched = m.prevNo;
      for (const f of m.frames) {
        const n = matched + 1;
        if (!frameFollows(checksumAt(matched), f, n)) break; // corrupt or out of order: ask again from n
        if (n <= last() && (log[n - 1] as Frame).checksum === f.checksum) {
          matched = n;
          continue;
        }
        if (n <= last()) truncateFrom(n);
        log.push(f);
        st.put(frameKey(n), f);
        matched = n;
      }
      st.sync();
      setCommit(Math.min(m.commit, matched));
      if (matched < m.prevNo + m.frames.length) return ack(from, m, false, matched, matched + 1);
      ack(from, m, true, matched, matched + 1);
    };

    const onAppendAck = (from: NodeId, m: AppendAck): void => {
      if (rules.epochs && m.term > term) return becomeFollower(m.term, null);
      if (role !== 'leader' || (rules.epochs && m.term < term)) return;
      if (m.ok) {
        match.set(from, Math.max(match.get(from) ?? 0, m.match));
        ackSeq.set(from, Math.max(ackSeq.get(from) ?? 0, m.seq));
        next.set(from, Math.max(next.get(from) ?? 0, m.match + 1));
        tryComplete();
        // Frames written since the last append to this replica go now, not at the next batch.
        if (role === 'leader' && (next.get(from) ?? 0) <= last()) sendAppend(from);
      } else if (m.need > 0) {
        next.set(from, m.need);
        sendAppend(from);
      }
    };

    // ---- client requests ----

    const serveRywWaiting = (): void => {
      if (rywWaiting.length === 0) return;
      const still: RywWait[] = [];
      for (const w of rywWaiting) {
        if (applied >= w.msg.token) {
          ctx.cancelTimer(w.timer);
          reply(w.from, readNow(w.from, w.msg));
        } else still.push(w);
      }
      rywWaiting = still;
    };

    const onClient = (from: NodeId, m: ExecRequest | QueryRequest): void => {
      if (role === 'leader') {
        if (isQuery(m) && rules.readQuorum === 'local') return reply(from, readNow(from, m));
        queue.push({ from, msg: m });
        return startBatch();
      }
      if (isExec(m) || m.mode === 'strong') return redirect(from, m.req);
      if (m.mode === 'eventual') return reply(from, readNow(from, m));
      if (!rules.rywChecksToken || applied >= m.token) return reply(from, readNow(from, m));
      rywWaiting.push({ from, msg: m, timer: ctx.setTimer(opts.rywWait, { ryw: m.req, from }) });
    };

    const dumpTables = (): Value => {
      const names = db.query({ sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name", args: [] });
      const out: { [t: string]: Value } = {};
      if (!names.ok) return out;
      for (const r of names.results[0]?.rows ?? []) {
        const name = r.name as string;
        const rows = db.query({ sql: `SELECT * FROM "${name}" ORDER BY 1`, args: [] });
        out[name] = rows.ok ? (rows.results[0]?.rows ?? []) : [];
      }
      return out;
    };

    return {
      onStart() {
        if (fresh && ctx.id === opts.initialLeader) becomeLeader();
        else resetElectionTimer();
      },
      onTimer(tag) {
        if (tag === 'election') {
          electionTimer = undefined;
          if (role !== 'leader') startElection();
          return;
        }
        if (tag === 'heartbeat') {
          if (role !== 'leader') return;
          broadcast();
          heartbeatTimer = ctx.setTimer(opts.heartbeat, 'heartbeat');
          return;
        }
        if (tag !== null && typeof tag === 'object' && !Array.isArray(tag) && 'ryw' in tag) {
          const i = rywWaiting.findIndex((w) => w.msg.req === tag.ryw && w.from === tag.from);
          if (i < 0) return;
          const w = rywWaiting[i] as RywWait;
          rywWaiting.splice(i, 1);
          redirect(w.from, w.msg.req);
        }
      },
      onMessage(from, msg) {
        if (isAppend(msg)) return onAppend(from, msg);
        if (isAppendAck(msg)) return onAppendAck(from, msg);
        if (isVote(msg)) return onVote(from, msg);
        if (isVoteReply(msg)) return onVoteReply(from, msg);
        if (isExec(msg) || isQuery(msg)) return onClient(from, msg);
      },
      fingerprint: () => `${role}:${term}:${last()}:${commit}:${applied}:${checksumAt(last())}`,
      observedState: dumpTables,
    };
  };
}
