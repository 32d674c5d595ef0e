#!/usr/bin/env -S node --single-threaded-gc
// Entry point for `npx faultline`: loads the TypeScript CLI through tsx, so there is no build
// step between a clone and a run.
// --single-threaded-gc: runs allocate fast, and V8's parallel GC helper threads then compete
// with sweep workers for the two cores; with it, 2 sweep workers give about 1.6-1.9x instead of
// 1.0-1.4x (bin/sweep/bench-sweep.ts), and a single run is no slower. `env -S` (coreutils
// 8.30 or later) passes the flag.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv);
