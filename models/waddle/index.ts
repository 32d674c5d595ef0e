import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { MS } from '../../sim/value.ts';
import { DEFAULT_DO_PARAMS, type DoRuntimeParams, doNodes } from '../durable-object/runtime.ts';
import { waddleClient } from './client.ts';
import { type ChannelOptions, channelClass, TYPING_TIMEOUT, type WaddleOptions, waddleClass } from './objects.ts';

export interface WaddleParams {
  /** User id of each client node c0.. (two entries alike = one user on two devices). */
  readonly users: readonly string[];
  readonly mix: Readonly<Record<string, number>>;
  readonly think: { readonly min: Micros; readonly max: Micros };
  readonly timeout: Micros;
  readonly retries: number;
  readonly runtime?: Partial<DoRuntimeParams>;
  /** Client index -> local time at which that device leaves. */
  readonly leaveAt?: Readonly<Record<number, Micros>>;
}

interface Variant {
  readonly waddle: WaddleOptions;
  readonly channel: Omit<ChannelOptions, 'typingTimeout'>;
  readonly maxAttempts: number;
  readonly resume: boolean;
}

const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': {
    waddle: { multiDevice: false },
    channel: { loadSequence: false, storeAndReplay: false, dedup: false, broadcastOnExpiry: false },
    maxAttempts: 5,
    resume: false,
  },
  corrected: {
    waddle: { multiDevice: true },
    channel: { loadSequence: true, storeAndReplay: true, dedup: true, broadcastOnExpiry: true },
    maxAttempts: Infinity,
    resume: true,
  },
};

export const waddle: ModelDef<WaddleParams> = {
  name: 'waddle',
  doc: '003 Waddle ADR-007: Worker routing to WaddleDurableObject (presence) and ChannelDurableObject (messages, typing)',
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`waddle has no variant '${variant}'`);
    const runtime: DoRuntimeParams = { ...DEFAULT_DO_PARAMS, ...p.runtime };
    const nodes: NodeSpec[] = doNodes({
      classes: [waddleClass(v.waddle), channelClass({ ...v.channel, typingTimeout: TYPING_TIMEOUT })],
      params: runtime,
    });
    p.users.forEach((user, i) => {
      nodes.push({
        id: `c${i}`,
        role: 'client',
        create: waddleClient({
          user,
          waddle: 'w0',
          channel: 'general',
          worker: 'worker',
          mix: p.mix,
          think: p.think,
          timeout: p.timeout,
          retries: p.retries,
          heartbeat: runtime.heartbeat,
          wsTimeout: runtime.wsTimeout,
          maxAttempts: v.maxAttempts,
          resumeFromLastSeq: v.resume,
          ...(p.leaveAt?.[i] !== undefined ? { leaveAt: p.leaveAt[i] as Micros } : {}),
        }),
      });
    });
    return nodes;
  },
};

export const WADDLE_TIMEOUT: Micros = 500 * MS;
