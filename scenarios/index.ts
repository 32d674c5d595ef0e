import type { Scenario } from '../sim/scenario.ts';
import kvCalm from './kv-calm.ts';
import kvCrashRestart from './kv-crash-restart.ts';
import kvLossyRetries from './kv-lossy-retries.ts';
import kvNemesis from './kv-nemesis.ts';

/** Every named scenario. One import per scenario file; `faultline list` shows them in this order. */
export const scenarios: readonly Scenario[] = [kvCalm, kvCrashRestart, kvLossyRetries, kvNemesis];

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
