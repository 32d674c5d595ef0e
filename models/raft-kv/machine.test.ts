import { describe, expect, it } from 'vitest';
import { KvMachine } from './machine.ts';
import type { KvCommand } from './protocol.ts';

const cmd = (client: string, req: number, f: KvCommand['f'], value: KvCommand['value'] = null, key = 'k0'): KvCommand => ({ client, req, f, key, value });

describe('raft-kv state machine', () => {
  it('reads, writes and compares-and-sets per key', () => {
    const m = new KvMachine();
    expect(m.apply(cmd('c0', 0, 'read'))).toEqual({ req: 0, ok: true, value: null });
    m.apply(cmd('c0', 1, 'write', 5));
    expect(m.apply(cmd('c1', 0, 'cas', [4, 6]))).toEqual({ req: 0, ok: false, value: 5 });
    expect(m.apply(cmd('c1', 1, 'cas', [5, 6]))).toEqual({ req: 1, ok: true, value: null });
    expect(m.apply(cmd('c0', 2, 'read'))).toEqual({ req: 2, ok: true, value: 6 });
  });

  it('a retried command that commits twice takes effect once and gets the first answer', () => {
    const m = new KvMachine();
    m.apply(cmd('c0', 0, 'write', 1));
    expect(m.apply(cmd('c1', 0, 'cas', [1, 2]))).toEqual({ req: 0, ok: true, value: null });
    // the retry of the same cas would now fail against 2; dedup answers it from the table
    expect(m.apply(cmd('c1', 0, 'cas', [1, 2]))).toEqual({ req: 0, ok: true, value: null });
    // an older request of a client that moved on is ignored
    m.apply(cmd('c1', 1, 'write', 3));
    expect(m.apply(cmd('c1', 0, 'cas', [1, 2]))).toBeNull();
    expect(m.observed()).toEqual({ k0: 3 });
  });

  it('a snapshot restores data and the dedup table', () => {
    const m = new KvMachine();
    m.apply(cmd('c0', 0, 'write', 1));
    const n = new KvMachine();
    n.restore(structuredClone(m.snapshot()));
    expect(n.apply(cmd('c0', 0, 'write', 1))).toEqual({ req: 0, ok: true, value: null });
    expect(n.observed()).toEqual({ k0: 1 });
  });
});
