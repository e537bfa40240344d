/**
 * The worker module of the server's heavy-task pool (`heavy-tasks.ts`): one handler per task name.
 * It is imported on the main thread too, only to learn its own URL (`heavyTasksEntry`): that
 * dynamic import is what makes the build emit it as its own chunk, wherever the bundler puts it
 * (`vite dev`, vitest, `node build/index.js`), so no path is hard-coded.
 */
import { isMainThread } from 'node:worker_threads';
import loadHighs from 'highs';
import type { MilpSolver } from '$lib/siting/exact';
import type { TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import { loadServerAnalysis } from './analysis';
import { serveWorkerTasks } from './worker-pool';
import {
	buildSitingDataset,
	createSitingContext,
	runSimulation,
	type SimulationOutcome,
	type SitingContext
} from '$lib/siting/scenario';
import type { SimulationRequest } from '$lib/siting/scenario-request';

/** URL of this module, for `new Worker`. */
export const heavyTasksEntry = import.meta.url;

/** One siting context per loaded analysis (a worker loads it once). */
const contexts = new WeakMap<TerritoryAnalysis, SitingContext>();

async function sitingContext(): Promise<SitingContext> {
	const { analysis } = await loadServerAnalysis();
	let context = contexts.get(analysis);
	if (!context) {
		context = createSitingContext(buildSitingDataset(analysis));
		contexts.set(analysis, context);
	}
	return context;
}

/** Payloads and results of the tasks (structured clones). */
export interface HeavyTasks {
	simulate: { payload: SimulationRequest; result: SimulationOutcome };
}

/** HiGHS, loaded once per worker (null if it fails: runs then carry their bounds only). */
const solver: { pending?: Promise<MilpSolver | null> } = {};

function loadSolver(): Promise<MilpSolver | null> {
	solver.pending ??= loadHighs()
		.then((highs) => highs as unknown as MilpSolver)
		.catch((error: unknown) => {
			console.error('Solveur exact indisponible :', error);
			return null;
		});
	return solver.pending;
}

if (!isMainThread) {
	// Load the data and build the siting index as soon as the worker starts, not on the first run.
	sitingContext().catch((error) => console.error('Préchargement du calcul impossible :', error));
	void loadSolver();
	serveWorkerTasks({
		simulate: async ({ params, edits, detailCommunes }: SimulationRequest) =>
			runSimulation(
				await sitingContext(),
				params,
				edits,
				{},
				{ detailCommunes, solver: (await loadSolver()) ?? undefined }
			)
	});
}
