import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

/** The script sweep worker threads start from, and whether it is the bundled one. */
export interface WorkerEntry {
  readonly url: URL;
  readonly bundled: boolean;
  /** Why the bundle could not be used (only when `bundled` is false). */
  readonly reason?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Without a bundle: the plain-JS entry that registers tsx and loads worker-main.ts. */
const TSX_ENTRY = new URL('./worker.mjs', import.meta.url);
/** Beside the packages, so the bundle's `import 'libsql'` resolves as it does from the sources. */
const CACHE_DIR = path.resolve(here, '..', '..', 'node_modules', '.cache', 'faultline');

// The bundle is ESM; seedrandom is CommonJS and calls `require('crypto')`, which an ESM module
// has no `require` for. Give it Node's own.
const BANNER = "import { createRequire as __faultlineRequire } from 'node:module'; const require = __faultlineRequire(import.meta.url);";

let cached: Promise<WorkerEntry> | undefined;

/**
 * Bundles worker-main.ts and everything it imports into one ES module, once per process.
 *
 * Why: a worker that starts from the TypeScript sources registers tsx, and on Node 20 that starts
 * a loader-hooks thread per worker and sends every one of about 80 module loads through it; a
 * worker then needs 0.5-0.8 s before its first seed, against about 0.2 s from one bundled file
 * (bin/sweep/bench-sweep.ts measures both). A sweep pays that start-up once per worker; on a
 * 200-seed sweep it was a tenth of the whole run.
 *
 * Each process builds it from the sources as they are when it first needs it (about 0.1 s, in
 * esbuild's own process), so it is never stale, and stores it under the hash of its contents: sweeps
 * running side by side write the same bytes to the same name, through a rename, so none reads a
 * half-written file. The code is the same code, so runs and trace hashes are the same. If
 * anything fails (no esbuild, a read-only install), workers load the sources through tsx.
 */
export async function workerEntry(): Promise<WorkerEntry> {
  // A long-lived process (a watch-mode test runner) may outlive its bundle: a sweep of edited
  // sources prunes bundles unused for an hour. Build again rather than start workers from nothing.
  if (cached) {
    const prev = await cached;
    if (prev.bundled && !fs.existsSync(fileURLToPath(prev.url))) cached = undefined;
  }
  cached ??= bundle().catch((err: unknown) => ({
    url: TSX_ENTRY,
    bundled: false,
    reason: err instanceof Error ? err.message.split('\n')[0] : String(err),
  }));
  return cached;
}

async function bundle(): Promise<WorkerEntry> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [path.join(here, 'worker-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // A native addon, and a package that finds its wasm beside itself (__dirname): loaded from
    // node_modules at run time, never bundled.
    external: ['libsql', '@automerge/automerge'],
    banner: { js: BANNER },
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no output');
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = path.join(CACHE_DIR, `sweep-worker-${hash}.mjs`);
  if (fs.existsSync(file)) {
    // Mark it used, so pruning (by age) leaves it alone while sweeps keep using it.
    const now = new Date();
    fs.utimesSync(file, now, now);
  } else {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Unique per thread: test files may build side by side in one process.
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  }
  pruneOldBundles(file);
  return { url: pathToFileURL(file), bundled: true };
}

/**
 * Every source change makes a new bundle name; remove the ones not used for an hour (a sweep
 * still running from an older bundle loaded it when it started its workers).
 */
function pruneOldBundles(keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(CACHE_DIR)) {
    const f = path.join(CACHE_DIR, name);
    if (f === keep || !name.startsWith('sweep-worker-')) continue;
    try {
      if (fs.statSync(f).mtimeMs < hourAgo) fs.unlinkSync(f);
    } catch {
      // Another sweep removed it first.
    }
  }
}
