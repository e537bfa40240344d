/**
 * Run simulations in a Web Worker so the map and the panel stay responsive. One run at a time: a
 * new request supersedes the one in flight, whose promise then resolves `{ status: 'cancelled' }`.
 * A run cannot be interrupted from outside while it computes (the worker's thread is busy and
 * SharedArrayBuffer needs cross-origin isolation we do not have), so a busy worker is terminated
 * (`workers/rpc.ts`: cancel by terminate) and a new one started. Each worker gets its dataset
 * from the page's analysis worker over a new `MessageChannel` (`connectAnalysis`, see
 * `dataset-port.ts`), or, without one, from the first worker, which read it itself (`handler.ts`).
 */
import type {
	ScenarioEdits,
	ScenarioParams,
	SimulationOutcome,
	SitingDataset
} from '$lib/siting/scenario';
import type { ImportedSupplySummary } from '$lib/places-import/imported-supply';
import { createRpcClient, type RpcWorker } from '../rpc';
import type { ImportedPlaces, SitingHandlers, SitingPlaces, SitingRun } from './handler';

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
	/** Start a worker (the page passes the Vite-bundled `siting.worker.ts`; tests a stand-in). */
	createWorker: () => RpcWorker;
	/**
	 * Hand `port` to the page's analysis worker, which posts the dataset on it for the siting
	 * worker holding the other end; resolves null once sent, else a French message. Absent: the
	 * first worker reads the artifacts itself.
	 */
	connectAnalysis?: (port: MessagePort) => Promise<string | null>;
	/** Told the dataset once, when the first worker has read it itself. */
	onDataset?: (dataset: SitingDataset) => void;
	/** Told the existing places once, when the first worker has its dataset (the page draws them). */
	onPlaces?: (places: SitingPlaces) => void;
	/** Told the needs-model runs of this runner's workers, in all, after each worker's load. */
	onModelRuns?: (runs: number) => void;
}

const CANCELLED: RunOutcome = { status: 'cancelled', message: 'Simulation annulée.' };

/**
 * Create a runner. The worker starts on the first request and loads the data then.
 * @example const runner = createSitingRunner({ dataUrl: `${base}/data/`, createWorker }); await runner.propose(params, edits, setProgress)
 */
export function createSitingRunner(options: SitingRunnerOptions): SitingRunner {
	const rpc = createRpcClient<SitingHandlers>({
		createWorker: options.createWorker,
		label: 'de la simulation'
	});
	const runner: {
		/** The current worker has its data (a run in flight is computing, not waiting). */
		ready: boolean;
		dataset: SitingDataset | undefined;
		pending: { seq: number; resolve: (outcome: RunOutcome) => void } | null;
		seq: number;
		/** Workers started (a load's answer or failure is for the newest only). */
		workers: number;
		/** `onPlaces` was told. */
		placesTold: boolean;
		/** Needs-model runs of the workers so far (each answers its own count once, with its load). */
		modelRuns: number;
	} = {
		ready: false,
		dataset: undefined,
		pending: null,
		seq: 0,
		workers: 0,
		placesTold: false,
		modelRuns: 0
	};

	const settle = (seq: number, outcome: RunOutcome) => {
		const pending = runner.pending;
		if (pending?.seq !== seq) return;
		runner.pending = null;
		pending.resolve(outcome);
	};

	const stop = () => {
		runner.ready = false;
		rpc.terminate();
	};

	/** A new worker's data could not come: its pending run fails, the next request starts anew. */
	const failLoad = (worker: number, message: string) => {
		if (worker !== runner.workers || runner.ready) return;
		if (runner.pending) settle(runner.pending.seq, { status: 'failed', message });
		stop();
	};

	/**
	 * A new worker loads the data first: from the analysis worker over a new channel, else the
	 * dataset of a previous worker when there is one, else the artifacts.
	 */
	const ensureLoaded = () => {
		if (rpc.running) return;
		runner.ready = false;
		const worker = ++runner.workers;
		const places = !runner.placesTold;
		let loading;
		if (options.connectAnalysis && !runner.dataset) {
			const channel = new MessageChannel();
			loading = rpc.call(
				'load',
				{ dataUrl: options.dataUrl, analysis: channel.port2, places },
				{ transfer: [channel.port2] }
			);
			void options.connectAnalysis(channel.port1).then((failure) => {
				if (failure) failLoad(worker, failure);
			});
		} else {
			loading = rpc.call('load', { dataUrl: options.dataUrl, dataset: runner.dataset, places });
		}
		void loading.then((loaded) => {
			if (loaded.status !== 'done' || worker !== runner.workers) return;
			runner.ready = true;
			const { dataset, places: told, modelRuns } = loaded.value;
			if (dataset && !runner.dataset) {
				runner.dataset = dataset;
				options.onDataset?.(dataset);
			}
			if (told && !runner.placesTold) {
				runner.placesTold = true;
				options.onPlaces?.(told);
			}
			runner.modelRuns += modelRuns;
			options.onModelRuns?.(runner.modelRuns);
		});
	};

	const request = (
		mode: SitingRun['mode'],
		params: ScenarioParams,
		edits: ScenarioEdits,
		onProgress?: (fraction: number) => void,
		imported?: ImportedPlaces | null
	): Promise<RunOutcome> => {
		if (runner.pending) {
			settle(runner.pending.seq, CANCELLED);
			// A worker still loading is waiting, not computing: it will skip the superseded run.
			if (runner.ready) stop();
		}
		ensureLoaded();
		const seq = ++runner.seq;
		// A JSON copy: the values may be Svelte `$state` proxies, which postMessage cannot clone.
		const plain = JSON.parse(JSON.stringify({ params, edits })) as {
			params: ScenarioParams;
			edits: ScenarioEdits;
		};
		const run: SitingRun = {
			mode,
			seq,
			...plain,
			// Imported places are plain `$state.raw` objects: cloned as they are.
			imported:
				imported && imported.places.length > 0
					? { key: imported.key, places: [...imported.places] }
					: undefined
		};
		return new Promise<RunOutcome>((resolve) => {
			runner.pending = { seq, resolve };
			void rpc
				.call('run', run, {
					onProgress: (fraction) => {
						if (runner.pending?.seq === seq) onProgress?.(fraction);
					}
				})
				.then((answer) => {
					if (answer.status === 'done') {
						const { outcome, imported: summary } = answer.value;
						settle(seq, summary ? { ...outcome, imported: summary } : outcome);
					} else if (answer.status === 'failed') {
						settle(seq, { status: 'failed', message: answer.message });
						// A failed load leaves the worker useless: drop it so the next request retries.
						if (!runner.ready) stop();
					} else settle(seq, CANCELLED);
				});
		});
	};

	return {
		propose: (params, edits, onProgress, imported) =>
			request('propose', params, edits, onProgress, imported),
		evaluate: (params, edits, imported) => request('evaluate', params, edits, undefined, imported),
		cancel() {
			if (!runner.pending) return;
			settle(runner.pending.seq, CANCELLED);
			if (runner.ready) stop();
		},
		dispose() {
			if (runner.pending) settle(runner.pending.seq, CANCELLED);
			stop();
		}
	};
}
