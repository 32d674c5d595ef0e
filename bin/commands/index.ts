import type { RegisterCommand } from './types.ts';

/** Every CLI command, in the order `faultline --help` lists them. One import per command. */
export const commands: readonly RegisterCommand[] = [];
