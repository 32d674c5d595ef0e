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
}

interface Variant {
  readonly room: Omit<RoomOptions, 'requestTtl' | 'snapshotEvery'>;
  readonly strictDeltas: boolean;
  /** Corrected: the map lives at least as long as a client keeps retrying (x2 for skew). */
  readonly ttlCoversRetries: boolean;
}

const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': { room: { serialize: false, durableDedup: false }, strictDeltas: false, ttlCoversRetries: false },
  corrected: { room: { serialize: true, durableDedup: true }, strictDeltas: true, ttlCoversRetries: true },
  /** Only the input gate: shows what serialising alone does and does not fix. */
  'bug:memory-dedup': { room: { serialize: true, durableDedup: false }, strictDeltas: true, ttlCoversRetries: true },
};

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
    const requestTtl = v.ttlCoversRetries ? Math.max(baseTtl, 2 * horizon) : baseTtl;
    const nodes: NodeSpec[] = doNodes({
      classes: [roomClass({ ...v.room, requestTtl, snapshotEvery: p.snapshotEvery ?? 5 })],
      params: runtime,
    });
    const per = p.devicesPerUser ?? 1;
    for (let i = 0; i < p.clients; i++) {
      nodes.push({
        id: `c${i}`,
        role: 'client',
        create: karaokeClient({
          index: i,
          user: `u${Math.floor(i / per)}`,
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
          ...(p.stopAt?.[i] !== undefined ? { stopAt: p.stopAt[i] as Micros } : {}),
        }),
      });
    }
    return nodes;
  },
};
