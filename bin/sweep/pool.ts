import { Worker } from 'node:worker_threads';
import type { ResultLine, Task, WorkerConfig } from './task.ts';
import { workerEntry } from './worker-entry.ts';

/**
 * A fixed set of worker threads fed one task at a time. Runs take tens to hundreds of
 * milliseconds, so per-task messaging costs nothing measurable, and handing out one task at a
 * time balances slow and fast scenarios without tuning.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: { id: number; task: Task }[] = [];
  private readonly pending = new Map<number, { resolve: (l: ResultLine) => void; reject: (e: Error) => void; worker?: Worker }>();
  private nextId = 0;
  private failed: Error | undefined;

  /** `entry`: the script each worker starts from (see worker-entry.ts). */
  constructor(size: number, cfg: WorkerConfig, entry: URL) {
    for (let i = 0; i < size; i++) {
      // execArgv: [] so a worker never inherits a test runner's or debugger's flags (nor tsx's
      // loader: the entry is plain JavaScript).
      const w = new Worker(entry, { workerData: cfg, execArgv: [] });
      w.on('message', (m: { id: number; line: ResultLine }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.line);
        this.release(w);
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a sweep worker exited with code ${code}`));
      });
      this.all.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.all.length;
  }

  run(task: Task): Promise<ResultLine> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const p = new Promise<ResultLine>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.waiting.push({ id, task });
    this.dispatch();
    return p;
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const w = this.idle.pop() as Worker;
      const job = this.waiting.shift() as { id: number; task: Task };
      w.postMessage(job);
    }
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}

/**
 * Runs every task on `workers` threads, calling `onResult` in completion order (the caller
 * appends and syncs each line as it comes, so nothing finished is lost if the process dies).
 */
export async function runAll(tasks: readonly Task[], workers: number, cfg: WorkerConfig, onResult: (l: ResultLine) => void): Promise<void> {
  if (tasks.length === 0) return;
  const pool = new WorkerPool(Math.max(1, Math.min(workers, tasks.length)), cfg, (await workerEntry()).url);
  try {
    await Promise.all(tasks.map((t) => pool.run(t).then(onResult)));
  } finally {
    await pool.close();
  }
}
