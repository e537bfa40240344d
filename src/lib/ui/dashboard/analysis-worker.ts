/**
 * The page's analysis client with the real Web Worker, and what the browser tests and the bench
 * count: each worker started and stopped leaves a `performance` mark (one live worker per page,
 * also after a fiche link and back), and `<html data-needs-model-runs>` holds the worker's count
 * of needs-model runs (one per page load).
 */
import { createAnalysisClient, type AnalysisClient } from '$lib/workers/analysis/client';
import type { RpcWorker } from '$lib/workers/rpc';
import AnalysisWorker from '$lib/workers/analysis/analysis.worker?worker';

/** Marks set when the page starts and stops an analysis worker. */
export const ANALYSIS_WORKER_MARKS = {
	started: 'atlas:analysis-worker-started',
	stopped: 'atlas:analysis-worker-stopped'
} as const;

/**
 * Create the page's analysis client (the worker starts on its first request).
 * @param dataUrl URL prefix of the artifacts, with the app's base path
 */
export function startAnalysisClient(dataUrl: string): AnalysisClient {
	return createAnalysisClient({
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
		onModelRuns: (runs) => {
			document.documentElement.dataset.needsModelRuns = String(runs);
		}
	});
}
