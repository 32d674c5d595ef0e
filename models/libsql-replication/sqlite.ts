import Database from 'libsql';
import type { Value } from '../../sim/value.ts';
import type { Stmt } from './frame.ts';

/** What one statement of a write transaction returned (rows for statements that read). */
export interface StmtResult {
  readonly [field: string]: Value;
  readonly changes: number;
  readonly lastInsertRowid: number;
  readonly rows: readonly { readonly [col: string]: Value }[];
}

export type TxOutcome = { readonly ok: true; readonly results: readonly StmtResult[] } | { readonly ok: false; readonly error: string };

/** Statements to run at the end of a transaction, built from what its statements returned. */
export type Epilogue = (results: readonly StmtResult[]) => readonly Stmt[];

/** SQL that reads host time or randomness would replay differently on each replica. */
const NONDETERMINISTIC = /current_(timestamp|time|date)|\brandom\s*\(|randomblob|'now'/i;

export function nondeterministic(sql: string): boolean {
  return NONDETERMINISTIC.test(sql);
}

const plain = (row: Record<string, unknown>): { [col: string]: Value } => {
  const out: { [col: string]: Value } = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === '_metadata') continue; // libsql's timing field (TOOLCHAIN.md): host time
    out[k] = typeof v === 'bigint' ? Number(v) : (v as Value);
  }
  return out;
};

/**
 * One simulated node's libSQL database (real libsql, in memory). Writes run as one
 * transaction; a failing statement rolls the whole transaction back. Prepared statements are
 * cached per SQL text: preparing dominates the cost of these tiny statements.
 */
export class NodeDb {
  private db = new Database(':memory:');
  private cache = new Map<string, Database.Statement<unknown[]>>();
  /** Wall-clock-free work counter: statements executed (benchmarks read it). */
  statements = 0;

  constructor(private readonly schema: readonly string[]) {
    for (const s of schema) this.db.exec(s);
  }

  private prepared(sql: string) {
    let p = this.cache.get(sql);
    if (p === undefined) {
      p = this.db.prepare(sql);
      this.cache.set(sql, p);
    }
    return p;
  }

  private run(s: Stmt): StmtResult {
    this.statements++;
    const p = this.prepared(s.sql);
    if (p.reader) return { changes: 0, lastInsertRowid: 0, rows: (p.all([...s.args]) as Record<string, unknown>[]).map(plain) };
    const r = p.run([...s.args]) as { changes: number; lastInsertRowid: number | bigint };
    return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid), rows: [] };
  }

  /**
   * Runs `stmts` as one transaction; on any error nothing of it stays. `epilogue` adds
   * statements computed from the results inside the same transaction (the leader's origin row).
   */
  transaction(stmts: readonly Stmt[], epilogue?: Epilogue): TxOutcome {
    this.db.exec('BEGIN');
    try {
      const results = stmts.map((s) => this.run(s));
      if (epilogue) for (const s of epilogue(results)) this.run(s);
      this.db.exec('COMMIT');
      return { ok: true, results };
    } catch (err) {
      this.db.exec('ROLLBACK');
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** A read outside any write transaction. */
  query(s: Stmt): TxOutcome {
    try {
      return { ok: true, results: [this.run(s)] };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Throws the database away and starts empty (before a replay of the durable frames). */
  reset(): void {
    this.db.close();
    this.db = new Database(':memory:');
    this.cache.clear();
    for (const s of this.schema) this.db.exec(s);
  }

  close(): void {
    this.db.close();
  }
}
