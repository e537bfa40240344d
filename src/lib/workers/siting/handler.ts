/**
 * What the simulation's Web Worker (`siting.worker.ts`) answers over `workers/rpc.ts`, as plain
 * functions so they are tested in Node without a browser.
 *
 * Data: the first worker reads the artifacts itself (`communes.json`, `mediateurs.geojson`,
 * `territoires.json`, usually from the HTTP cache since the map already fetched them), estimates
 * the needs and the accessibility off the main thread, and sends the compact `SitingDataset` back
 * once (≈ 3 MB of typed arrays and strings, one structured clone). When a run is cancelled the
 * worker is terminated and its successor gets that dataset in its `load` request, instead of
 * re-reading and re-estimating everything (≈ 2 s).
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
import type { RpcContext } from '../rpc';
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
		/** Read the data, or take the dataset a previous worker built; answers it only when built here. */
		async load({
			dataUrl,
			dataset
		}: {
			dataUrl: string;
			dataset?: SitingDataset;
		}): Promise<{ dataset?: SitingDataset; loadMs: number }> {
			const started = Date.now();
			if (state.context) {
				await state.context;
				return { loadMs: Date.now() - started };
			}
			const built = dataset === undefined;
			const loading = (async () => dataset ?? (await loadSitingDataset(fetcher, dataUrl)))();
			state.context = loading.then(createSitingContext);
			await state.context;
			return { dataset: built ? await loading : undefined, loadMs: Date.now() - started };
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
