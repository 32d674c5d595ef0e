import { clientIds, karaokeRoom } from '../models/karaoke-room/index.ts';
import type { ScheduledFault } from '../sim/faults.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { karaokeChecks, karaokeParams, metro } from './karaoke-common.ts';

const CLIENTS = 4;
const clients = clientIds(CLIENTS);
/** Three windows in which the room's replies are cut for 1.5 s, so clients retry. */
const windows = [2, 6, 10].map((s) => s * SECOND);
const replyCut = 1500 * MS;
/** How far the host's clock jumps forward, 0.5 s into each window. */
export const CLOCK_STEP = 12 * SECOND;

/** The fault schedule; `step: false` gives the same windows without the clock step (a control). */
export const clockStepSchedule = (step = true): ScheduledFault[] =>
  windows.flatMap((at) => [
    { at, action: { kind: 'partition', shape: { shape: 'one-way', from: ['do0'], to: clients }, for: replyCut } },
    ...(step ? [{ at: at + 500 * MS, action: { kind: 'skew', node: 'do0', by: CLOCK_STEP } } as const] : []),
  ]);

export default defineScenario({
  name: 'karaoke-clock-step',
  doc: "the room's clock steps forward 12 s while retries are in flight: the short-lived id map expires them early",
  description:
    'Three times, replies from the room to the clients are cut for 1.5 s (a one-way partition), so clients ' +
    'retry every 300 ms with the same requestId; half a second into each window the host\'s clock is ' +
    'stepped forward by 12 s (an NTP step after a VM resumes, or the object landing on a machine whose ' +
    'clock is ahead). Nothing is reset and no process restarts. The as-written room prunes its ' +
    'processed-id map by `now - at > 10 s` on its own clock, so after the step every id is "old" and the ' +
    'retries still in flight are applied a second time (a song queued twice, a vote counted twice). The ' +
    'corrected room keeps processed ids in storage and never asks the clock whether one has expired; ' +
    'the planted bug:clock-ttl is the corrected room with the clock check put back. Without the clock ' +
    'steps neither applies a request twice here (models/karaoke-room/faults-cause.test.ts).',
  model: karaokeRoom,
  params: karaokeParams({ clients: CLIENTS, think: { min: 50 * MS, max: 300 * MS }, timeout: 300 * MS, retries: 6 }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['applied-once'] },
    'bug:clock-ttl': { violates: ['applied-once'] },
  },
  network: metro,
  faults: { schedule: clockStepSchedule() },
  checkers: karaokeChecks(),
  duration: 14 * SECOND,
  settle: 4 * SECOND,
  seeds: [1, 2, 3],
});
