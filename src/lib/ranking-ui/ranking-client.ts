/**
 * The main thread's side of the ranking worker. At most one request is in flight: while the worker
 * ranks, newer requests replace each other and only the newest is sent when it answers. A slider
 * dragged across its range thus costs one ranking per worker round trip (a few ms each), never a
 * queue of stale rankings.
 */
import type {
	RankedPage,
	RankingView,
	RankingWorkerRequest,
	RankingWorkerResponse,
	TerritoryAccess
} from '$lib/workers/analysis/ranking-handler';
import type { RankingFile, RankingFileRequest } from '$lib/workers/analysis/ranking-download';
import type { RankingScenario } from '$lib/ranking/with-scenario';
import type { Level } from '$lib/territory/commune';
import RankingWorker from './ranking.worker?worker';

/** What the client needs of a Worker (a real one, or a stand-in in the tests). */
export interface RankingWorkerLike {
	postMessage(message: RankingWorkerRequest): void;
	addEventListener(
		type: 'message',
		listener: (event: { data: RankingWorkerResponse }) => void
	): void;
	addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
	terminate(): void;
}

export type RankOutcome =
	| { status: 'ranked'; result: RankedPage }
	/** A newer request replaced this one before it was sent. */
	| { status: 'superseded' }
	| { status: 'failed'; message: string };

export type AccessOutcome =
	{ status: 'computed'; access: TerritoryAccess | null } | { status: 'failed'; message: string };

export type ExportOutcome =
	{ status: 'exported'; file: RankingFile } | { status: 'failed'; message: string };

export interface RankingClient {
	/**
	 * Rank a view; `withCodes` asks for the level's code list (once per level); with a scenario, the
	 * ranking includes its places.
	 */
	rank(
		view: RankingView,
		withCodes: boolean,
		scenario?: RankingScenario | null
	): Promise<RankOutcome>;
	/**
	 * Write the whole ranking of a view counted with a scenario (CSV, GeoJSON or metadata), from
	 * the worker's table. Downloads are never coalesced: each one asked for is answered.
	 */
	exportFile(
		view: RankingView,
		scenario: RankingScenario,
		request: RankingFileRequest
	): Promise<ExportOutcome>;
	/** The accessibility of one territory with a scenario's places and without. */
	territoryAccess(
		territory: { level: Level; code: string },
		scenario: RankingScenario
	): Promise<AccessOutcome>;
	dispose(): void;
}

export interface RankingClientOptions {
	/** URL prefix of the artifacts, e.g. `/data/`. */
	dataUrl: string;
	createWorker?: () => RankingWorkerLike;
}

interface Waiting {
	view: RankingView;
	withCodes: boolean;
	scenario: RankingScenario | null;
	resolve: (outcome: RankOutcome) => void;
}

/** A JSON copy: `$state` proxies cannot be cloned by postMessage. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Start the worker (it begins loading the data at once) and return the client.
 * @example const client = createRankingClient({ dataUrl: '/data/' }); await client.rank(view, true)
 */
export function createRankingClient(options: RankingClientOptions): RankingClient {
	const worker = options.createWorker?.() ?? (new RankingWorker() as unknown as RankingWorkerLike);
	let nextId = 1;
	let inFlight: { id: number; resolve: (outcome: RankOutcome) => void } | null = null;
	let waiting: Waiting | null = null;
	let failure: string | null = null;
	/** Downloads and accessibility requests in flight, by request id (never coalesced). */
	const calls = new Map<number, (answer: RankingWorkerResponse) => void>();
	/** Send one such request; its answer (or failure) resolves it. */
	const call = <T>(
		message: (id: number) => RankingWorkerRequest,
		read: (answer: RankingWorkerResponse) => T,
		failed: (message: string) => T
	): Promise<T> =>
		new Promise<T>((resolve) => {
			if (failure !== null) {
				resolve(failed(failure));
				return;
			}
			const id = nextId++;
			calls.set(id, (answer) =>
				resolve(answer.type === 'failure' ? failed(answer.message) : read(answer))
			);
			worker.postMessage(message(id));
		});

	const send = (job: Waiting) => {
		const id = nextId++;
		inFlight = { id, resolve: job.resolve };
		// A JSON copy: the view may hold Svelte `$state` proxies, which postMessage cannot clone.
		const view = JSON.parse(JSON.stringify(job.view)) as RankingView;
		const scenario = job.scenario
			? (JSON.parse(JSON.stringify(job.scenario)) as RankingScenario)
			: null;
		worker.postMessage({ type: 'rank', id, view, withCodes: job.withCodes, scenario });
	};

	const settle = (outcome: RankOutcome) => {
		const current = inFlight;
		inFlight = null;
		current?.resolve(outcome);
		if (waiting) {
			const next = waiting;
			waiting = null;
			send(next);
		}
	};

	const settleCalls = (message: string) => {
		for (const settleCall of calls.values()) settleCall({ type: 'failure', id: null, message });
		calls.clear();
	};

	worker.addEventListener('message', ({ data }) => {
		const id = data.type === 'ready' ? null : data.id;
		const pending = id === null ? undefined : calls.get(id);
		if (pending) {
			calls.delete(id!);
			pending(data);
			return;
		}
		if (data.type === 'ranked' && data.id === inFlight?.id)
			settle({ status: 'ranked', result: data.result });
		else if (data.type === 'failure') {
			if (data.id === null) {
				failure = data.message;
				settleCalls(data.message);
			}
			if (data.id === null || data.id === inFlight?.id) {
				settle({ status: 'failed', message: data.message });
			}
		}
	});
	worker.addEventListener('error', (event) => {
		failure = `Le calcul du classement s’est arrêté sur une erreur${event.message ? ` : ${event.message}` : ''}.`;
		settle({ status: 'failed', message: failure });
		settleCalls(failure);
	});
	worker.postMessage({ type: 'init', dataUrl: options.dataUrl });

	return {
		rank(view, withCodes, scenario = null) {
			return new Promise<RankOutcome>((resolve) => {
				if (failure !== null) {
					resolve({ status: 'failed', message: failure });
					return;
				}
				const job: Waiting = { view, withCodes, scenario, resolve };
				if (inFlight === null) send(job);
				else {
					// Keep the code list request of a replaced job.
					if (waiting) {
						job.withCodes ||= waiting.withCodes && waiting.view.level === view.level;
						waiting.resolve({ status: 'superseded' });
					}
					waiting = job;
				}
			});
		},
		exportFile(view, scenario, request) {
			return call<ExportOutcome>(
				(id) => ({
					type: 'export',
					id,
					view: copy(view),
					scenario: copy(scenario),
					request: copy(request)
				}),
				(answer) =>
					answer.type === 'exported'
						? { status: 'exported', file: answer.file }
						: { status: 'failed', message: 'Réponse inattendue du calcul.' },
				(message) => ({ status: 'failed', message })
			);
		},
		territoryAccess(territory, scenario) {
			return call<AccessOutcome>(
				(id) => ({ type: 'access', id, territory: copy(territory), scenario: copy(scenario) }),
				(answer) =>
					answer.type === 'accessed'
						? { status: 'computed', access: answer.access }
						: { status: 'failed', message: 'Réponse inattendue du calcul.' },
				(message) => ({ status: 'failed', message })
			);
		},
		dispose() {
			worker.terminate();
			settleCalls('Calcul interrompu.');
			waiting?.resolve({ status: 'superseded' });
			waiting = null;
			inFlight?.resolve({ status: 'superseded' });
			inFlight = null;
		}
	};
}
