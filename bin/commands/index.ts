import type { RegisterCommand } from './types.ts';
import { register as list } from './list.ts';
import { register as run } from './run.ts';
import { register as report } from './report.ts';
import { register as compare } from './compare.ts';
import { register as check } from './check.ts';
import { register as replay } from './replay.ts';
import { register as shrink } from './shrink.ts';
import { register as sweep } from './sweep.ts';
import { register as golden } from './golden.ts';
import { register as explore } from './explore.ts';

/** Every CLI command, in the order `faultline --help` lists them. One import per command. */
export const commands: readonly RegisterCommand[] = [list, run, report, compare, check, replay, shrink, sweep, explore, golden];
