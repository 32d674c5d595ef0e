import type { LinModel } from './types.ts';
import { registerModel } from './register.ts';
import { kvMapModel, kvModel } from './kv.ts';
import { queueModel } from './queue.ts';
import { listModel } from './list.ts';
import { lockModel } from './lock.ts';
import { setModel } from './set.ts';
import { counterModel } from './counter.ts';

export type { LinModel, PreparedStep } from './types.ts';
export { registerModel } from './register.ts';
export { kvModel, kvMapModel, type KvMapState } from './kv.ts';
export { queueModel } from './queue.ts';
export { listModel } from './list.ts';
export { lockModel, type LockState } from './lock.ts';
export { setModel } from './set.ts';
export { counterModel } from './counter.ts';
export { valueHash } from './util.ts';

/** Every model a scenario or the CLI can name, with a factory (models hold no mutable state). */
const registry: Record<string, () => LinModel<never>> = {
  register: registerModel as () => LinModel<never>,
  kv: kvModel as () => LinModel<never>,
  'kv-map': kvMapModel as () => LinModel<never>,
  queue: queueModel as () => LinModel<never>,
  list: listModel as () => LinModel<never>,
  lock: lockModel as () => LinModel<never>,
  set: setModel as () => LinModel<never>,
  counter: counterModel as () => LinModel<never>,
};

export function modelNames(): string[] {
  return Object.keys(registry).sort();
}

export function hasModel(name: string): boolean {
  return Object.hasOwn(registry, name);
}

/** The model called `name`; throws on an unknown name (listing the known ones). */
export function modelByName(name: string): LinModel<unknown> {
  const make = registry[name];
  if (!make || !Object.hasOwn(registry, name)) throw new Error(`unknown model '${name}' (known: ${modelNames().join(', ')})`);
  return make() as LinModel<unknown>;
}
