import { afterEach, describe, expect, it, vi } from 'vitest';
import hybridAcquireRace from '../../scenarios/hybrid-acquire-race.ts';
import { runScenario } from '../../sim/run.ts';
import { defineScenario } from '../../sim/scenario.ts';
import type { HybridParams } from './index.ts';
import { hybridGuardModel } from './index.ts';
import { ACQUIRE_AS_PRINTED, SCHEMA_AS_PRINTED } from './schema.ts';
import { execute, openDb } from './sql-exec.ts';

/**
 * The printed acquire reads the host clock through CURRENT_TIMESTAMP, which no fake timer
 * reaches (it is SQLite's C clock). These tests show the run cannot depend on it: the
 * comparison is INTEGER < TEXT, true for every integer, and a run with CURRENT_TIMESTAMP
 * replaced by the earliest or the latest timestamp text hashes the same as the real one.
 */
const withTimestamp = (literal: string | undefined) =>
  defineScenario<HybridParams>({
    ...hybridAcquireRace,
    model: hybridGuardModel,
    params: { ...(hybridAcquireRace.params as HybridParams), ...(literal !== undefined ? { currentTimestampAs: literal } : {}) },
    checkers: [],
    expect: { 'as-written': { holds: true } },
  } as never);

describe('the printed SQL and host time', () => {
  afterEach(() => vi.useRealTimers());

  it('expires_at < CURRENT_TIMESTAMP is true for any integer expires_at (SQLite orders integers before text)', () => {
    const db = openDb(SCHEMA_AS_PRINTED);
    for (const e of [0, 1_700_000_000_000, Number.MAX_SAFE_INTEGER, -1]) {
      expect(execute(db, { sql: 'SELECT ? < CURRENT_TIMESTAMP AS lt, typeof(CURRENT_TIMESTAMP) AS t', args: [e] }).rows[0]).toEqual({ lt: 1, t: 'text' });
    }
    // So the printed upsert takes a row over even when its lock expires in a thousand years.
    execute(db, { sql: ACQUIRE_AS_PRINTED, args: ['do0', 'w0', 0, 32_503_680_000_000] });
    const r = execute(db, { sql: ACQUIRE_AS_PRINTED, args: ['do0', 'w1', 1, 2] });
    expect(r.rowsAffected).toBe(1);
    expect(execute(db, { sql: 'SELECT node_id FROM do_locks', args: [] }).rows).toEqual([{ node_id: 'w1' }]);
  });

  // The trace itself differs (the SQL text travels in the messages); everything the run did does not.
  it('a run does the same with CURRENT_TIMESTAMP replaced by the earliest and the latest timestamp', () => {
    const outcome = (literal: string | undefined) => {
      const r = runScenario(withTimestamp(literal), { seed: 1, variant: 'as-written' });
      return JSON.stringify([r.history, r.probes, r.finalStates, r.events, r.draws]);
    };
    const real = outcome(undefined);
    expect(outcome("'0000-01-01 00:00:00'")).toBe(real);
    expect(outcome("'9999-12-31 23:59:59'")).toBe(real);
  });

  it('a run hashes the same at two faked host times (the JS side reads no host clock)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2001-01-01T00:00:00Z'));
    const a = runScenario(withTimestamp(undefined), { seed: 2, variant: 'as-written' }).traceHash;
    vi.setSystemTime(new Date('2099-06-30T12:00:00Z'));
    const b = runScenario(withTimestamp(undefined), { seed: 2, variant: 'as-written' }).traceHash;
    expect(b).toBe(a);
  });
});
