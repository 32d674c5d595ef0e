import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Value } from '../../sim/value.ts';
import { serveRpc } from '../lock-service/rpc.ts';
import { type Db, execute, openDb } from '../hybrid-guard/sql-exec.ts';

/**
 * The OCC store: the document's `VersionedState<T> { data, version, timestamp }` as a row of a
 * real libSQL table. `write` succeeds only if the version still matches (one UPDATE ... WHERE
 * version = ?; rowsAffected 0 is a VersionConflict). `timestamp` is the store's virtual clock in
 * ms. No crash is scheduled against it, so it keeps no log.
 */
export const OCC_SCHEMA = `CREATE TABLE do_state (
  do_id TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  timestamp INTEGER NOT NULL
)`;

export interface OccStoreOptions {
  /** bug:no-version-check: the UPDATE ignores the expected version. */
  readonly checkVersion: boolean;
  /** bug:version-not-bumped: a write leaves the version as it was. */
  readonly bumpVersion: boolean;
}

export function occStore(o: OccStoreOptions) {
  return (ctx: ProcessContext): Process => {
    const db: Db = openDb(OCC_SCHEMA);
    const update =
      `UPDATE do_state SET data = ?, version = ${o.bumpVersion ? 'version + 1' : 'version'}, timestamp = ? ` +
      `WHERE do_id = ?${o.checkVersion ? ' AND version = ?' : ' AND ? IS NOT NULL'}`;
    const handle = (b: Value): Value | null => {
      const m = b as { op: string; doId: string; data: string; version: number };
      const ms = Math.floor(ctx.now() / 1000);
      execute(db, { sql: 'INSERT INTO do_state (do_id, data, version, timestamp) VALUES (?, ?, 0, ?) ON CONFLICT (do_id) DO NOTHING', args: [m.doId, 'null', ms] });
      if (m.op === 'read') {
        const row = execute(db, { sql: 'SELECT data, version, timestamp FROM do_state WHERE do_id = ?', args: [m.doId] }).rows[0];
        return { ok: true, data: JSON.parse(String(row?.['data'])) as Value, version: row?.['version'] ?? 0, timestamp: row?.['timestamp'] ?? 0 };
      }
      if (m.op === 'write') {
        const r = execute(db, { sql: update, args: [m.data, ms, m.doId, m.version] });
        return r.rowsAffected === 1 ? { ok: true } : { ok: false, conflict: true };
      }
      return null;
    };
    return {
      onMessage(from, msg) {
        serveRpc(ctx, from, msg, handle);
      },
      observedState: () => execute(db, { sql: 'SELECT do_id, data, version FROM do_state ORDER BY do_id', args: [] }).rows,
    };
  };
}
