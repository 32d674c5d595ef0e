import { parentPort, workerData } from 'node:worker_threads';
import { runTask } from './run-task.ts';
import type { Task, WorkerConfig } from './task.ts';

/** Worker side of the pool: one task in, one result line out, until the pool closes the port. */
const cfg = workerData as WorkerConfig;
parentPort?.on('message', (msg: { id: number; task: Task }) => {
  parentPort?.postMessage({ id: msg.id, line: runTask(msg.task, cfg) });
});
