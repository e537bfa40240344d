/**
 * The Web Worker of the ranking tab: loads the data and runs the analysis once, then ranks each
 * view it is asked for (protocol and logic in `workers/analysis/ranking-handler.ts`). Created by
 * `ranking-client.ts` through Vite's `?worker` import.
 */
import {
	handleRankingMessage,
	type RankingWorkerRequest,
	type RankingWorkerResponse,
	type RankingWorkerState
} from '$lib/workers/analysis/ranking-handler';

/** The parts of the worker global scope used here (the project's TS lib is `dom`, not `webworker`). */
interface WorkerScope {
	postMessage(message: RankingWorkerResponse, transfer?: Transferable[]): void;
	addEventListener(
		type: 'message',
		listener: (event: MessageEvent<RankingWorkerRequest>) => void
	): void;
}

const scope = globalThis as unknown as WorkerScope;
const state: RankingWorkerState = {};

scope.addEventListener('message', (event) => {
	void handleRankingMessage(
		state,
		event.data,
		(response, transfer) => scope.postMessage(response, transfer ?? []),
		fetch
	);
});
