import { describe, expect, it } from 'vitest';
import { ACQUIRE_CORRECTED, EXPIRE_CORRECTED, RELEASE_AS_PRINTED, SCHEMA_AS_PRINTED, SCHEMA_CORRECTED } from './schema.ts';
import { type Db, execute, openDb } from './sql-exec.ts';

const acquire = (db: Db, doId: string, node: string, now: number, ttl = 300) => {
  execute(db, { sql: EXPIRE_CORRECTED, args: [doId, now] });
  return execute(db, { sql: ACQUIRE_CORRECTED, args: [doId, node, now, now, ttl] }).rows[0]?.['version'] ?? null;
};

describe('corrected guard SQL on libSQL', () => {
  it('grants a free row, refuses a held one, grants again once expired on the given clock', () => {
    const db = openDb(SCHEMA_CORRECTED);
    const v1 = acquire(db, 'do0', 'w0', 1000);
    expect(v1).toBe(1);
    expect(acquire(db, 'do0', 'w1', 1299)).toBeNull();
    // Greater, not v1 + 1: the refused INSERT ... DO NOTHING still consumed a sequence number.
    expect(acquire(db, 'do0', 'w1', 1301)).toBeGreaterThan(v1 as number);
  });

  it('versions only grow across release (AUTOINCREMENT); a plain rowid comes back after DELETE', () => {
    const db = openDb(SCHEMA_CORRECTED);
    const v1 = acquire(db, 'do0', 'w0', 0) as number;
    execute(db, { sql: RELEASE_AS_PRINTED, args: ['do0', v1] });
    expect(acquire(db, 'do0', 'w1', 1)).toBeGreaterThan(v1);
    const plain = openDb(SCHEMA_AS_PRINTED);
    const a = acquire(plain, 'do0', 'w0', 0) as number;
    execute(plain, { sql: RELEASE_AS_PRINTED, args: ['do0', a] });
    expect(acquire(plain, 'do0', 'w1', 1)).toBe(a);
  });
});
