/**
 * A pool of `worker_threads` for heavy server work (simulations, large exports): the request thread
 * only queues a task and awaits its answer, so a France-wide run never stalls the other requests.
 *
 * - Generic: a task is a name and a structured-clonable payload; the worker module registers one
 *   handler per name with `serveWorkerTasks` (same module, worker side).
 * - Bounded: at most `size` tasks run and `maxQueue` wait; beyond that `run` rejects at once with a
 *   `WorkerPoolFullError` carrying a `Retry-After` estimate (answer it with `workerPoolFailure`).
 * - Time-limited: a task past its limit is stopped by terminating its worker (JavaScript cannot be
 *   interrupted otherwise); a fresh worker replaces it and the task rejects with
 *   `WorkerPoolTimeoutError`.
 * - A `.ts` entry (vite dev, vitest, tsx scripts) runs through tsx (a dev dependency); the built server
 *   passes the emitted `.js` chunk (see `server-worker-entry` in vite.config.ts).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

/** How to start and bound a pool. */
export interface WorkerPoolOptions {
	/** Worker module: a `file:` URL or an absolute path (`.ts` runs through tsx). */
	entry: URL | string;
	/** Workers running at once; default: cores − 1 (at least 1), so one core stays for requests. */
	size?: number;
	/** Tasks waiting beyond the running ones before `run` refuses; default 8. */
	maxQueue?: number;
	/** Default time limit of one task, ms, counted from when it starts running; default 60 s. */
	timeLimitMs?: number;
	/** Passed to each worker as `workerData`. */
	workerData?: unknown;
}

/** Per-call options of `run`. */
export interface RunOptions {
	/** Time limit of this task, ms (overrides the pool's). */
	timeLimitMs?: number;
}

/** What a pool tells about itself (logs, health checks, tests). */
export interface WorkerPoolStats {
	size: number;
	running: number;
	queued: number;
	maxQueue: number;
	/** Workers replaced after a time-out or a crash since the pool started. */
	replaced: number;
	/** Tasks finished (answered, failed or timed out) since the pool started. */
	finished: number;
}

export interface WorkerPool {
	/**
	 * Run `task` with `payload` in a worker.
	 * @returns the handler's result (structured clone)
	 * @throws WorkerPoolFullError at once when `maxQueue` tasks already wait
	 * @throws WorkerPoolTimeoutError when the task passed its time limit (its worker is replaced)
	 * @throws WorkerTaskError when the handler threw or the worker died
	 */
	run<T = unknown>(task: string, payload?: unknown, options?: RunOptions): Promise<T>;
	stats(): WorkerPoolStats;
	/** Refuse new tasks, reject the waiting ones and terminate every worker. */
	close(): Promise<void>;
}

/** The queue is full: come back later. */
export class WorkerPoolFullError extends Error {
	constructor(readonly retryAfterSeconds: number) {
		super(`worker pool full (retry after ${retryAfterSeconds} s)`);
		this.name = 'WorkerPoolFullError';
	}
}

/** The task ran past its time limit and was stopped. */
export class WorkerPoolTimeoutError extends Error {
	constructor(
		readonly task: string,
		readonly timeLimitMs: number
	) {
		super(`task ${task} stopped after ${timeLimitMs} ms`);
		this.name = 'WorkerPoolTimeoutError';
	}
}

/** The handler threw (message kept), the task is unknown, or the worker died or the pool closed. */
export class WorkerTaskError extends Error {
	constructor(
		readonly task: string,
		message: string
	) {
		super(message);
		this.name = 'WorkerTaskError';
	}
}

/** Messages between the pool and its workers. */
type TaskMessage = { id: number; task: string; payload: unknown };
type ReplyMessage =
	{ id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

interface Job {
	id: number;
	task: string;
	payload: unknown;
	timeLimitMs: number;
	resolve: (value: unknown) => void;
	reject: (error: Error) => void;
}

interface Slot {
	worker: Worker;
	job: Job | null;
	timer: ReturnType<typeof setTimeout> | null;
}

const DEFAULT_MAX_QUEUE = 8;
const DEFAULT_TIME_LIMIT_MS = 60_000;

function entryPath(entry: URL | string): string {
	return entry instanceof URL || entry.startsWith('file:') ? fileURLToPath(entry) : entry;
}

/**
 * Start a pool of worker threads running `options.entry`.
 * @example
 * const pool = createWorkerPool({ entry: new URL('./tasks.worker.ts', import.meta.url), maxQueue: 4 });
 * const result = await pool.run('simulate', { n: 10 }, { timeLimitMs: 30_000 });
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
	const size = Math.max(1, Math.floor(options.size ?? availableParallelism() - 1));
	const maxQueue = Math.max(0, Math.floor(options.maxQueue ?? DEFAULT_MAX_QUEUE));
	const defaultLimit = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
	const path = entryPath(options.entry);
	const queue: Job[] = [];
	const slots: Slot[] = [];
	const state = { nextId: 1, closed: false, replaced: 0, meanMs: 1000, finished: 0 };

	function spawn(): Slot {
		const worker = path.endsWith('.ts')
			? // tsx compiles TypeScript entries and resolves `$lib` through tsconfig paths
				// (`--import tsx` in a worker's execArgv is not honoured by Node 20).
				new Worker(
					`import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(pathToFileURL(path).href)}, ${JSON.stringify(pathToFileURL(path).href)}))`,
					{ eval: true, workerData: options.workerData }
				)
			: new Worker(path, { workerData: options.workerData });
		// Idle workers must not keep a script or a test process alive.
		worker.unref();
		const slot: Slot = { worker, job: null, timer: null };
		worker.on('message', (message: ReplyMessage) => {
			const job = slot.job;
			if (!job || message.id !== job.id) return;
			finish(slot);
			if (message.ok) job.resolve(message.result);
			else job.reject(new WorkerTaskError(job.task, message.error));
			dispatch();
		});
		const fail = (reason: string) => {
			if (!slots.includes(slot)) return;
			const job = slot.job;
			replace(slot);
			job?.reject(new WorkerTaskError(job.task, reason));
			dispatch();
		};
		worker.on('error', (error) => fail(error.message));
		worker.on('exit', (code) => fail(`worker exited (code ${code})`));
		return slot;
	}

	function finish(slot: Slot): void {
		if (slot.timer) clearTimeout(slot.timer);
		slot.timer = null;
		slot.job = null;
		slot.worker.unref();
	}

	/** Drop a worker that timed out or died and start a fresh one in its place. */
	function replace(slot: Slot): void {
		if (slot.timer) clearTimeout(slot.timer);
		const index = slots.indexOf(slot);
		if (index < 0) return;
		slots.splice(index, 1);
		void slot.worker.terminate();
		state.replaced++;
		if (!state.closed) slots.push(spawn());
	}

	function dispatch(): void {
		while (queue.length > 0) {
			const slot = slots.find((s) => s.job === null);
			if (!slot) return;
			const job = queue.shift()!;
			slot.job = job;
			// A running task keeps the process alive until it answers.
			slot.worker.ref();
			const started = performance.now();
			const resolve = job.resolve;
			const reject = job.reject;
			const record = () => {
				state.finished++;
				state.meanMs += (performance.now() - started - state.meanMs) / Math.min(state.finished, 20);
			};
			job.resolve = (value) => (record(), resolve(value));
			job.reject = (error) => (record(), reject(error));
			slot.timer = setTimeout(() => {
				if (slot.job !== job) return;
				replace(slot);
				job.reject(new WorkerPoolTimeoutError(job.task, job.timeLimitMs));
				dispatch();
			}, job.timeLimitMs);
			slot.worker.postMessage({
				id: job.id,
				task: job.task,
				payload: job.payload
			} satisfies TaskMessage);
		}
	}

	for (let i = 0; i < size; i++) slots.push(spawn());

	return {
		run<T>(task: string, payload?: unknown, runOptions: RunOptions = {}): Promise<T> {
			if (state.closed) return Promise.reject(new WorkerTaskError(task, 'worker pool closed'));
			const busy = slots.every((s) => s.job !== null);
			if (busy && queue.length >= maxQueue) {
				// Waiting tasks ahead plus the running ones, spread over the workers.
				const waitMs = ((queue.length + size) * state.meanMs) / size;
				return Promise.reject(new WorkerPoolFullError(Math.max(1, Math.ceil(waitMs / 1000))));
			}
			return new Promise<T>((resolve, reject) => {
				queue.push({
					id: state.nextId++,
					task,
					payload,
					timeLimitMs: runOptions.timeLimitMs ?? defaultLimit,
					resolve: resolve as (value: unknown) => void,
					reject
				});
				dispatch();
			});
		},
		stats: () => ({
			size,
			running: slots.filter((s) => s.job !== null).length,
			queued: queue.length,
			maxQueue,
			replaced: state.replaced,
			finished: state.finished
		}),
		async close() {
			state.closed = true;
			for (const job of queue.splice(0))
				job.reject(new WorkerTaskError(job.task, 'worker pool closed'));
			const closing = slots.splice(0);
			for (const slot of closing) {
				if (slot.timer) clearTimeout(slot.timer);
				slot.job?.reject(new WorkerTaskError(slot.job.task, 'worker pool closed'));
			}
			await Promise.all(closing.map((s) => s.worker.terminate()));
		}
	};
}

/** Handlers of a worker module, by task name. */
export type WorkerTaskHandlers = Record<string, (payload: never) => unknown>;

/** A handler's result with the buffers to move to the pool rather than copy (see `transferring`). */
export class TransferredResult<T> {
	constructor(
		readonly value: T,
		readonly transfer: ArrayBuffer[]
	) {}
}

/**
 * Worker side: return `value` to the pool moving `views`' memory instead of copying it (a 20 MB
 * answer costs the request thread no copy). A view that shares its buffer with other data (a
 * pooled Node `Buffer`) is copied as usual, so nothing else is detached.
 */
export function transferring<T>(
	value: T,
	views: readonly (ArrayBufferView | null)[]
): TransferredResult<T> {
	const transfer = new Set<ArrayBuffer>();
	for (const view of views) {
		if (
			view &&
			view.buffer instanceof ArrayBuffer &&
			view.byteOffset === 0 &&
			view.byteLength === view.buffer.byteLength
		)
			transfer.add(view.buffer);
	}
	return new TransferredResult(value, [...transfer]);
}

/**
 * Worker side: answer the pool's tasks with `handlers` (call once, at the top of the worker module).
 * A handler may be async; what it throws reaches the caller as a `WorkerTaskError` with its message.
 */
export function serveWorkerTasks(handlers: WorkerTaskHandlers): void {
	if (isMainThread || !parentPort) throw new Error('serveWorkerTasks runs in a worker thread');
	const port = parentPort;
	port.on('message', async ({ id, task, payload }: TaskMessage) => {
		let reply: ReplyMessage;
		try {
			const handler = Object.hasOwn(handlers, task) ? handlers[task] : undefined;
			if (!handler) throw new Error(`unknown task ${task}`);
			const result = await handler(payload as never);
			if (result instanceof TransferredResult) {
				port.postMessage(
					{ id, ok: true, result: result.value } satisfies ReplyMessage,
					result.transfer
				);
				return;
			}
			reply = { id, ok: true, result };
		} catch (error) {
			reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
		}
		port.postMessage(reply);
	});
}

/** An HTTP answer for a pool failure: status, French body, headers. */
export interface WorkerPoolFailure {
	status: 500 | 503 | 504;
	body: { erreur: string; details: string[] };
	headers: Record<string, string>;
}

/**
 * Turn a pool error into the HTTP answer a client can act on: 503 with `Retry-After` when the queue
 * is full, 504 when the run passed its time limit, 500 otherwise. `what` names the work in French
 * ("La simulation").
 * @example workerPoolFailure(new WorkerPoolFullError(4), 'La simulation').status // 503
 */
export function workerPoolFailure(error: unknown, what: string): WorkerPoolFailure {
	if (error instanceof WorkerPoolFullError) {
		const detail = `${what} n’a pas pu démarrer : le serveur traite déjà le nombre maximal de calculs simultanés.`;
		return {
			status: 503,
			body: {
				erreur: `Serveur occupé. ${detail} Réessayez dans ${error.retryAfterSeconds} s.`,
				details: [detail]
			},
			headers: { 'retry-after': String(error.retryAfterSeconds) }
		};
	}
	if (error instanceof WorkerPoolTimeoutError) {
		const seconds = Math.round(error.timeLimitMs / 100) / 10;
		const detail = `${what} a dépassé la durée maximale de ${String(seconds).replace('.', ',')} s : le calcul a été arrêté.`;
		return {
			status: 504,
			body: {
				erreur: `${detail} Réduisez le territoire ou le nombre de sites demandés.`,
				details: [detail]
			},
			headers: {}
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	console.error(`${what} : échec dans le pool de calcul :`, message);
	return {
		status: 500,
		body: {
			erreur: `${what} a échoué sur le serveur. Réessayez dans un instant.`,
			details: [`${what} a échoué sur le serveur.`]
		},
		headers: {}
	};
}
