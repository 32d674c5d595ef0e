import type { Micros, NodeId, Value } from '../../sim/value.ts';
import type { Stmt } from '../libsql-replication/frame.ts';
import type { SqlClient, SqlOutcome } from '../libsql-replication/sql-client.ts';
import type { LibSQLClient } from './libsql-client.ts';
import type { SqlResult, Statement } from './sql-exec.ts';

/**
 * The guard's `libsql.execute` on option B's replicated libSQL leader (models/libsql-replication):
 * every statement batch is one write transaction on the leader (`SqlClient.exec`: numbered,
 * retried with the same number, redirected to the leader, acknowledged once durable on a
 * majority in the corrected replication); a lone SELECT is a strong read. A `send` is an exec
 * whose answer nobody waits for.
 *
 * Time: the replication node refuses CURRENT_TIMESTAMP (a frame must replay the same on every
 * replica) and, unlike our single lock-db, does not fill `{dbNow: 'ms'}` from its own clock, so
 * the worker's clock (`now`, ms) stands in for it here: expiry is judged on the asking worker's
 * clock. Safe while workers' clocks agree (the scenarios put no clock fault on them); resolving
 * the parameter on the leader before it frames the batch would remove that assumption.
 */
export function leaderClient(sql: SqlClient, now: () => Micros): LibSQLClient & { handleMessage(from: NodeId, msg: Value): boolean; handleTimer(tag: Value): boolean } {
  const resolve = (s: Statement): Stmt => ({
    sql: s.sql,
    args: s.args.map((a) => {
      if (a !== null && typeof a === 'object' && !Array.isArray(a) && (a as { dbNow?: Value }).dbNow === 'ms') return Math.floor(now() / 1000);
      if (a === null || typeof a === 'string' || typeof a === 'number') return a;
      throw new Error(`leaderClient: argument ${JSON.stringify(a)} is not a SQL value`);
    }),
  });
  const answer = (done: (r: SqlResult | undefined) => void) => (o: SqlOutcome) => {
    if (o.kind !== 'ok') return done(undefined);
    const last = o.results[o.results.length - 1];
    done(last === undefined ? { rows: [], rowsAffected: 0, lastInsertRowid: null } : { rows: last.rows, rowsAffected: last.changes, lastInsertRowid: last.lastInsertRowid });
  };
  const isSelect = (s: Statement) => s.sql.trimStart().toUpperCase().startsWith('SELECT');
  return {
    execute(stmt, done) {
      if (isSelect(stmt)) sql.query('strong', resolve(stmt), 0, answer(done));
      else sql.exec([resolve(stmt)], answer(done));
    },
    batch(stmts, done) {
      sql.exec(stmts.map(resolve), answer(done));
    },
    send(stmt) {
      sql.exec([resolve(stmt)], () => {});
    },
    handleMessage: (from, msg) => sql.handleMessage(from, msg),
    handleTimer: (tag) => sql.handleTimer(tag),
  };
}
