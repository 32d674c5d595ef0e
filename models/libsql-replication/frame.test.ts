import { describe, expect, it } from 'vitest';
import { TORN } from '../../sim/storage.ts';
import { frameFollows, GENESIS_CHECKSUM, makeFrame } from './frame.ts';

const body = (frameNo: number, v: number) => ({ frameNo, term: 1, stmts: [{ sql: 'INSERT INTO kv VALUES (?, ?)', args: ['k', v] }], origin: `c0:${frameNo}`, timestamp: frameNo * 1000 });

describe('frames', () => {
  const f1 = makeFrame(GENESIS_CHECKSUM, body(1, 10));
  const f2 = makeFrame(f1.checksum, body(2, 20));
  it('chain: a frame follows the checksum of the one before it', () => {
    expect(frameFollows(GENESIS_CHECKSUM, f1, 1)).toBe(true);
    expect(frameFollows(f1.checksum, f2, 2)).toBe(true);
  });
  it('rejects a frame out of order or after another predecessor', () => {
    expect(frameFollows(f1.checksum, f2, 3)).toBe(false);
    expect(frameFollows(GENESIS_CHECKSUM, f2, 2)).toBe(false);
    const other = makeFrame(GENESIS_CHECKSUM, body(1, 11));
    expect(frameFollows(other.checksum, f2, 2)).toBe(false);
  });
  it('rejects a corrupted or torn frame', () => {
    expect(frameFollows(GENESIS_CHECKSUM, { ...f1, stmts: [{ sql: 'INSERT INTO kv VALUES (?, ?)', args: ['k', 99] }] }, 1)).toBe(false);
    expect(frameFollows(GENESIS_CHECKSUM, TORN, 1)).toBe(false);
  });
});
