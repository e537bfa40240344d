/**
 * The messages between the simulation panel and its Web Worker (`siting.worker.ts`), and the work
 * the worker does on them, as plain functions so they are tested in Node without a browser.
 *
 * Data: the first worker reads the artifacts itself (`communes.json`, `mediateurs.geojson`,
 * `territoires.json`, usually from the HTTP cache since the map already fetched them), estimates
 * the needs and the accessibility off the main thread, and sends the compact `SitingDataset` back
 * once (≈ 3 MB of typed arrays and strings, one structured clone). When a run is cancelled the
 * worker is terminated and its successor gets that dataset in its `init` message, instead of
 * re-reading and re-estimating everything (≈ 2 s).
 */
import type { MilpSolver } from './exact';
import { fetchArtifact } from '../territory/artifact-fetch';
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
} from './scenario';
import { withImportedPlaces } from './imported-places';
import type { ImportedPlace } from '$lib/places-import/import-places';
import type { ImportedSupplySummary } from '$lib/places-import/imported-supply';

/** Main thread → worker. */
export type SitingWorkerRequest =
	/** Load the data: from the artifacts under `dataUrl` (e.g. `/data/`), or a dataset already built. */
	| { type: 'init'; dataUrl: string; dataset?: SitingDataset }
	/** Propose N sites then evaluate the scenario. */
	| {
			type: 'propose';
			id: number;
			params: ScenarioParams;
			edits: ScenarioEdits;
			/** Imported places counted as existing places (issue 12); absent: none. */
			imported?: ImportedPlaces;
	  }
	/** Evaluate the scenario as it stands (what-if), without optimising. */
	| {
			type: 'evaluate';
			id: number;
			params: ScenarioParams;
			edits: ScenarioEdits;
			imported?: ImportedPlaces;
	  };

/** The user's imported places, with a key that names them (`importedPlacesKey`). */
export interface ImportedPlaces {
	key: string;
	places: ImportedPlace[];
}

/** Worker → main thread. */
export type SitingWorkerResponse =
	/** The worker read and prepared the data; `dataset` is sent only when it built it itself. */
	| { type: 'ready'; dataset?: SitingDataset; loadMs: number }
	/** Fraction 0–1 of a run, at most every `PROGRESS_STEP`. */
	| { type: 'progress'; id: number; fraction: number }
	/**
	 * The outcome of a run (done, invalid or cancelled); `imported` says how many imported places
	 * its figures count (null: none).
	 */
	| {
			type: 'outcome';
			id: number;
			outcome: SimulationOutcome;
			ms: number;
			imported?: ImportedSupplySummary | null;
	  }
	/** Something failed (data could not be loaded, unexpected error), in French. */
	| { type: 'failure'; id: number | null; message: string };

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

/** What a worker holds between messages. */
export interface WorkerState {
	context?: Promise<SitingContext>;
	/** The context with the last imported places counted, by their key (one kept). */
	imported?: { key: string; context: SitingContext; summary: ImportedSupplySummary };
	/** Id of the last run received: a run still waiting for the data when a newer one arrives is skipped. */
	latest?: number;
	/** The MILP solver (HiGHS), loading; null when it could not load (runs then keep their bounds only). */
	solver?: Promise<MilpSolver | null>;
}

/**
 * Handle one message in a worker: `init` starts loading the data (once), a run waits for it then
 * answers with progress messages and one outcome. Never throws: failures become `failure` messages.
 */
export async function handleWorkerMessage(
	state: WorkerState,
	message: SitingWorkerRequest,
	post: (response: SitingWorkerResponse) => void,
	fetcher: typeof fetch
): Promise<void> {
	if (message.type === 'init') {
		if (state.context) return;
		const started = Date.now();
		state.context = (async () => {
			const built = message.dataset === undefined;
			const dataset = message.dataset ?? (await loadSitingDataset(fetcher, message.dataUrl));
			const context = createSitingContext(dataset);
			post({ type: 'ready', dataset: built ? dataset : undefined, loadMs: Date.now() - started });
			return context;
		})();
		state.context.catch((error: unknown) => {
			post({
				type: 'failure',
				id: null,
				message: error instanceof Error ? error.message : 'Chargement des données impossible.'
			});
		});
		return;
	}
	state.latest = message.id;
	if (!state.context) {
		post({
			type: 'failure',
			id: message.id,
			message: 'Le calcul n’a pas été initialisé (message « init » manquant).'
		});
		return;
	}
	let context: SitingContext;
	try {
		context = await state.context;
	} catch (error) {
		post({
			type: 'failure',
			id: message.id,
			message: error instanceof Error ? error.message : 'Chargement des données impossible.'
		});
		return;
	}
	if (state.latest !== message.id) {
		post({
			type: 'outcome',
			id: message.id,
			outcome: { status: 'cancelled', message: 'Simulation remplacée par une plus récente.' },
			ms: 0
		});
		return;
	}
	let summary: ImportedSupplySummary | null = null;
	if (message.imported && message.imported.places.length > 0) {
		try {
			if (state.imported?.key !== message.imported.key) {
				const derived = withImportedPlaces(context.dataset, message.imported.places);
				state.imported = {
					key: message.imported.key,
					context: createSitingContext(derived.dataset),
					summary: derived.summary
				};
			}
		} catch (error) {
			post({
				type: 'failure',
				id: message.id,
				message: `Lieux importés inutilisables : ${error instanceof Error ? error.message : String(error)}`
			});
			return;
		}
		context = state.imported.context;
		summary = state.imported.summary;
	}
	const solver = (state.solver ? await state.solver : null) ?? undefined;
	const started = Date.now();
	try {
		let last = -1;
		const outcome =
			message.type === 'propose'
				? runSimulation(
						context,
						message.params,
						message.edits,
						{
							onProgress: (fraction) => {
								if (fraction - last < PROGRESS_STEP && fraction < 1) return;
								last = fraction;
								post({ type: 'progress', id: message.id, fraction });
							}
						},
						{ detailCommunes: true, unknownEdits: 'ignore', solver }
					)
				: evaluateSimulation(context, message.params, message.edits, {
						detailCommunes: true,
						unknownEdits: 'ignore'
					});
		post({
			type: 'outcome',
			id: message.id,
			outcome,
			ms: Date.now() - started,
			imported: summary
		});
	} catch (error) {
		post({
			type: 'failure',
			id: message.id,
			message: `Erreur pendant la simulation : ${error instanceof Error ? error.message : String(error)}`
		});
	}
}
