/**
 * Run simulations in a Web Worker so the map and the panel stay responsive. One run at a time: a
 * new request supersedes the one in flight, whose promise then resolves `{ status: 'cancelled' }`.
 * A run cannot be interrupted from outside while it computes (the worker's thread is busy and
 * SharedArrayBuffer needs cross-origin isolation we do not have), so a busy worker is terminated
 * (`workers/rpc.ts`: cancel by terminate) and a new one started with the dataset the first worker
 * sent back (see `handler.ts`).
 */
import type {
	ScenarioEdits,
	ScenarioParams,
	SimulationOutcome,
	SitingDataset
} from '$lib/siting/scenario';
import type { ImportedSupplySummary } from '$lib/places-import/imported-supply';
import { createRpcClient, type RpcWorker } from '../rpc';
import type { ImportedPlaces, SitingHandlers, SitingRun } from './handler';

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
	/** Told the dataset once, when the first worker has built it (the page draws its places). */
	onDataset?: (dataset: SitingDataset) => void;
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
	} = { ready: false, dataset: undefined, pending: null, seq: 0 };

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

	/** A new worker loads the data first (the dataset of a previous worker when there is one). */
	const ensureLoaded = () => {
		if (rpc.running) return;
		runner.ready = false;
		void rpc.call('load', { dataUrl: options.dataUrl, dataset: runner.dataset }).then((loaded) => {
			if (loaded.status !== 'done') return;
			runner.ready = true;
			if (loaded.value.dataset && !runner.dataset) {
				runner.dataset = loaded.value.dataset;
				options.onDataset?.(loaded.value.dataset);
			}
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
