/**
 * Run simulations in a Web Worker so the map and the panel stay responsive. One run at a time: a
 * new request supersedes the one in flight, whose promise then resolves `{ status: 'cancelled' }`.
 * A run cannot be interrupted from outside while it computes (the worker's thread is busy and
 * SharedArrayBuffer needs cross-origin isolation we do not have), so a busy worker is terminated
 * and a new one started with the dataset the first worker sent back (see `worker-protocol.ts`).
 */
import type { ScenarioEdits, ScenarioParams, SimulationOutcome, SitingDataset } from './scenario';
import type { ImportedPlaces, SitingWorkerRequest, SitingWorkerResponse } from './worker-protocol';
import type { ImportedSupplySummary } from '$lib/places-import/imported-supply';
import SitingWorker from './siting.worker?worker';

/** What the runner needs of a Worker (a real one, or a stand-in in the tests). */
export interface WorkerLike {
	postMessage(message: SitingWorkerRequest): void;
	addEventListener(
		type: 'message',
		listener: (event: { data: SitingWorkerResponse }) => void
	): void;
	addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
	terminate(): void;
}

/**
 * The outcome of a run, or a failure (data not loaded, worker crashed), in French. A finished run
 * says how many imported places its figures count (`imported`, null: none).
 */
export type RunOutcome =
	| (SimulationOutcome & { imported?: ImportedSupplySummary | null })
	| { status: 'failed'; message: string };

export interface SitingRunner {
	/**
	 * Propose N sites then evaluate the scenario (hand-added sites and removed places kept).
	 * @param onProgress fraction 0–1 of the run, for the progress bar
	 */
	propose(
		params: ScenarioParams,
		edits: ScenarioEdits,
		onProgress?: (fraction: number) => void,
		imported?: ImportedPlaces | null
	): Promise<RunOutcome>;
	/** Evaluate the scenario as it stands (what-if), without optimising. */
	evaluate(
		params: ScenarioParams,
		edits: ScenarioEdits,
		imported?: ImportedPlaces | null
	): Promise<RunOutcome>;
	/** Cancel the run in flight, if any (its promise resolves as cancelled). */
	cancel(): void;
	/** Terminate the worker; later calls start a new one. */
	dispose(): void;
}

export interface SitingRunnerOptions {
	/** URL prefix of the artifacts, e.g. `/data/` (with SvelteKit's `base` in front when there is one). */
	dataUrl: string;
	/** Start a worker (default: the Vite-bundled `siting.worker.ts`). */
	createWorker?: () => WorkerLike;
}

interface Pending {
	id: number;
	resolve: (outcome: RunOutcome) => void;
	onProgress?: (fraction: number) => void;
}

const CANCELLED: RunOutcome = { status: 'cancelled', message: 'Simulation annulée.' };

/**
 * Create a runner. The worker starts on the first request and loads the data then.
 * @example const runner = createSitingRunner({ dataUrl: `${base}/data/` }); await runner.propose(params, edits, setProgress)
 */
export function createSitingRunner(options: SitingRunnerOptions): SitingRunner {
	const createWorker = options.createWorker ?? (() => new SitingWorker() as unknown as WorkerLike);
	const runner: {
		worker: WorkerLike | null;
		ready: boolean;
		dataset: SitingDataset | undefined;
		pending: Pending | null;
		nextId: number;
	} = { worker: null, ready: false, dataset: undefined, pending: null, nextId: 1 };

	const settle = (id: number | null, outcome: RunOutcome) => {
		const pending = runner.pending;
		if (!pending || (id !== null && pending.id !== id)) return;
		runner.pending = null;
		pending.resolve(outcome);
	};

	const stop = () => {
		runner.worker?.terminate();
		runner.worker = null;
		runner.ready = false;
	};

	const start = (): WorkerLike => {
		const worker = createWorker();
		worker.addEventListener('message', ({ data }) => {
			if (worker !== runner.worker) return;
			switch (data.type) {
				case 'ready':
					runner.ready = true;
					runner.dataset ??= data.dataset;
					return;
				case 'progress':
					if (runner.pending?.id === data.id) runner.pending.onProgress?.(data.fraction);
					return;
				case 'outcome':
					settle(
						data.id,
						data.imported ? { ...data.outcome, imported: data.imported } : data.outcome
					);
					return;
				case 'failure':
					// A failed load leaves the worker useless: drop it so the next request retries.
					if (data.id === null) stop();
					settle(data.id, { status: 'failed', message: data.message });
					return;
			}
		});
		worker.addEventListener('error', (event) => {
			if (worker !== runner.worker) return;
			stop();
			settle(null, {
				status: 'failed',
				message: `Le calcul s’est arrêté sur une erreur${event.message ? ` : ${event.message}` : ''}.`
			});
		});
		worker.postMessage({ type: 'init', dataUrl: options.dataUrl, dataset: runner.dataset });
		runner.worker = worker;
		return worker;
	};

	const request = (
		type: 'propose' | 'evaluate',
		params: ScenarioParams,
		edits: ScenarioEdits,
		onProgress?: (fraction: number) => void,
		imported?: ImportedPlaces | null
	): Promise<RunOutcome> => {
		if (runner.pending) {
			settle(runner.pending.id, CANCELLED);
			// A worker still loading is waiting, not computing: it will skip the superseded run.
			if (runner.ready) stop();
		}
		const worker = runner.worker ?? start();
		const id = runner.nextId++;
		// A JSON copy: the values may be Svelte `$state` proxies, which postMessage cannot clone.
		const plain = JSON.parse(JSON.stringify({ params, edits })) as {
			params: ScenarioParams;
			edits: ScenarioEdits;
		};
		return new Promise<RunOutcome>((resolve) => {
			runner.pending = { id, resolve, onProgress };
			// Imported places are plain `$state.raw` objects: cloned as they are.
			worker.postMessage(
				imported && imported.places.length > 0
					? { type, id, ...plain, imported: { key: imported.key, places: [...imported.places] } }
					: { type, id, ...plain }
			);
		});
	};

	return {
		propose: (params, edits, onProgress, imported) =>
			request('propose', params, edits, onProgress, imported),
		evaluate: (params, edits, imported) => request('evaluate', params, edits, undefined, imported),
		cancel() {
			if (!runner.pending) return;
			settle(runner.pending.id, CANCELLED);
			if (runner.ready) stop();
		},
		dispose() {
			if (runner.pending) settle(runner.pending.id, CANCELLED);
			stop();
		}
	};
}
