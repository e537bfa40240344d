/**
 * The server's pool of worker threads for heavy work (simulations), created on first use and shared
 * by every request. Sizes and limits can be set by environment variables:
 * `ATLAS_WORKERS` (default: cores − 1, at least 1), `ATLAS_WORKER_QUEUE` (waiting tasks, default 4)
 * and `ATLAS_TASK_TIME_LIMIT_MS` (default 60 000).
 */
import { createWorkerPool, type RunOptions, type WorkerPool } from './worker-pool';
import type { HeavyTasks } from './heavy-tasks.worker';

const DEFAULT_QUEUE = 4;
const DEFAULT_TIME_LIMIT_MS = 60_000;

const shared: { pool?: Promise<WorkerPool> } = {};

function positiveInteger(name: string): number | undefined {
	const value = Number(process.env[name]);
	return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The shared pool (starts its workers, which start loading the data, on the first call). */
export function heavyTaskPool(): Promise<WorkerPool> {
	shared.pool ??= import('./heavy-tasks.worker').then(({ heavyTasksEntry }) =>
		createWorkerPool({
			entry: heavyTasksEntry,
			size: positiveInteger('ATLAS_WORKERS'),
			maxQueue: positiveInteger('ATLAS_WORKER_QUEUE') ?? DEFAULT_QUEUE,
			timeLimitMs: positiveInteger('ATLAS_TASK_TIME_LIMIT_MS') ?? DEFAULT_TIME_LIMIT_MS
		})
	);
	return shared.pool;
}

/**
 * Run a heavy task in the shared pool (see `WorkerPool.run` for its errors; answer them with
 * `workerPoolFailure`).
 */
export async function runHeavyTask<K extends keyof HeavyTasks>(
	task: K,
	payload: HeavyTasks[K]['payload'],
	options?: RunOptions
): Promise<HeavyTasks[K]['result']> {
	return (await heavyTaskPool()).run(task, payload, options);
}
