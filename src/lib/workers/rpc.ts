/**
 * A small typed RPC between the page and a Web Worker, shared by every worker of the app (analysis,
 * siting). The page side numbers its requests and settles each promise exactly once; the worker
 * side (`serve`) answers by id. Three rules the callers rely on:
 * - **latest wins** for the kinds listed as such: a newer request of the same kind settles the
 *   older one as `superseded` (its answer, if it still comes, is dropped), and at most one request
 *   of that kind is in the worker at a time (a slider dragged costs one round trip, not a queue);
 * - **cancel by terminate**: a computation cannot be interrupted from outside (the worker's thread
 *   is busy), so `terminate()` stops the worker, settles everything pending with a French message,
 *   and the next call starts a fresh worker;
 * - failures are French messages in the outcome, never a rejected promise or an uncaught error:
 *   a handler that throws, a worker that crashes (`error`) or an answer that cannot be read
 *   (`messageerror`).
 *
 * Pure: no DOM beyond the Worker-like interfaces below, so it runs in Node with a stand-in worker.
 */

/** Page → worker. */
export interface RpcRequest {
	id: number;
	kind: string;
	payload: unknown;
}

/** Worker → page: an answer, a failure, or progress of a request still running. */
export type RpcResponse =
	| { id: number; ok: true; value: unknown }
	| { id: number; ok: false; message: string }
	| { id: number; progress: number };

/** How a request ended. */
export type RpcOutcome<T> =
	| { status: 'done'; value: T }
	/** A newer request of the same kind replaced it. */
	| { status: 'superseded' }
	/** The worker was terminated (French message). */
	| { status: 'cancelled'; message: string }
	/** The handler failed or the worker crashed (French message). */
	| { status: 'failed'; message: string };

/** What a handler may do besides answering. */
export interface RpcContext {
	/** Report progress, a fraction 0–1, to the caller's `onProgress`. */
	progress(fraction: number): void;
	/** Move these buffers with the answer instead of copying them. */
	transfer(...list: Transferable[]): void;
}

/** The handlers a worker serves, by request kind: payload → answer (or a promise of it). */
export type RpcHandlers = Record<string, (payload: never, context: RpcContext) => unknown>;

export type PayloadOf<H extends RpcHandlers, K extends keyof H> = Parameters<H[K]>[0];
export type AnswerOf<H extends RpcHandlers, K extends keyof H> = Awaited<ReturnType<H[K]>>;

/** What the client needs of a Worker (a real one, or a stand-in in the tests). */
export interface RpcWorker {
	postMessage(message: RpcRequest, transfer?: Transferable[]): void;
	addEventListener(type: 'message', listener: (event: { data: RpcResponse }) => void): void;
	addEventListener(
		type: 'error' | 'messageerror',
		listener: (event: { message?: string; preventDefault?: () => void }) => void
	): void;
	terminate(): void;
}

export interface RpcClientOptions<H extends RpcHandlers> {
	/** Start a worker; called again after `terminate()` or a crash. */
	createWorker: () => RpcWorker;
	/** The calculation, in French, for the messages: « Le calcul {label} s’est arrêté… ». */
	label: string;
	/** Kinds where a newer request supersedes the older one. */
	latestWins?: readonly (keyof H & string)[];
	/** A request sent first to each new worker (where its data is, a dataset already built). */
	init?: () => { kind: keyof H & string; payload: unknown };
}

export interface RpcCallOptions {
	/** Progress reported by the handler, 0–1. */
	onProgress?: (fraction: number) => void;
	/** Buffers of the payload to move rather than copy. */
	transfer?: Transferable[];
}

export interface RpcClient<H extends RpcHandlers> {
	call<K extends keyof H & string>(
		kind: K,
		payload: PayloadOf<H, K>,
		options?: RpcCallOptions
	): Promise<RpcOutcome<AnswerOf<H, K>>>;
	/** Stop the worker; pending requests settle `cancelled`; the next call starts a new worker. */
	terminate(): void;
	/** Stop for good: pending and later requests settle `cancelled`. */
	dispose(): void;
	/** A worker is running. */
	readonly running: boolean;
}

interface Call {
	kind: string;
	payload: unknown;
	options: RpcCallOptions;
	settle: (outcome: RpcOutcome<unknown>) => void;
}

/**
 * The page's side: no worker starts until the first call.
 * @example
 * const client = createRpcClient<typeof handlers>({ createWorker: () => new MyWorker(), label: 'du classement' });
 * const outcome = await client.call('rank', view); // { status: 'done', value } or a French failure
 */
export function createRpcClient<H extends RpcHandlers>(options: RpcClientOptions<H>): RpcClient<H> {
	const latestWins = new Set<string>(options.latestWins ?? []);
	let worker: RpcWorker | null = null;
	let disposed = false;
	let nextId = 1;
	/** Requests sent to the current worker, by id (a superseded one keeps its entry, settled). */
	const sent = new Map<number, Call & { settled: boolean }>();
	/** The request of a latest-wins kind the worker is computing, by kind. */
	const inFlight = new Map<string, number>();
	/** The newest request of a latest-wins kind, waiting for the one in flight, by kind. */
	const waiting = new Map<string, Call>();

	const settleAll = (outcome: RpcOutcome<never>) => {
		for (const call of sent.values()) if (!call.settled) call.settle(outcome);
		for (const call of waiting.values()) call.settle(outcome);
		sent.clear();
		waiting.clear();
		inFlight.clear();
	};

	const stop = (outcome: RpcOutcome<never>) => {
		const current = worker;
		worker = null;
		current?.terminate();
		settleAll(outcome);
	};

	const start = (): RpcWorker => {
		const started = options.createWorker();
		started.addEventListener('message', ({ data }) => {
			if (started === worker) receive(data);
		});
		const crash = (event: { message?: string; preventDefault?: () => void }) => {
			// Handled here: the page reports it as a French failure, not an uncaught error.
			event.preventDefault?.();
			if (started !== worker) return;
			stop({
				status: 'failed',
				message: `Le calcul ${options.label} s’est arrêté sur une erreur${event.message ? ` : ${event.message}` : ''}.`
			});
		};
		started.addEventListener('error', crash);
		started.addEventListener('messageerror', () =>
			crash({ message: 'réponse illisible du calcul' })
		);
		worker = started;
		const init = options.init?.();
		if (init) post({ ...init, options: {}, settle: () => undefined });
		return started;
	};

	const post = (call: Call) => {
		const target = worker ?? start();
		const id = nextId++;
		sent.set(id, { ...call, settled: false });
		if (latestWins.has(call.kind)) inFlight.set(call.kind, id);
		try {
			target.postMessage({ id, kind: call.kind, payload: call.payload }, call.options.transfer);
		} catch (error) {
			// A payload the structured clone refuses (a Svelte proxy, a function).
			sent.delete(id);
			if (inFlight.get(call.kind) === id) inFlight.delete(call.kind);
			call.settle({
				status: 'failed',
				message: `Demande au calcul ${options.label} impossible à transmettre (${error instanceof Error ? error.message : String(error)}).`
			});
		}
	};

	const receive = (data: RpcResponse) => {
		const call = sent.get(data.id);
		if (!call) return;
		if ('progress' in data) {
			if (!call.settled) call.options.onProgress?.(data.progress);
			return;
		}
		sent.delete(data.id);
		if (!call.settled) {
			call.settle(
				data.ok
					? { status: 'done', value: data.value }
					: { status: 'failed', message: data.message }
			);
		}
		if (inFlight.get(call.kind) === data.id) {
			inFlight.delete(call.kind);
			const next = waiting.get(call.kind);
			if (next) {
				waiting.delete(call.kind);
				post(next);
			}
		}
	};

	return {
		call(kind, payload, callOptions = {}) {
			type Answer = RpcOutcome<AnswerOf<H, typeof kind>>;
			return new Promise<Answer>((resolve) => {
				const call: Call = {
					kind,
					payload,
					options: callOptions,
					settle: resolve as (outcome: RpcOutcome<unknown>) => void
				};
				if (disposed) {
					resolve({ status: 'cancelled', message: `Calcul ${options.label} arrêté.` });
					return;
				}
				if (latestWins.has(kind)) {
					const older = waiting.get(kind);
					if (older) older.settle({ status: 'superseded' });
					const flying = inFlight.get(kind);
					const flyingCall = flying === undefined ? undefined : sent.get(flying);
					if (flyingCall) {
						if (!flyingCall.settled) {
							flyingCall.settled = true;
							flyingCall.settle({ status: 'superseded' });
						}
						waiting.set(kind, call);
						return;
					}
				}
				post(call);
			});
		},
		terminate() {
			stop({ status: 'cancelled', message: `Calcul ${options.label} interrompu.` });
		},
		dispose() {
			disposed = true;
			stop({ status: 'cancelled', message: `Calcul ${options.label} arrêté.` });
		},
		get running() {
			return worker !== null;
		}
	};
}

/** What `serve` needs of the worker's global scope. */
export interface RpcScope {
	postMessage(message: RpcResponse, transfer?: Transferable[]): void;
	addEventListener(type: 'message', listener: (event: { data: RpcRequest }) => void): void;
}

/**
 * Answer one request with `handlers`; never throws (a failure is posted as a French message).
 * Exported for the tests; a worker calls `serve`.
 */
export async function answerRequest(
	handlers: RpcHandlers,
	request: RpcRequest,
	post: (response: RpcResponse, transfer?: Transferable[]) => void
): Promise<void> {
	const { id, kind } = request;
	const handler = Object.hasOwn(handlers, kind) ? handlers[kind] : undefined;
	if (!handler) {
		post({ id, ok: false, message: `Demande inconnue du calcul : « ${kind} ».` });
		return;
	}
	let transfer: Transferable[] = [];
	const context: RpcContext = {
		progress: (fraction) => post({ id, progress: fraction }),
		transfer: (...list) => {
			transfer = list;
		}
	};
	let value: unknown;
	try {
		value = await handler(request.payload as never, context);
	} catch (error) {
		post({
			id,
			ok: false,
			message:
				error instanceof Error ? error.message : `Erreur inattendue du calcul (${String(error)}).`
		});
		return;
	}
	try {
		post({ id, ok: true, value }, transfer);
	} catch (error) {
		post({
			id,
			ok: false,
			message: `Réponse du calcul impossible à transmettre (${error instanceof Error ? error.message : String(error)}).`
		});
	}
}

/**
 * The worker's side: answer every request with `handlers`, in the order received (a handler that
 * awaits lets the next request start).
 * @example serve({ rank: (view: RankingView) => rankView(context, view) });
 */
export function serve(
	handlers: RpcHandlers,
	scope: RpcScope = globalThis as unknown as RpcScope
): void {
	scope.addEventListener('message', (event) => {
		void answerRequest(handlers, event.data, (response, transfer) =>
			scope.postMessage(response, transfer ?? [])
		);
	});
}
