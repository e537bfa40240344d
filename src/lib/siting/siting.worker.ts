/**
 * The Web Worker of the simulation panel: loads the data once, runs `runSimulation` /
 * `evaluateSimulation` off the main thread and posts progress and outcomes (protocol and logic in
 * `worker-protocol.ts`). Created by `run-in-worker.ts` through Vite's `?worker` import.
 */
import loadHighs from 'highs';
// The solver's WebAssembly, emitted by our own build (no CDN, works offline).
import highsWasmUrl from 'highs/runtime?url';
import type { MilpSolver } from './exact';
import {
	handleWorkerMessage,
	type SitingWorkerRequest,
	type SitingWorkerResponse,
	type WorkerState
} from './worker-protocol';

/** The parts of the worker global scope used here (the project's TS lib is `dom`, not `webworker`). */
interface WorkerScope {
	postMessage(message: SitingWorkerResponse): void;
	addEventListener(
		type: 'message',
		listener: (event: MessageEvent<SitingWorkerRequest>) => void
	): void;
}

const scope = globalThis as unknown as WorkerScope;
const state: WorkerState = {
	solver: loadHighs({ locateFile: () => highsWasmUrl })
		.then((highs) => highs as unknown as MilpSolver)
		.catch((error: unknown) => {
			console.warn('Solveur exact indisponible :', error);
			return null;
		})
};

// Messages are handled in order; a run blocks this worker's thread until it ends (the main thread
// cancels by terminating the worker, see run-in-worker.ts).
scope.addEventListener('message', (event) => {
	void handleWorkerMessage(state, event.data, (response) => scope.postMessage(response), fetch);
});
