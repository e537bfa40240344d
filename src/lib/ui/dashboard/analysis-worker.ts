/**
 * The page's analysis client with the real Web Worker, and what the browser tests and the bench
 * count: each worker started and stopped leaves a `performance` mark (one live worker per page,
 * also after a fiche link and back), and `<html data-needs-model-runs>` holds the needs-model runs
 * of the page's workers, the analysis worker's and the siting workers' (one per page load: the
 * siting workers get their dataset from the analysis worker).
 */
import { createAnalysisClient, type AnalysisClient } from '$lib/workers/analysis/client';
import type { RpcWorker } from '$lib/workers/rpc';
import AnalysisWorker from '$lib/workers/analysis/analysis.worker?worker';

/** Marks set when the page starts and stops an analysis worker. */
export const ANALYSIS_WORKER_MARKS = {
	started: 'atlas:analysis-worker-started',
	stopped: 'atlas:analysis-worker-stopped'
} as const;

/** The page's analysis client, which also counts the siting workers' model runs. */
export interface PageAnalysisClient extends AnalysisClient {
	/** The siting workers' needs-model runs so far, in all (`SitingRunnerOptions.onModelRuns`). */
	countSitingModelRuns(runs: number): void;
}

/**
 * Create the page's analysis client (the worker starts on its first request).
 * @param dataUrl URL prefix of the artifacts, with the app's base path
 */
export function startAnalysisClient(dataUrl: string): PageAnalysisClient {
	// This page's runs by worker; the attribute holds their sum.
	const runs = { analysis: 0, siting: 0 };
	const show = () => {
		document.documentElement.dataset.needsModelRuns = String(runs.analysis + runs.siting);
	};
	const client = createAnalysisClient({
		dataUrl,
		createWorker: () => {
			const worker = new AnalysisWorker();
			performance.mark(ANALYSIS_WORKER_MARKS.started);
			return {
				postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
				addEventListener: (type: string, listener: (event: never) => void) =>
					worker.addEventListener(type, listener as unknown as EventListener),
				terminate: () => {
					worker.terminate();
					performance.mark(ANALYSIS_WORKER_MARKS.stopped);
				}
			} satisfies RpcWorker;
		},
		onModelRuns: (count) => {
			runs.analysis = count;
			show();
		}
	});
	return {
		...client,
		countSitingModelRuns(count) {
			runs.siting = count;
			show();
		}
	};
}
