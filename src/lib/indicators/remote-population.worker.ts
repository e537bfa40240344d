/**
 * The Web Worker of the map layer « Personnes éloignées du numérique (estimation) »: fetches the
 * commune table, estimates every commune once (1–2 s) and aggregates to the level asked for, off
 * the main thread. Logic in `remote-layer-protocol.ts`; created by `remote-layer-client.ts`.
 */
import {
	handleRemoteLayerRequest,
	type RemoteLayerRequest,
	type RemoteLayerResponse,
	type RemoteWorkerState
} from './remote-layer-protocol';

/** The parts of the worker global scope used here (the project's TS lib is `dom`, not `webworker`). */
interface WorkerScope {
	postMessage(message: RemoteLayerResponse): void;
	addEventListener(
		type: 'message',
		listener: (event: MessageEvent<RemoteLayerRequest>) => void
	): void;
}

const scope = globalThis as unknown as WorkerScope;
const state: RemoteWorkerState = {};

scope.addEventListener('message', (event) => {
	void handleRemoteLayerRequest(state, event.data, fetch).then((response) =>
		scope.postMessage(response)
	);
});
