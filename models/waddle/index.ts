import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import type { Micros } from '../../sim/value.ts';
import { MS } from '../../sim/value.ts';
import { DEFAULT_DO_PARAMS, type DoRuntimeParams, doNodes } from '../durable-object/runtime.ts';
import { waddleClient } from './client.ts';
import { type ChannelOptions, channelClass, TYPING_TIMEOUT, voiceChannelClass, type VoiceOptions, type WaddleOptions, waddleClass } from './objects.ts';

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
  /**
   * Voice: every client also opens a socket to VoiceChannel:<channel>; client i joins the call
   * by itself at joinAt[i] (local time), hangs up at hangUpAt[i] if in the call (the page stays),
   * and op `voice` in the mix toggles join / leave.
   * Absent: no voice traffic at all.
   */
  readonly voice?: { readonly joinAt?: Readonly<Record<number, Micros>>; readonly hangUpAt?: Readonly<Record<number, Micros>> };
}

interface Variant {
  readonly waddle: WaddleOptions;
  readonly channel: Omit<ChannelOptions, 'typingTimeout'>;
  readonly voice: Omit<VoiceOptions, 'rtkLatency'>;
  readonly maxAttempts: number;
  readonly resume: boolean;
}

const VARIANTS: Readonly<Record<string, Variant>> = {
  'as-written': {
    waddle: { multiDevice: false },
    channel: { loadSequence: false, storeAndReplay: false, dedup: false, broadcastOnExpiry: false },
    voice: { perConnection: false },
    maxAttempts: 5,
    resume: false,
  },
  corrected: {
    waddle: { multiDevice: true },
    channel: { loadSequence: true, storeAndReplay: true, dedup: true, broadcastOnExpiry: true },
    voice: { perConnection: true, rtkIntent: true },
    maxAttempts: Infinity,
    resume: true,
  },
};

export const waddle: ModelDef<WaddleParams> = {
  name: 'waddle',
  doc: '003 Waddle ADR-007: Worker routing to WaddleDurableObject (presence), ChannelDurableObject (messages, typing) and VoiceChannelDurableObject (participants)',
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const v = VARIANTS[variant];
    if (!v) throw new Error(`waddle has no variant '${variant}'`);
    const runtime: DoRuntimeParams = { ...DEFAULT_DO_PARAMS, ...p.runtime };
    const nodes: NodeSpec[] = doNodes({
      classes: [
        waddleClass(v.waddle),
        channelClass({ ...v.channel, typingTimeout: TYPING_TIMEOUT }),
        voiceChannelClass({ ...v.voice, rtkLatency: RTK_LATENCY }),
      ],
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
          ...(p.voice ? { voice: { channel: 'general', ...voiceTimes(p.voice, i) } } : {}),
        }),
      });
    });
    return nodes;
  },
};

/** Client i's scripted join and hang-up times, where the scenario gives them. */
function voiceTimes(v: NonNullable<WaddleParams['voice']>, i: number): { joinAt?: Micros; hangUpAt?: Micros } {
  const joinAt = v.joinAt?.[i];
  const hangUpAt = v.hangUpAt?.[i];
  return { ...(joinAt !== undefined ? { joinAt } : {}), ...(hangUpAt !== undefined ? { hangUpAt } : {}) };
}

export const WADDLE_TIMEOUT: Micros = 500 * MS;
/** createRTKSession's API call (chosen: the document gives no figure). */
export const RTK_LATENCY: Micros = 50 * MS;
