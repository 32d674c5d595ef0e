import type { ProcessContext, TimerId } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import type { Stmt } from './frame.ts';
import { isRedirect, isResult, type Position, type ReadMode } from './protocol.ts';
import type { StmtResult } from './sqlite.ts';

/** How a request ended, as a client must record it. */
export type SqlOutcome =
  | { readonly kind: 'ok'; readonly results: readonly StmtResult[]; readonly at: Position; readonly by: NodeId }
  /** Certainly not applied (an SQL error, or refused). */
  | { readonly kind: 'fail'; readonly error: string }
  /** Retries ran out: it may or may not have applied. */
  | { readonly kind: 'unknown' };

export interface SqlClientOptions {
  /** The database nodes, in a fixed order. */
  readonly replicas: readonly NodeId[];
  /** The replica eventual and read-your-writes reads go to first (the co-located one). */
  readonly home: NodeId;
  /** First guess at the leader (used when a redirect names none). */
  readonly leader: NodeId;
  /** Time to wait for one attempt's answer (local microseconds). */
  readonly timeout: Micros;
  /** Attempts after the first; a timeout or redirect each uses one. */
  readonly retries: number;
  /** Back-off before following a redirect that names no leader (an election is on). */
  readonly redirectDelay: Micros;
  /** Timer tags of this client are `{ [tagKey]: req }`, so a host can tell them from its own. */
  readonly tagKey?: string;
}

interface InFlight {
  readonly req: number;
  readonly msg: Value;
  readonly toLeader: boolean;
  readonly done: (o: SqlOutcome) => void;
  target: NodeId;
  attempts: number;
  timer: TimerId;
  /** The timer is a back-off before resending, not a timeout. */
  awaitingResend: boolean;
}

/**
 * The client half of the replication protocol, for any process that uses the database: the kv
 * workload client here, the hybrid guard later. It numbers requests (unique across restarts of
 * the process: a boot counter lives in its storage), retries on timeout with the same number
 * (the leader answers a retry from the first attempt's result), follows redirects to the
 * leader, and moves on to the next replica when a target is silent. The host hands it every
 * message and timer first: `handleMessage` / `handleTimer` return true when they were its own.
 */
export class SqlClient {
  private readonly key: string;
  private readonly base: number;
  private counter = 0;
  private readonly pending = new Map<number, InFlight>();
  leader: NodeId;

  constructor(
    private readonly ctx: ProcessContext,
    private readonly opts: SqlClientOptions,
  ) {
    this.key = opts.tagKey ?? 'sql';
    const boot = Number(ctx.storage.get('sql-client/boot') ?? 0) + 1;
    ctx.storage.put('sql-client/boot', boot);
    ctx.storage.sync();
    this.base = boot * 1_000_000;
    this.leader = opts.leader;
  }

  /** Runs `stmts` as one write transaction on the leader. */
  exec(stmts: readonly Stmt[], done: (o: SqlOutcome) => void): number {
    const req = this.base + this.counter++;
    return this.start({ t: 'exec', req, stmts }, true, done);
  }

  /** One read statement in `mode`; `token` is the frameNo a read-your-writes read must see. */
  query(mode: ReadMode, stmt: Stmt, token: number, done: (o: SqlOutcome) => void): number {
    const req = this.base + this.counter++;
    return this.start({ t: 'query', req, mode, stmt, token }, mode === 'strong', done);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private start(msg: Value & { readonly req: number }, toLeader: boolean, done: (o: SqlOutcome) => void): number {
    // The document's "Request -> Router -> Any Node": every request starts at the co-located
    // node, which answers or redirects to the leader it knows (one local hop, about 0.4 ms).
    const target = this.opts.home;
    const p: InFlight = { req: msg.req, msg, toLeader, done, target, attempts: 1, timer: this.arm(msg.req, this.opts.timeout), awaitingResend: false };
    this.pending.set(msg.req, p);
    this.ctx.send(target, msg);
    return msg.req;
  }

  private arm(req: number, delay: Micros): TimerId {
    return this.ctx.setTimer(delay, { [this.key]: req });
  }

  private nextReplica(after: NodeId): NodeId {
    const rs = this.opts.replicas;
    return rs[(rs.indexOf(after) + 1) % rs.length] as NodeId;
  }

  /** Uses up one attempt and resends now, or after `delay`; when none is left the outcome is unknown. */
  private retry(p: InFlight, to: NodeId, delay: Micros): void {
    this.ctx.cancelTimer(p.timer);
    if (p.attempts > this.opts.retries) {
      this.pending.delete(p.req);
      p.done({ kind: 'unknown' });
      return;
    }
    p.attempts++;
    p.target = to;
    p.awaitingResend = delay > 0;
    p.timer = this.arm(p.req, delay > 0 ? delay : this.opts.timeout);
    if (delay === 0) this.ctx.send(to, p.msg);
  }

  handleTimer(tag: Value): boolean {
    if (tag === null || typeof tag !== 'object' || Array.isArray(tag) || !(this.key in tag)) return false;
    const p = this.pending.get((tag as { readonly [k: string]: Value })[this.key] as number);
    if (!p) return true;
    if (p.awaitingResend) {
      p.awaitingResend = false;
      p.timer = this.arm(p.req, this.opts.timeout);
      this.ctx.send(p.target, p.msg);
      return true;
    }
    // Timed out: the target may be down; try the next replica (a redirect will find the leader).
    this.retry(p, this.nextReplica(p.target), 0);
    return true;
  }

  handleMessage(from: NodeId, msg: Value): boolean {
    if (isRedirect(msg)) {
      const p = this.pending.get(msg.req);
      if (!p) return true;
      if (msg.leader !== null) this.leader = msg.leader;
      const to = msg.leader ?? this.nextReplica(from);
      // A named leader is tried at once; without one an election is on: back off first.
      this.retry(p, to, msg.leader !== null && msg.leader !== from ? 0 : this.opts.redirectDelay);
      return true;
    }
    if (!isResult(msg)) return false;
    const p = this.pending.get(msg.req);
    if (!p) return true;
    this.ctx.cancelTimer(p.timer);
    this.pending.delete(p.req);
    if (p.toLeader && msg.ok) this.leader = msg.by;
    p.done(msg.ok ? { kind: 'ok', results: msg.results, at: msg.at, by: msg.by } : { kind: 'fail', error: msg.error });
    return true;
  }
}
