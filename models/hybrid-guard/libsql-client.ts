import type { Micros, NodeId } from '../../sim/value.ts';
import type { Rpc } from '../lock-service/rpc.ts';
import type { SqlResult, Statement } from './sql-exec.ts';

/**
 * The adapter between the guard and wherever its SQL runs: the document's
 * `libsql.execute({ sql, args })`, in continuation-passing style (undefined: no answer, the
 * promise rejected). Today it reaches the single "lock-db" node; pointing it at the replicated
 * libSQL leader of the replication model only needs another implementation of this interface.
 */
export interface LibSQLClient {
  execute(stmt: Statement, done: (r: SqlResult | undefined) => void): void;
  /** Several statements in one transaction; the answer is the last one's result. */
  batch(stmts: readonly Statement[], done: (r: SqlResult | undefined) => void): void;
  /** Sent without waiting for the answer. */
  send(stmt: Statement): void;
}

export function lockDbClient(rpc: Rpc, node: NodeId, timeout: Micros): LibSQLClient {
  const answer = (done: (r: SqlResult | undefined) => void) => (r: unknown) => {
    const res = r as (SqlResult & { error?: string }) | undefined;
    done(res === undefined || res.error !== undefined ? undefined : res);
  };
  return {
    execute: (stmt, done) => rpc.call(node, { stmts: [stmt] }, timeout, answer(done)),
    batch: (stmts, done) => rpc.call(node, { stmts }, timeout, answer(done)),
    send: (stmt) => rpc.cast(node, { stmts: [stmt] }),
  };
}
