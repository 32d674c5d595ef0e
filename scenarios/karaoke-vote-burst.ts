import { karaokeRoom } from '../models/karaoke-room/index.ts';
import { defineScenario } from '../sim/scenario.ts';
import { MS, SECOND } from '../sim/value.ts';
import { karaokeChecks, karaokeParams, metro } from './karaoke-common.ts';

export default defineScenario({
  name: 'karaoke-vote-burst',
  doc: 'five phones vote and queue at once: awaits on storage interleave read-modify-write commands',
  description:
    'No faults at all: five clients of one room issue commands every 5-40 ms while each storage ' +
    'operation takes 1-10 ms. The as-written RoomDO reads the room, awaits, mutates and writes it back; ' +
    'the document itself notes that request events may be processed out of order, and every await lets ' +
    'another command read the same stateVersion. Two commands then produce the same version and one ' +
    'of them is lost (a linearizability violation). The corrected room runs each command under ' +
    'blockConcurrencyWhile.',
  model: karaokeRoom,
  params: karaokeParams({ clients: 5, think: { min: 5 * MS, max: 40 * MS }, runtime: { storage: { min: 1 * MS, max: 10 * MS } } }),
  expect: {
    corrected: { holds: true },
    'as-written': { violates: ['linearizable'] },
  },
  network: metro,
  faults: {},
  checkers: karaokeChecks(),
  duration: 1 * SECOND,
  settle: 2 * SECOND,
  seeds: [1, 2, 3],
});
