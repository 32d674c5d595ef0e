import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { MS, SECOND } from '../../sim/value.ts';
import { DEFAULT_DO_PARAMS, type DoRuntimeParams, doNodes } from '../durable-object/runtime.ts';
import { karaokeClient } from './client.ts';
import { type RoomOptions, roomClass } from './room.ts';

export interface KaraokeParams {
  readonly clients: number;
  /** Devices per user: clients 2k and 2k+1 are one user when 2 (default 1). */
  readonly devicesPerUser?: number;
  readonly room?: string;
  readonly mix: Readonly<Record<string, number>>;
  readonly think: { readonly min: Micros; readonly max: Micros };
  readonly timeout: Micros;
  readonly retries: number;
  readonly reconnectDelay?: Micros;
  /** The document's "short-lived" processed-id map lifetime (as-written). */
  readonly requestTtl?: Micros;
  readonly snapshotEvery?: number;
  readonly runtime?: Partial<DoRuntimeParams>;
  /** Client index -> local time it stops issuing operations. */
  readonly stopAt?: Readonly<Record<number, Micros>>;
  /** Client index -> poll period of a device that cannot open WebSockets (HTTP only). */
  readonly httpOnly?: Readonly<Record<number, Micros>>;
  /** User id of each client (two entries alike = one user on two devices); overrides devicesPerUser. */
  readonly users?: readonly string[];
  /** Client index -> its fixed list of commands (no `mix` draws); it stops after the last. */
  readonly scripts?: Readonly<Record<number, readonly string[]>>;
}

interface Variant {
  readonly room: Omit<RoomOptions, 'requestTtl' | 'snapshotEvery'>;
  readonly strictDeltas: boolean;
  /**
   * How long a processed request id is remembered: the document's TTL; at least as long as a
   * client keeps retrying (x2 for skew); or, for durable ids in the corrected room, for the life
   * of the room (a clock step forward would otherwise expire an id while its retries are on the way).
   */
  readonly idLifetime: 'document' | 'covers-retries' | 'forever';
  /** bug:user-request-ids: a device numbers its requestIds per user (`<user>-<n>`), not per device. */
  readonly requestIdPerUser?: boolean;
}

const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': { room: { serialize: false, durableDedup: false }, strictDeltas: false, idLifetime: 'document' },
  corrected: { room: { serialize: true, durableDedup: true }, strictDeltas: true, idLifetime: 'forever' },
  /** Only the input gate: shows what serialising alone does and does not fix. */
  'bug:memory-dedup': { room: { serialize: true, durableDedup: false }, strictDeltas: true, idLifetime: 'covers-retries' },
  /** corrected, but durable ids expire by `now - at` on the room's clock (a clock step defeats it). */
  'bug:clock-ttl': { room: { serialize: true, durableDedup: true }, strictDeltas: true, idLifetime: 'covers-retries' },
  /** corrected, but two devices of one user draw the same requestIds: one device's command is answered as a retry of the other's. */
  'bug:user-request-ids': { room: { serialize: true, durableDedup: true }, strictDeltas: true, idLifetime: 'forever', requestIdPerUser: true },
};

/** Client i's node id; scenarios aim faults at the ids of their clients (`clientIds(n)`). */
const clientId = (i: number): string => `c${i}`;
export const clientIds = (n: number): string[] => Array.from({ length: n }, (_, i) => clientId(i));

export const karaokeRoom: ModelDef<KaraokeParams> = {
  name: 'karaoke-room',
  doc: '000 Karaoke Queue: one authoritative RoomDO, stateVersion snapshots, requestId idempotency, expectedVersion',
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`karaoke-room has no variant '${variant}'`);
    const runtime: DoRuntimeParams = { ...DEFAULT_DO_PARAMS, ...p.runtime };
    const baseTtl = p.requestTtl ?? 10 * SECOND;
    const horizon = p.timeout * (p.retries + 1);
    const requestTtl = v.idLifetime === 'forever' ? Infinity : v.idLifetime === 'covers-retries' ? Math.max(baseTtl, 2 * horizon) : baseTtl;
    const nodes: NodeSpec[] = doNodes({
      classes: [roomClass({ ...v.room, requestTtl, snapshotEvery: p.snapshotEvery ?? 5 })],
      params: runtime,
    });
    const per = p.devicesPerUser ?? 1;
    for (let i = 0; i < p.clients; i++) {
      nodes.push({
        id: clientId(i),
        role: 'client',
        create: karaokeClient({
          index: i,
          user: p.users?.[i] ?? `u${Math.floor(i / per)}`,
          room: p.room ?? 'r0',
          worker: 'worker',
          mix: p.mix,
          think: p.think,
          timeout: p.timeout,
          retries: p.retries,
          reconnectDelay: p.reconnectDelay ?? 500 * MS,
          heartbeat: runtime.heartbeat,
          wsTimeout: runtime.wsTimeout,
          strictDeltas: v.strictDeltas,
          ...(v.requestIdPerUser ? { requestIdPerUser: true } : {}),
          ...(p.scripts?.[i] !== undefined ? { script: p.scripts[i] as readonly string[] } : {}),
          ...(p.stopAt?.[i] !== undefined ? { stopAt: p.stopAt[i] as Micros } : {}),
          ...(p.httpOnly?.[i] !== undefined ? { httpOnly: { poll: p.httpOnly[i] as Micros } } : {}),
        }),
      });
    }
    return nodes;
  },
};
