/**
 * The worker module of the server's one task pool (`server-tasks.ts`), and its task registry: one
 * handler per task name (simulations, XLSX workbooks, large ranking and estimations answers). Each
 * worker loads the data and builds the siting index once, as soon as it starts. The module is
 * imported on the main thread too, only to learn its own URL (`serverTasksEntry`): that dynamic
 * import is what makes the build emit it as its own chunk, wherever the bundler puts it
 * (`vite dev`, vitest, `node build/index.js`), so no path is hard-coded.
 */
import { isMainThread } from 'node:worker_threads';
import loadHighs from 'highs';
import type { MilpSolver } from '$lib/siting/exact';
import type { TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import { loadServerAnalysis } from './analysis';
import { serveWorkerTasks, transferring } from './worker-pool';
import { materialise, type CachedAnswer } from './response-cache';
import { nationalBasis, rankingAnswer, savedScenarioBasis } from './ranking-answer';
import type { RankingQuery } from '$lib/ranking/query';
import { estimationsAnswer } from './estimations-answer';
import { ficheData, warmFiches, type FicheTaskPayload, type FicheTaskResult } from './fiche-data';
import type { TerritoryQuery } from './query-params';
import type { StoredScenario } from '$lib/scenarios/saved-scenario';
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
	/** Answers once this worker has loaded its data (the server listens only after every worker has). */
	warm: { payload: null; result: void };
	simulate: { payload: SimulationRequest; result: SimulationOutcome };
	/** A workbook from evaluated cells (exceljs holds no data: it needs none of the worker's). */
	xlsx: {
		payload: { table: XlsxPlainTable; provenance: XlsxProvenance };
		result: Uint8Array<ArrayBuffer>;
	};
	/**
	 * A large answer of `GET /api/classement` (`isHeavyRankingQuery`), materialised here (body,
	 * brotli, gzip, ETag) so that the request thread only stores it and sends its bytes.
	 * `scenario`: the saved scenario the query names, read from the store by the request thread.
	 */
	classement: {
		payload: { query: RankingQuery; scenario: StoredScenario | null };
		result: CachedAnswer;
	};
	/** A large answer of `GET /api/estimations` (`isHeavyEstimationsQuery`), materialised here. */
	estimations: { payload: TerritoryQuery; result: CachedAnswer };
	/** The data of a fiche territoire (its page, or its report for the downloads). */
	fiche: { payload: FicheTaskPayload; result: FicheTaskResult };
}

/**
 * An answer materialised here (body, brotli, gzip, ETag) with the time spent building and encoding
 * it, its buffers moved to the request thread.
 * @param started when the task began (`performance.now()`)
 */
async function materialisedAnswer(started: number, response: Response) {
	const computed = performance.now();
	const answer = await materialise(response);
	answer.timing = {
		where: 'pool',
		computeMs: computed - started,
		encodeMs: performance.now() - computed
	};
	return transferring(answer, [answer.identity, answer.br, answer.gzip]);
}

async function rankingTask({ query, scenario }: ServerTasks['classement']['payload']) {
	const started = performance.now();
	const national = await loadServerAnalysis();
	const basis = scenario ? savedScenarioBasis(national, scenario) : nationalBasis(national);
	return materialisedAnswer(
		started,
		await rankingAnswer(query, basis, national.dataset.communeByCode)
	);
}

async function estimationsTask(query: ServerTasks['estimations']['payload']) {
	const started = performance.now();
	const { dataset } = await loadServerAnalysis();
	return materialisedAnswer(started, await estimationsAnswer(query, dataset));
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

/**
 * Load the data, build the siting index, prepare the rankings and the fiches, once, as soon as the
 * worker starts (not on the first task); the `warm` task answers when it is done.
 */
function warmWorker(): Promise<void> {
	const warming = sitingContext()
		.then(() => loadServerAnalysis())
		.then(({ analysis }) => {
			for (const level of ['commune', 'epci', 'departement', 'region'] as const) {
				analysis.preparedAt(level);
			}
		})
		.then(warmFiches);
	return Promise.all([warming, loadSolver()]).then(() => undefined);
}

if (!isMainThread) {
	const warm = warmWorker();
	warm.catch((error) => console.error('Préchargement du calcul impossible :', error));
	serveWorkerTasks({
		warm: () => warm,
		simulate: async ({ params, edits, detailCommunes }: SimulationRequest) =>
			runSimulation(
				await sitingContext(),
				params,
				edits,
				{},
				{ detailCommunes, solver: (await loadSolver()) ?? undefined }
			),
		xlsx: async ({ table, provenance }: ServerTasks['xlsx']['payload']) => {
			const bytes = await writePlainXlsx(table, provenance);
			return transferring(bytes, [bytes]);
		},
		classement: rankingTask,
		estimations: estimationsTask,
		fiche: ficheData
	});
}
