import type { Value } from '../../sim/value.ts';

/** Messages between kv-authority clients and servers (plain data on the simulated wire). */
export interface KvRequest {
  readonly [k: string]: Value;
  readonly type: 'req';
  /** Client-chosen request number; retries reuse it so the server can deduplicate. */
  readonly req: number;
  readonly f: 'read' | 'write' | 'cas';
  readonly key: string;
  /** write: the value; cas: [from, to]; read: null. */
  readonly value: Value;
}

export interface KvResponse {
  readonly [k: string]: Value;
  readonly type: 'res';
  readonly req: number;
  /** false only for a cas whose comparison failed. */
  readonly ok: boolean;
  readonly value: Value;
}

export function isRequest(m: Value): m is KvRequest {
  return typeof m === 'object' && m !== null && !Array.isArray(m) && (m as { type?: Value }).type === 'req';
}

export function isResponse(m: Value): m is KvResponse {
  return typeof m === 'object' && m !== null && !Array.isArray(m) && (m as { type?: Value }).type === 'res';
}

/** The server that owns a key: keys are "k<n>", sharded by n modulo the number of servers. */
export function ownerOf(key: string, servers: readonly string[]): string {
  const n = Number(key.slice(1));
  return servers[(Number.isInteger(n) ? n : 0) % servers.length] as string;
}
