/**
 * A stand-in Web Worker for the unit tests: it serves `handlers` in-process through the same
 * `answerRequest` as `serve`, and clones every message both ways as postMessage does.
 */
import { answerRequest, type RpcHandlers, type RpcRequest, type RpcWorker } from '$lib/workers/rpc';

export interface InMemoryWorker extends RpcWorker {
	/** The requests received, in order (clones). */
	received: RpcRequest[];
	terminated: boolean;
}

export function inMemoryWorker(handlers: RpcHandlers): InMemoryWorker {
	const listeners: ((event: never) => void)[] = [];
	const worker: InMemoryWorker = {
		received: [],
		terminated: false,
		postMessage(message) {
			const request = structuredClone(message);
			worker.received.push(request);
			void answerRequest(handlers, request, (response) => {
				if (worker.terminated) return;
				const data = structuredClone(response);
				listeners.forEach((listener) => listener({ data } as never));
			});
		},
		addEventListener(type: string, listener: (event: never) => void) {
			if (type === 'message') listeners.push(listener);
		},
		terminate() {
			worker.terminated = true;
		}
	};
	return worker;
}
