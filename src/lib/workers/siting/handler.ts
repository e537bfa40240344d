/**
 * What the simulation's Web Worker (`siting.worker.ts`) answers over `workers/rpc.ts`, as plain
 * functions so they are tested in Node without a browser.
 *
 * Data: on the page, the worker receives the `SitingDataset` from the page's analysis worker over
 * a `MessageChannel` (`dataset-port.ts`): that worker builds it from the analysis it already has,
 * so the needs model runs once per page, and the ≈ 3 MB go from worker to worker. A cancelled run's
 * worker is terminated and its successor gets a new channel (the analysis worker keeps the
 * dataset). Without a channel (the tests, a page without analysis worker), the worker reads the
 * artifacts itself (`communes.json`, `mediateurs.geojson`, `territoires.json`), estimates the needs
 * and the accessibility, and sends the dataset back once, for its successors' `load`.
 * Each `load` answers this worker's needs-model runs, which the page counts with the others.
 */
import type { MilpSolver } from '$lib/siting/exact';
import { fetchArtifact } from '$lib/territory/artifact-fetch';
import type { Feature, Point } from 'geojson';
import { analyseTerritories } from '$lib/analysis/territory-analysis';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { ARTIFACTS, type MediatorProperties, type TerritoryIndex } from '$lib/territory/artifacts';
import {
	buildSitingDataset,
	createSitingContext,
	evaluateSimulation,
	runSimulation,
	type ScenarioEdits,
	type ScenarioParams,
	type SimulationOutcome,
	type SitingContext,
	type SitingDataset
} from '$lib/siting/scenario';
import { withImportedPlaces } from '$lib/siting/imported-places';
import { countModelRuns } from '$lib/needs/model';
import type { RpcContext } from '../rpc';
import { receiveDataset, type DatasetReceiver } from './dataset-port';
import type { ImportedPlace } from '$lib/places-import/imported-place';
import type { ImportedSupplySummary } from '$lib/places-import/imported-supply';

/** The user's imported places, with a key that names them (`importedPlacesKey`). */
export interface ImportedPlaces {
	key: string;
	places: ImportedPlace[];
}

/** A run: propose N sites then evaluate, or evaluate the scenario as it stands (what-if). */
export interface SitingRun {
	mode: 'propose' | 'evaluate';
	/** The runner's number of the run: a run still waiting for the data when a newer one arrives is skipped. */
	seq: number;
	params: ScenarioParams;
	edits: ScenarioEdits;
	/** Imported places counted as existing places (issue 12); absent: none. */
	imported?: ImportedPlaces;
}

/** The outcome of a run; `imported` says how many imported places its figures count (null: none). */
export interface SitingRunAnswer {
	outcome: SimulationOutcome;
	ms: number;
	imported: ImportedSupplySummary | null;
}

/** Smallest progress step worth a message (1 %): keeps postMessage traffic negligible. */
export const PROGRESS_STEP = 0.01;

/** Turn `/data` or `/base/data/` into a URL prefix ending with `/`. */
export function dataPrefix(dataUrl: string): string {
	return dataUrl.endsWith('/') ? dataUrl : `${dataUrl}/`;
}

/**
 * Read the artifacts the simulation needs and build its dataset (needs estimates and accessibility
 * included). Runs in the worker; `fetcher` is injectable for the tests.
 * @throws Error with a French message naming the file that failed
 */
export async function loadSitingDataset(
	fetcher: typeof fetch,
	dataUrl: string
): Promise<SitingDataset> {
	const prefix = dataPrefix(dataUrl);
	const [table, mediators, territories] = await Promise.all([
		fetchArtifact(fetcher, `${prefix}${ARTIFACTS.communes}`),
		fetchArtifact(fetcher, `${prefix}${ARTIFACTS.mediators}`),
		fetchArtifact(fetcher, `${prefix}${ARTIFACTS.territories}`)
	]);
	const features = (mediators as { features?: Feature<Point, MediatorProperties>[] } | null)
		?.features;
	if (!Array.isArray(features)) {
		throw new Error(`Le fichier ${ARTIFACTS.mediators} n’a pas le format attendu (GeoJSON).`);
	}
	const analysis = analyseTerritories({
		communes: decodeCommuneTable(table),
		mediators: features,
		territories: territories as TerritoryIndex,
		// Not used by the simulation (QPV only feed the ranking rows).
		qpv: {}
	});
	return buildSitingDataset(analysis);
}

/** The existing places the page draws and hit-tests, from the dataset. */
export type SitingPlaces = Pick<SitingDataset['places'], 'id' | 'nom' | 'type' | 'lon' | 'lat'>;

/** What a worker holds between requests. */
export interface WorkerState {
	context?: Promise<SitingContext>;
	/** The context with the last imported places counted, by their key (one kept). */
	imported?: { key: string; context: SitingContext; summary: ImportedSupplySummary };
	/** Number of the last run received (`SitingRun.seq`). */
	latest?: number;
	/** The MILP solver (HiGHS), loading; null when it could not load (runs then keep their bounds only). */
	solver?: Promise<MilpSolver | null>;
}

const errorText = (error: unknown): string =>
	error instanceof Error ? error.message : String(error);

/**
 * The handlers of the simulation worker: `load` reads the data (once per worker; `dataset`, when
 * given, spares the reading and the estimate), `run` waits for it then answers with progress and
 * one outcome. Failures are thrown as French messages (the RPC posts them).
 * @example serve(createSitingHandlers(fetch, { solver }));
 */
export function createSitingHandlers(fetcher: typeof fetch, state: WorkerState = {}) {
	return {
		/**
		 * Take the dataset: given (built by a previous worker), received from the analysis worker
		 * (`analysis`, one end of a channel), or read here. Answers it only when read here, the
		 * places when `places` is set, and this worker's needs-model runs.
		 */
		async load({
			dataUrl,
			dataset,
			analysis,
			places
		}: {
			dataUrl: string;
			dataset?: SitingDataset;
			analysis?: DatasetReceiver;
			places?: boolean;
		}): Promise<{
			dataset?: SitingDataset;
			places?: SitingPlaces;
			loadMs: number;
			modelRuns: number;
		}> {
			const started = Date.now();
			const first = !state.context;
			const read = dataset === undefined && analysis === undefined;
			if (!state.context) {
				const loading = (async () =>
					dataset ??
					(analysis
						? await receiveDataset(analysis)
						: await loadSitingDataset(fetcher, dataUrl)))();
				state.context = loading.then(createSitingContext);
			}
			const { dataset: ready } = await state.context;
			const { id, nom, type, lon, lat } = ready.places;
			return {
				dataset: first && read ? ready : undefined,
				places: places ? { id, nom, type, lon, lat } : undefined,
				loadMs: Date.now() - started,
				modelRuns: countModelRuns()
			};
		},

		/** One run, with progress at most every `PROGRESS_STEP`. */
		async run(run: SitingRun, rpc: RpcContext): Promise<SitingRunAnswer> {
			state.latest = run.seq;
			if (!state.context) {
				throw new Error('Le calcul n’a pas été initialisé (demande « load » manquante).');
			}
			let context = await state.context;
			if (state.latest !== run.seq) {
				return {
					outcome: { status: 'cancelled', message: 'Simulation remplacée par une plus récente.' },
					ms: 0,
					imported: null
				};
			}
			let summary: ImportedSupplySummary | null = null;
			if (run.imported && run.imported.places.length > 0) {
				try {
					if (state.imported?.key !== run.imported.key) {
						const derived = withImportedPlaces(context.dataset, run.imported.places);
						state.imported = {
							key: run.imported.key,
							context: createSitingContext(derived.dataset),
							summary: derived.summary
						};
					}
				} catch (error) {
					throw new Error(`Lieux importés inutilisables : ${errorText(error)}`);
				}
				context = state.imported.context;
				summary = state.imported.summary;
			}
			const solver = (state.solver ? await state.solver : null) ?? undefined;
			const started = Date.now();
			try {
				let last = -1;
				const outcome =
					run.mode === 'propose'
						? runSimulation(
								context,
								run.params,
								run.edits,
								{
									onProgress: (fraction) => {
										if (fraction - last < PROGRESS_STEP && fraction < 1) return;
										last = fraction;
										rpc.progress(fraction);
									}
								},
								{ detailCommunes: true, unknownEdits: 'ignore', solver }
							)
						: evaluateSimulation(context, run.params, run.edits, {
								detailCommunes: true,
								unknownEdits: 'ignore'
							});
				return { outcome, ms: Date.now() - started, imported: summary };
			} catch (error) {
				throw new Error(`Erreur pendant la simulation : ${errorText(error)}`);
			}
		}
	};
}

export type SitingHandlers = ReturnType<typeof createSitingHandlers>;
