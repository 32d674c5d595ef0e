// A sweep worker thread's entry when the bundled one cannot be built (worker-entry.ts). Workers
// start without the parent's loaders, so this plain-JS entry registers tsx itself (as
// bin/faultline.mjs does) before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
