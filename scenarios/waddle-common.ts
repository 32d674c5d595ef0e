import { appliedOnce } from '../models/durable-object/checks.ts';
import { channelSequence, presenceMatches, rtkSessionSingle, typingConverges, voiceConverges, voiceParticipants } from '../models/waddle/checks.ts';
import type { WaddleParams } from '../models/waddle/index.ts';
import type { Checker } from '../sim/check/types.ts';
import type { NetworkSpec } from '../sim/network.ts';
import { MS, SECOND } from '../sim/value.ts';

export const waddleParams = (over: Partial<WaddleParams> = {}): WaddleParams => ({
  users: ['u0', 'u1', 'u2', 'u3'],
  mix: { post: 3, typing: 1 },
  think: { min: 300 * MS, max: 2 * SECOND },
  timeout: 500 * MS,
  retries: 3,
  ...over,
});

export const internet: NetworkSpec = { default: { latency: { kind: 'lognormal', median: 20 * MS, sigma: 0.4, min: 5 * MS } } };

export const waddleChecks = (): Checker[] => [
  channelSequence(),
  presenceMatches({ authority: 'do0', waddle: 'w0' }),
  typingConverges({ authority: 'do0', channel: 'general' }),
  appliedOnce({ probe: 'waddle.applied' }),
];

/** The voice checks (scenarios with `voice` on add them to waddleChecks()). */
export const voiceChecks = (): Checker[] => [
  voiceParticipants({ authority: 'do0', channel: 'general' }),
  voiceConverges({ authority: 'do0', channel: 'general' }),
  rtkSessionSingle(),
];
