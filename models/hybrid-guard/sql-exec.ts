import Database from 'libsql';
import type { Value } from '../../sim/value.ts';

/** One statement as the document's `libsql.execute({ sql, args })` takes it. */
export interface Statement {
  readonly [k: string]: Value;
  readonly sql: string;
  readonly args: readonly Value[];
}

/** What `execute` returns, as @libsql/client's ResultSet has it (rows without libsql's timing field). */
export interface SqlResult {
  readonly [k: string]: Value;
  readonly rows: readonly { readonly [k: string]: Value }[];
  readonly rowsAffected: number;
  readonly lastInsertRowid: number | null;
}

export type Db = InstanceType<typeof Database>;

export function openDb(schema: string): Db {
  const db = new Database(':memory:');
  db.exec(schema);
  return db;
}

const strip = (row: unknown): { [k: string]: Value } => {
  const out: { [k: string]: Value } = {};
  for (const [k, v] of Object.entries(row as Record<string, Value>)) if (k !== '_metadata') out[k] = v;
  return out;
};

/**
 * Executes one statement on a real libSQL database. A statement that returns rows (a SELECT,
 * or RETURNING) is read with `all`; others with `run`, whose `lastInsertRowid` is SQLite's
 * last_insert_rowid() on this connection: after an upsert that updated (or did nothing) it is
 * still the rowid of the last row this connection inserted, whatever table row that was.
 */
/** Prepared statements per database: the guard sends the same few SQL texts again and again. */
const prepared = new WeakMap<Db, Map<string, ReturnType<Db['prepare']>>>();

export function execute(db: Db, s: Statement): SqlResult {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let stmt = cache.get(s.sql);
  if (!stmt) cache.set(s.sql, (stmt = db.prepare(s.sql)));
  const args = s.args as unknown[];
  if (stmt.reader) {
    const rows = (stmt.all as (...a: unknown[]) => unknown[]).apply(stmt, args).map(strip);
    return { rows, rowsAffected: rows.length, lastInsertRowid: null };
  }
  const r = (stmt.run as (...a: unknown[]) => { changes: number; lastInsertRowid: number | bigint }).apply(stmt, args);
  return { rows: [], rowsAffected: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
}
