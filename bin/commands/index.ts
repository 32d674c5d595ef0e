import type { RegisterCommand } from './types.ts';
import { register as list } from './list.ts';
import { register as run } from './run.ts';

/** Every CLI command, in the order `faultline --help` lists them. One import per command. */
export const commands: readonly RegisterCommand[] = [list, run];
