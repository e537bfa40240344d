/**
 * The server's one pool of worker threads for heavy work, created on first use and shared by every
 * request: simulations, XLSX workbooks and the large answers of `/api/classement`. The request
 * thread only queues a task and awaits its bytes. Every setting is read here, from the environment:
 * - `ATLAS_WORKERS`: workers (default: cores − 1, at least 1, so one core stays for the requests);
 * - `ATLAS_WORKER_QUEUE`: tasks waiting beyond the running ones before a French 503 with
 *   `Retry-After` (default 8);
 * - `ATLAS_TASK_TIME_LIMIT_MS`: time limit of one task (default 60 000; an XLSX workbook gets twice
 *   as long), past which its worker is replaced and the client gets a French 504.
 * Each worker loads the data once, when it starts (`server-tasks.worker.ts`).
 */
import { json } from '@sveltejs/kit';
import {
	createWorkerPool,
	workerPoolFailure,
	type RunOptions,
	type WorkerPool,
	type WorkerPoolStats
} from './worker-pool';
import type { ServerTasks } from './server-tasks.worker';
import { plainXlsxTable, type XlsxProvenance, type XlsxTable } from '../export/xlsx';

const DEFAULT_QUEUE = 8;
const DEFAULT_TIME_LIMIT_MS = 60_000;
/** A workbook of 34,875 communes takes several seconds of exceljs on a busy core. */
const XLSX_TIME_FACTOR = 2;

function positiveInteger(name: string): number | undefined {
	const value = Number(process.env[name]);
	return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The pool's settings as the environment gives them. */
export function serverTaskSettings(): { size?: number; maxQueue: number; timeLimitMs: number } {
	return {
		size: positiveInteger('ATLAS_WORKERS'),
		maxQueue: positiveInteger('ATLAS_WORKER_QUEUE') ?? DEFAULT_QUEUE,
		timeLimitMs: positiveInteger('ATLAS_TASK_TIME_LIMIT_MS') ?? DEFAULT_TIME_LIMIT_MS
	};
}

const shared: { pool?: Promise<WorkerPool> } = {};

/** The shared pool (starts its workers, which start loading the data, on the first call). */
export function serverTaskPool(): Promise<WorkerPool> {
	shared.pool ??= import('./server-tasks.worker').then(({ serverTasksEntry }) =>
		createWorkerPool({ entry: serverTasksEntry, ...serverTaskSettings() })
	);
	return shared.pool;
}

/** A worker's warm-up (data, siting index, rankings): seconds on a busy machine, never a minute. */
const WARM_TIME_LIMIT_MS = 300_000;

/**
 * Start the pool and resolve once every worker has loaded its data (one `warm` task each: an idle
 * worker takes the next task, so the first `size` tasks go to `size` different workers).
 */
export async function warmServerTasks(): Promise<void> {
	const pool = await serverTaskPool();
	const { size } = pool.stats();
	await Promise.all(
		Array.from({ length: size }, () => pool.run('warm', null, { timeLimitMs: WARM_TIME_LIMIT_MS }))
	);
}

/** The pool's state if it has started (for `GET /api/etat`), else null. */
export async function serverTaskStats(): Promise<WorkerPoolStats | null> {
	return shared.pool ? (await shared.pool).stats() : null;
}

/**
 * Run a task of the registry (`ServerTasks`) in the shared pool (see `WorkerPool.run` for its
 * errors; answer them with `poolFailureResponse`).
 */
export async function runServerTask<K extends keyof ServerTasks>(
	task: K,
	payload: ServerTasks[K]['payload'],
	options?: RunOptions
): Promise<ServerTasks[K]['result']> {
	return (await serverTaskPool()).run(task, payload, options);
}

/**
 * The French answer to a pool failure: 503 with `Retry-After` when the queue is full, 504 past the
 * time limit, 500 otherwise. `what` names the work in French (« L’export XLSX »).
 */
export function poolFailureResponse(error: unknown, what: string): Response {
	const failure = workerPoolFailure(error, what);
	return json(failure.body, { status: failure.status, headers: failure.headers });
}

/**
 * An XLSX workbook written in the pool: the request thread sends the evaluated cells and gets the
 * file's bytes.
 * @returns the bytes, or the French error answer (503 when the pool is full, 504 past its time limit)
 */
export async function xlsxInWorker<T>(
	table: XlsxTable<T>,
	provenance: XlsxProvenance
): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; response: Response }> {
	const payload: ServerTasks['xlsx']['payload'] = { table: plainXlsxTable(table), provenance };
	try {
		const bytes = await runServerTask('xlsx', payload, {
			timeLimitMs: serverTaskSettings().timeLimitMs * XLSX_TIME_FACTOR
		});
		return { ok: true, bytes: new Uint8Array(bytes) };
	} catch (error) {
		return { ok: false, response: poolFailureResponse(error, 'L’export XLSX') };
	}
}
