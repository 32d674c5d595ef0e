/**
 * The SQL of the document's HybridConsistencyGuard, as printed, and the corrected guard's.
 *
 * The document prints no CREATE TABLE. The schema below is what its statements imply:
 * `ON CONFLICT (do_id)` needs a unique index on do_id; `release` deletes `WHERE ... AND version
 * = ?` with the Lock's `version: lock.lastInsertRowid`, so `version` is the row's rowid
 * (INTEGER PRIMARY KEY); `acquired_at` and `expires_at` receive millisecond numbers from the (virtual) clock, so they
 * are INTEGER milliseconds.
 */
export const SCHEMA_AS_PRINTED = `CREATE TABLE do_locks (
  version INTEGER PRIMARY KEY,
  do_id TEXT NOT NULL UNIQUE,
  node_id TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
)`;

/** acquire(), verbatim. Note `expires_at < CURRENT_TIMESTAMP`: an INTEGER against TEXT. */
export const ACQUIRE_AS_PRINTED = `INSERT INTO do_locks (do_id, node_id, acquired_at, expires_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (do_id) DO UPDATE
            SET node_id = excluded.node_id,
                acquired_at = excluded.acquired_at,
                expires_at = excluded.expires_at
            WHERE expires_at < CURRENT_TIMESTAMP`;

export const RELEASE_AS_PRINTED = `DELETE FROM do_locks WHERE do_id = ? AND version = ?`;
export const IS_AVAILABLE_AS_PRINTED = `SELECT * FROM do_locks WHERE do_id = ? AND expires_at > ?`;

/**
 * Corrected: AUTOINCREMENT, so a version is never reused after a release deletes the row (a
 * plain rowid is max+1, and the newest row's rowid comes back after its DELETE): the version
 * is then a fencing token that only grows.
 */
export const SCHEMA_CORRECTED = SCHEMA_AS_PRINTED.replace('version INTEGER PRIMARY KEY', 'version INTEGER PRIMARY KEY AUTOINCREMENT');

/**
 * Corrected acquire: an expired lock is deleted against the lock database's own clock (a
 * parameter, not CURRENT_TIMESTAMP), then the printed INSERT claims the row only if it is free
 * (DO NOTHING) and RETURNs the new version, so the caller knows whether it won.
 */
export const EXPIRE_CORRECTED = `DELETE FROM do_locks WHERE do_id = ? AND expires_at < ?`;
export const ACQUIRE_CORRECTED = `INSERT INTO do_locks (do_id, node_id, acquired_at, expires_at)
            VALUES (?, ?, ?, ? + ?)
            ON CONFLICT (do_id) DO NOTHING
            RETURNING version`;

/** bug:current-timestamp: the corrected expiry, but against CURRENT_TIMESTAMP as printed. */
export const EXPIRE_CURRENT_TIMESTAMP = `DELETE FROM do_locks WHERE do_id = ? AND expires_at < CURRENT_TIMESTAMP`;
