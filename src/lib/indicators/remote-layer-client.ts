/**
 * The page's side of the estimate worker: one worker for the page, started on the first request,
 * and one request per level (a level asked for again gets the same promise).
 */
import type { Level } from '../territory/commune';
import type { RemoteLayerLevel } from './remote-layer';
import type { RemoteLayerRequest, RemoteLayerResponse } from './remote-layer-protocol';
import RemotePopulationWorker from './remote-population.worker?worker';

/** What the client needs of a Worker (a real one, or a stand-in in the tests). */
export interface RemoteWorkerLike {
	postMessage(message: RemoteLayerRequest): void;
	addEventListener(type: 'message', listener: (event: { data: RemoteLayerResponse }) => void): void;
	addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
	terminate(): void;
}

export interface RemoteLayerClient {
	/** The layer at `level`; rejects with a French message when the worker fails. */
	layerAt(level: Level): Promise<RemoteLayerLevel>;
	/** Stop the worker (pending requests are rejected). */
	dispose(): void;
}

export interface RemoteLayerClientOptions {
	communesUrl: string;
	territoriesUrl: string;
	/** Start a worker (default: the Vite-bundled `remote-population.worker.ts`). */
	createWorker?: () => RemoteWorkerLike;
}

/**
 * Create the client; nothing starts until the first `layerAt`.
 * @example const client = createRemoteLayerClient({ communesUrl, territoriesUrl }); await client.layerAt('departement')
 */
export function createRemoteLayerClient(options: RemoteLayerClientOptions): RemoteLayerClient {
	const createWorker =
		options.createWorker ?? (() => new RemotePopulationWorker() as unknown as RemoteWorkerLike);
	const client: {
		worker: RemoteWorkerLike | null;
		nextId: number;
		byLevel: Map<Level, Promise<RemoteLayerLevel>>;
		pending: Map<
			number,
			{ level: Level; resolve: (l: RemoteLayerLevel) => void; reject: (e: Error) => void }
		>;
	} = { worker: null, nextId: 1, byLevel: new Map(), pending: new Map() };

	const failAll = (message: string) => {
		for (const p of client.pending.values()) p.reject(new Error(message));
		client.pending.clear();
		// Let a later request try again with a fresh worker.
		client.byLevel.clear();
		client.worker?.terminate();
		client.worker = null;
	};

	const start = (): RemoteWorkerLike => {
		const worker = createWorker();
		worker.addEventListener('message', (event) => {
			const response = event.data;
			const pending = client.pending.get(response.id);
			if (!pending) return;
			client.pending.delete(response.id);
			if (response.ok) pending.resolve(response.layer);
			else {
				// A failed level is asked again next time rather than failing for the page's life.
				client.byLevel.delete(pending.level);
				pending.reject(new Error(response.message));
			}
		});
		worker.addEventListener('error', (event) =>
			failAll(`Le calcul de l’estimation a échoué (${event.message ?? 'erreur du worker'}).`)
		);
		return worker;
	};

	return {
		layerAt(level) {
			let promise = client.byLevel.get(level);
			if (!promise) {
				client.worker ??= start();
				const id = client.nextId++;
				const worker = client.worker;
				promise = new Promise<RemoteLayerLevel>((resolve, reject) => {
					client.pending.set(id, { level, resolve, reject });
					worker.postMessage({
						id,
						level,
						communesUrl: options.communesUrl,
						territoriesUrl: options.territoriesUrl
					});
				});
				client.byLevel.set(level, promise);
			}
			return promise;
		},
		dispose() {
			failAll('Calcul de l’estimation interrompu.');
		}
	};
}
