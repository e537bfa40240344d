/**
 * The worker module of the server's one task pool (`server-tasks.ts`), and its task registry: one
 * handler per task name (simulations, XLSX workbooks, large ranking answers). Each worker loads the
 * data and builds the siting index once, as soon as it starts. The module is imported on the main
 * thread too, only to learn its own URL (`serverTasksEntry`): that dynamic import is what makes the
 * build emit it as its own chunk, wherever the bundler puts it (`vite dev`, vitest,
 * `node build/index.js`), so no path is hard-coded.
 */
import { isMainThread } from 'node:worker_threads';
import loadHighs from 'highs';
import type { MilpSolver } from '$lib/siting/exact';
import type { TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import { loadServerAnalysis } from './analysis';
import { serveWorkerTasks } from './worker-pool';
import { writePlainXlsx, type XlsxPlainTable, type XlsxProvenance } from '../export/xlsx';
import {
	buildSitingDataset,
	createSitingContext,
	runSimulation,
	type SimulationOutcome,
	type SitingContext
} from '$lib/siting/scenario';
import type { SimulationRequest } from '$lib/siting/scenario-request';

/** URL of this module, for `new Worker`. */
export const serverTasksEntry = import.meta.url;

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

/** The task registry: payloads and results of the tasks (structured clones). */
export interface ServerTasks {
	simulate: { payload: SimulationRequest; result: SimulationOutcome };
	/** A workbook from evaluated cells (exceljs holds no data: it needs none of the worker's). */
	xlsx: {
		payload: { table: XlsxPlainTable; provenance: XlsxProvenance };
		result: Uint8Array<ArrayBuffer>;
	};
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
			),
		xlsx: ({ table, provenance }: ServerTasks['xlsx']['payload']) =>
			writePlainXlsx(table, provenance)
	});
}
