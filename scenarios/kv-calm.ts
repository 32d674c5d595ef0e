import { kvAuthority } from '../models/kv-authority/index.ts';
import { linearizable } from '../sim/check/linearizability.ts';
import { defineScenario } from '../sim/scenario.ts';
import { SECOND } from '../sim/value.ts';
import { kvParams, lan } from './kv-common.ts';

export default defineScenario({
  name: 'kv-calm',
  doc: 'kv-authority with no faults: every variant is linearizable when nothing goes wrong',
  description:
    'Five clients read, write and compare-and-set three keys on one authoritative server over a LAN. ' +
    'No faults, so even the naive server must be linearizable: a bench that cries wolf here is broken.',
  model: kvAuthority,
  params: kvParams(),
  expect: { corrected: { holds: true }, 'as-written': { holds: true } },
  network: lan,
  faults: {},
  checkers: [linearizable({ model: 'register' })],
  duration: 10 * SECOND,
  settle: 1 * SECOND,
  seeds: [1, 2, 3],
});
