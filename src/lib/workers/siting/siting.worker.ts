/**
 * The Web Worker of the simulation panel: loads the data once, runs `runSimulation` /
 * `evaluateSimulation` off the main thread and reports progress and outcomes (handlers in
 * `handler.ts`, over `workers/rpc.ts`). Created by the simulation state through Vite's `?worker`
 * import and driven by `client.ts`.
 */
import loadHighs from 'highs';
// The solver's WebAssembly, emitted by our own build (no CDN, works offline).
import highsWasmUrl from 'highs/runtime?url';
import type { MilpSolver } from '$lib/siting/exact';
import { serve } from '../rpc';
import { createSitingHandlers } from './handler';

// Requests are handled in order; a run blocks this worker's thread until it ends (the page
// cancels by terminating the worker, see client.ts).
serve(
	createSitingHandlers(fetch, {
		solver: loadHighs({ locateFile: () => highsWasmUrl })
			.then((highs) => highs as unknown as MilpSolver)
			.catch((error: unknown) => {
				console.warn('Solveur exact indisponible :', error);
				return null;
			})
	})
);
