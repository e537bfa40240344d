/**
 * What the analysis worker (`analysis.worker.ts`) answers, on one state per page: the commune
 * table read and decoded once (and sent to the page decoded), one needs estimate (the map layer's and the national headline's)
 * and one analysis built on that same table (the ranking, its downloads, the details panel's
 * accessibility). Plain functions over an injectable `fetch`, so they run in Node without a Worker.
 *
 * Every answer says how many times the needs model has run in this worker (`modelRuns`), so the
 * page can show it to the browser tests and the bench: once per page is the rule (issue 14).
 */
import { remoteEstimatesOf } from '$lib/needs/cache';
import { countModelRuns } from '$lib/needs/model';
import { buildSitingDataset, type SitingDataset } from '$lib/siting/scenario/dataset';
import { computeRemoteLayer, type RemoteLayerLevel } from '$lib/needs/layer';
import type { RankingView } from '$lib/ranking/view-params';
import type { RankingScenario } from '$lib/ranking/with-scenario';
import type { Level } from '$lib/territory/commune';
import type { RpcContext } from '../rpc';
import type { DatasetSender } from '../siting/dataset-port';
import { dataPrefix, loadCommuneData, type CommuneData } from './commune-data';
import type { RankingFile, RankingFileRequest } from './ranking-download';
import {
	accessOfTerritory,
	exportView,
	loadRankingContext,
	rankView,
	scenarioContextOf,
	type RankedPage,
	type RankingContext,
	type TerritoryAccess
} from './ranking-handler';

/** An answer, with the number of needs-model runs in this worker so far. */
export interface Counted<T> {
	value: T;
	modelRuns: number;
}

/** What the worker keeps between requests (reset after a failed load, so a later one retries). */
export interface AnalysisWorkerState {
	/** URL prefix of the artifacts, set by the `init` request. */
	dataUrl: string | null;
	communeData?: Promise<CommuneData>;
	ranking?: Promise<RankingContext>;
	/** The simulation's dataset, built from the ranking's analysis (see `sitingDataset`). */
	sitingDataset?: Promise<SitingDataset>;
}

const errorText = (error: unknown): string =>
	error instanceof Error ? error.message : String(error);

export { countModelRuns };

const counted = <T>(value: T): Counted<T> => ({ value, modelRuns: countModelRuns() });

/**
 * The handlers of the analysis worker, by request kind.
 * @example serve(createAnalysisHandlers(fetch));
 */
export function createAnalysisHandlers(
	fetcher: typeof fetch,
	state: AnalysisWorkerState = { dataUrl: null }
) {
	const communeDataOf = (): Promise<CommuneData> => {
		if (state.dataUrl === null) {
			return Promise.reject(
				new Error('Le calcul n’a pas été initialisé (demande « init » manquante).')
			);
		}
		if (!state.communeData) {
			const loading = loadCommuneData(fetcher, state.dataUrl);
			state.communeData = loading;
			loading.catch(() => {
				if (state.communeData === loading) state.communeData = undefined;
			});
		}
		return state.communeData;
	};

	const rankingOf = (): Promise<RankingContext> => {
		if (!state.ranking) {
			const loading = loadRankingContext(fetcher, state.dataUrl ?? '', communeDataOf());
			state.ranking = loading;
			loading.catch(() => {
				if (state.ranking === loading) state.ranking = undefined;
			});
		}
		return state.ranking;
	};

	const sitingDatasetOf = (): Promise<SitingDataset> => {
		if (!state.sitingDataset) {
			const building = rankingOf().then(({ analysis }) => buildSitingDataset(analysis));
			state.sitingDataset = building;
			building.catch(() => {
				if (state.sitingDataset === building) state.sitingDataset = undefined;
			});
		}
		return state.sitingDataset;
	};

	return {
		/** Where the artifacts are; starts reading the commune table. */
		init({ dataUrl }: { dataUrl: string }): Counted<null> {
			state.dataUrl ??= dataPrefix(dataUrl);
			communeDataOf().catch(() => undefined);
			return counted(null);
		},

		/**
		 * The decoded commune table and the whole territory index, for the page's main thread (a
		 * structured clone of the worker's own: one download, one parse, one decode per page).
		 */
		async communeTable(): Promise<Counted<CommuneData>> {
			return counted(await communeDataOf());
		},

		/** The estimate layer at one level (the needs model runs on the first request). */
		async layer({ level }: { level: Level }): Promise<Counted<RemoteLayerLevel>> {
			try {
				const { communes, territories } = await communeDataOf();
				return counted(
					computeRemoteLayer(remoteEstimatesOf(communes), communes, level, territories)
				);
			} catch (error) {
				throw new Error(`L’estimation n’a pas pu être calculée : ${errorText(error)}`);
			}
		},

		/** One page of a ranked view, and every territory's score (transferred). */
		async rank(
			{
				view,
				withCodes,
				scenario
			}: { view: RankingView; withCodes: boolean; scenario: RankingScenario | null },
			context: RpcContext
		): Promise<Counted<RankedPage>> {
			const baseline = await rankingOf();
			const ranked = scenario ? scenarioContextOf(baseline, scenario) : baseline;
			const result = rankView(ranked, view, withCodes);
			context.transfer(result.scores.buffer);
			return counted(result);
		},

		/** The accessibility of one territory with a scenario's places and without. */
		async access({
			territory,
			scenario
		}: {
			territory: { level: Level; code: string };
			scenario: RankingScenario;
		}): Promise<Counted<TerritoryAccess | null>> {
			const baseline = await rankingOf();
			try {
				return counted(accessOfTerritory(baseline, territory, scenario));
			} catch (error) {
				throw new Error(`Calcul de l’accessibilité impossible : ${errorText(error)}.`);
			}
		},

		/**
		 * Post the simulation's dataset on `port`, one end of a channel whose other end the page gave
		 * a siting worker (`dataset-port.ts`): built once from this worker's analysis (no second
		 * needs-model run), copied worker to worker for each siting worker (a cancelled run's
		 * successor too). A failure is posted on the port as well, so the siting worker stops waiting.
		 */
		async sitingDataset({ port }: { port: DatasetSender }): Promise<Counted<null>> {
			try {
				port.postMessage({ ok: true, dataset: await sitingDatasetOf() });
				return counted(null);
			} catch (error) {
				const message = `Données de la simulation indisponibles : ${errorText(error)}`;
				port.postMessage({ ok: false, message });
				throw new Error(message, { cause: error });
			} finally {
				port.close();
			}
		},

		/** The whole ranking of a view counted with a scenario, as a file (see ranking-download.ts). */
		async export({
			view,
			scenario,
			request
		}: {
			view: RankingView;
			scenario: RankingScenario;
			request: RankingFileRequest;
		}): Promise<Counted<RankingFile>> {
			const baseline = await rankingOf();
			try {
				return counted(await exportView(baseline, view, scenario, request));
			} catch (error) {
				throw new Error(`Export impossible : ${errorText(error)}.`);
			}
		}
	};
}

export type AnalysisHandlers = ReturnType<typeof createAnalysisHandlers>;
