import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Value } from '../../sim/value.ts';
import { isTorn } from '../../sim/storage.ts';
import { serveRpc } from '../lock-service/rpc.ts';
import { type Db, execute, openDb, type SqlResult, type Statement } from './sql-exec.ts';

/**
 * "lock-db": one libSQL database (in memory) on one node, reached by messages. A request is a
 * batch of statements, executed in one transaction; the answer is the last statement's result.
 *
 * Time: an argument `{ dbNow: 'ms' }` is replaced by this node's virtual clock in milliseconds
 * before execution (the corrected guard judges expiry on the database's clock). The document's
 * own SQL reads the host clock through CURRENT_TIMESTAMP; see README for why its result cannot
 * depend on it.
 *
 * Durability: every batch that may write is appended, with its arguments resolved, to a
 * statement log in durable storage (`log/<n>`) and synced before the answer (unless
 * `syncBeforeReply` is off); a restart rebuilds the database by replaying the log.
 */
export interface LockDbOptions {
  readonly schema: string;
  readonly syncBeforeReply: boolean;
}

const pad = (n: number) => String(n).padStart(9, '0');

export function lockDb(opts: LockDbOptions) {
  return (ctx: ProcessContext): Process => {
    const db: Db = openDb(opts.schema);
    let logged = 0;
    for (const k of ctx.storage.keys('log/')) {
      const batch = ctx.storage.get(k);
      // A torn record is the log's end, as a checksummed log would find it.
      if (isTorn(batch)) break;
      for (const s of batch as readonly Statement[]) execute(db, s);
      logged++;
    }
    const resolve = (s: Statement): Statement => ({
      sql: s.sql,
      args: s.args.map((a) => (a !== null && typeof a === 'object' && !Array.isArray(a) && (a as { dbNow?: Value }).dbNow === 'ms' ? Math.floor(ctx.now() / 1000) : a)),
    });
    const handle = (b: Value): Value | null => {
      const batch = ((b as { stmts?: readonly Statement[] }).stmts ?? []).map(resolve);
      let last: SqlResult = { rows: [], rowsAffected: 0, lastInsertRowid: null };
      let changed = false;
      db.exec('BEGIN');
      try {
        for (const s of batch) {
          last = execute(db, s);
          // Every statement that may write is logged, even one that changed no row: a refused
          // INSERT ... DO NOTHING still advances AUTOINCREMENT's sequence, and a replay that skipped
          // it would hand out versions again (found by a 200-seed sweep of hybrid-lockdb-down).
          if (!s.sql.trimStart().toUpperCase().startsWith('SELECT')) changed = true;
        }
        db.exec('COMMIT');
      } catch (e) {
        db.exec('ROLLBACK');
        return { error: String((e as Error).message) };
      }
      if (changed) {
        ctx.storage.put(`log/${pad(logged++)}`, batch);
        if (opts.syncBeforeReply) ctx.storage.sync();
      }
      return last;
    };
    return {
      onMessage(from, msg) {
        serveRpc(ctx, from, msg, handle);
      },
      observedState: () => execute(db, { sql: 'SELECT do_id, node_id, expires_at, version FROM do_locks ORDER BY do_id', args: [] }).rows,
    };
  };
}
