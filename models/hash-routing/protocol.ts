import type { Value } from '../../sim/value.ts';

/**
 * Messages of the hash-routing design, as plain data on the simulated wire. Clients talk to
 * a balancer; the balancer forwards to the worker its ring names; the worker answers the client
 * directly and keeps the DO's state in the store.
 */
type Msg<T extends string, B> = { readonly [k: string]: Value } & { readonly type: T } & B;

/** A DO operation: `incr` adds one to the DO's counter, `read` returns it. */
export type DoOp = 'incr' | 'read';

export type ClientReq = Msg<'req', { readonly req: number; readonly f: DoOp; readonly key: string }>;
export type Forward = Msg<'fwd', { readonly client: string; readonly req: number; readonly f: DoOp; readonly key: string }>;
/** ok false: the operation certainly had no effect (no route, fenced, not serving). */
export type ClientRes = Msg<'res', { readonly req: number; readonly ok: boolean; readonly value: Value; readonly reason: string }>;

/** Worker liveness: `version` grows with every heartbeat and across restarts; `left` is a graceful leave. */
export type Heartbeat = Msg<'hb', { readonly worker: string; readonly version: number; readonly left: boolean }>;
/** A balancer's whole view, pushed to the other balancers: [worker, version, left] rows. */
export type Gossip = Msg<'gossip', { readonly rows: readonly (readonly [string, number, boolean])[] }>;

/** Worker -> store. `load` activates the DO (corrected: and grants a new ownership epoch). */
export type StoreReq =
  | Msg<'load', { readonly key: string; readonly nonce: number }>
  /** `client`/`req` name the client operation, so a duplicated or retried one is applied once. */
  | Msg<'put', { readonly key: string; readonly nonce: number; readonly value: number; readonly epoch: number; readonly client: string; readonly req: number }>
  | Msg<'check', { readonly key: string; readonly nonce: number; readonly epoch: number }>;

export type StoreRes =
  | Msg<'loaded', { readonly key: string; readonly nonce: number; readonly value: number; readonly epoch: number }>
  | Msg<'put-ok', { readonly key: string; readonly nonce: number }>
  /** The operation was applied before (a duplicate or a retry): nothing changed now. */
  | Msg<'put-dup', { readonly key: string; readonly nonce: number }>
  | Msg<'check-ok', { readonly key: string; readonly nonce: number }>
  | Msg<'fenced', { readonly key: string; readonly nonce: number; readonly epoch: number }>;

const isObj = (v: Value): v is { readonly [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);
const typed = <T extends { readonly type: string }>(types: readonly T['type'][]) => (m: Value): m is T & Value =>
  isObj(m) && typeof m.type === 'string' && (types as readonly string[]).includes(m.type);

export const isClientReq = typed<ClientReq>(['req']);
export const isForward = typed<Forward>(['fwd']);
export const isClientRes = typed<ClientRes>(['res']);
export const isHeartbeat = typed<Heartbeat>(['hb']);
export const isGossip = typed<Gossip>(['gossip']);
export const isStoreReq = typed<StoreReq>(['load', 'put', 'check']);
export const isStoreRes = typed<StoreRes>(['loaded', 'put-ok', 'put-dup', 'check-ok', 'fenced']);
