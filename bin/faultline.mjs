#!/usr/bin/env node
// Entry point for `npx faultline`: loads the TypeScript CLI through tsx, so there is no build
// step between a clone and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv);
