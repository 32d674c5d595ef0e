import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import { nextOp, thinkTime, uniqueValue, type WorkloadSpec } from '../../sim/workload.ts';
import type { Stmt } from './frame.ts';
import type { ReadMode } from './protocol.ts';
import { SqlClient, type SqlOutcome } from './sql-client.ts';

/** The schema the kv workload runs on: one row per key. */
export const KV_SCHEMA: readonly string[] = ['CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL)'];

/** The history `f` of a read in each mode: checkers pick the modes they judge by name. */
export const READ_F: Readonly<Record<ReadMode, string>> = { strong: 'read', ryw: 'read-ryw', eventual: 'read-eventual' };

const write = (k: string, v: number): Stmt => ({ sql: 'INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v', args: [k, v] });
/** cas from null: insert only if absent; else update only if the value is still `from`. */
const cas = (k: string, from: Value, to: number): Stmt =>
  from === null ? { sql: 'INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING', args: [k, to] } : { sql: 'UPDATE kv SET v = ? WHERE k = ? AND v = ?', args: [to, k, from as number] };
const read = (k: string): Stmt => ({ sql: 'SELECT v FROM kv WHERE k = ?', args: [k] });

export interface KvClientOptions {
  readonly index: number;
  readonly mode: ReadMode;
  readonly replicas: readonly NodeId[];
  readonly home: NodeId;
  readonly leader: NodeId;
  readonly workload: WorkloadSpec;
  readonly timeout: Micros;
  readonly retries: number;
  /**
   * The read-your-writes token: the frameNo of the client's last write (the document's
   * "track frame position"), or also of the state its last read saw, which monotonic reads
   * (the "causal consistency" the document claims for the mode) needs.
   */
  readonly tokenFromReads: boolean;
}

/**
 * A workload client: one operation at a time, key-value operations expressed as SQL on
 * KV_SCHEMA, recorded as read / write / cas per key with unique written values. Its reads use
 * one mode for the whole run, so each mode's reads are one history `f` (READ_F).
 */
export function kvClient(opts: KvClientOptions) {
  return (ctx: ProcessContext): Process => {
    const sql = new SqlClient(ctx, { replicas: opts.replicas, home: opts.home, leader: opts.leader, timeout: opts.timeout, retries: opts.retries, redirectDelay: 10_000 });
    let counter = 0;
    let stopped = false;
    let issued = 0;
    let token = 0;
    const lastSeen = new Map<string, Value>();

    const scheduleNext = (): void => {
      if (stopped) return;
      if (opts.workload.opsPerClient !== undefined && issued >= opts.workload.opsPerClient) return;
      ctx.setTimer(thinkTime(opts.workload, ctx.choices), 'next');
    };

    const finish = (o: SqlOutcome, onOk: (o: SqlOutcome & { kind: 'ok' }) => void, op: ReturnType<ProcessContext['history']['invoke']>): void => {
      if (o.kind === 'ok') onOk(o);
      else if (o.kind === 'fail') ctx.history.fail(op, o.error);
      else ctx.history.info(op);
      scheduleNext();
    };

    const issue = (): void => {
      issued++;
      const drawn = nextOp(opts.workload, ctx.choices);
      const key = drawn.key ?? 'k0';
      if (drawn.f === 'write') {
        const v = uniqueValue(opts.index + 1, ++counter) as number;
        const op = ctx.history.invoke('write', key, v);
        sql.exec([write(key, v)], (o) =>
          finish(o, (r) => {
            token = Math.max(token, r.at.frameNo);
            lastSeen.set(key, v);
            ctx.history.ok(op, null);
          }, op),
        );
      } else if (drawn.f === 'cas') {
        const from = lastSeen.get(key) ?? null;
        const to = uniqueValue(opts.index + 1, ++counter) as number;
        const op = ctx.history.invoke('cas', key, [from, to]);
        sql.exec([cas(key, from, to)], (o) =>
          finish(o, (r) => {
            token = Math.max(token, r.at.frameNo);
            const done = (r.results[0]?.changes ?? 0) === 1;
            if (done) lastSeen.set(key, to);
            ctx.history.ok(op, done);
          }, op),
        );
      } else {
        const op = ctx.history.invoke(READ_F[opts.mode], key, null);
        sql.query(opts.mode, read(key), token, (o) =>
          finish(o, (r) => {
            if (opts.tokenFromReads) token = Math.max(token, r.at.frameNo);
            const v = (r.results[0]?.rows[0]?.v ?? null) as Value;
            lastSeen.set(key, v);
            ctx.history.ok(op, v);
          }, op),
        );
      }
    };

    return {
      onStart: scheduleNext,
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag) {
        if (sql.handleTimer(tag)) return;
        if (tag === 'next') issue();
      },
      onMessage(from, msg) {
        sql.handleMessage(from, msg);
      },
      fingerprint: () => `${counter}:${token}:${sql.inFlight}`,
    };
  };
}
