/**
 * The page's side of the analysis worker: one client per dashboard page, created and disposed by
 * the page, shared by the page's commune table, the estimate layer and the ranking tab. Rankings are latest-wins (a slider
 * dragged costs one ranking per round trip, never a queue of stale ones); a level of the estimate
 * layer asked for again gets the same promise; downloads and accessibility figures are each
 * answered.
 */
import type { RemoteLayerLevel } from '$lib/needs/layer';
import type { RankingScenario } from '$lib/ranking/with-scenario';
import type { Level } from '$lib/territory/commune';
import { createRpcClient, type RpcOutcome, type RpcWorker } from '../rpc';
import type { CommuneData } from './commune-data';
import type { AnalysisHandlers, Counted } from './handlers';
import type { RankingFile, RankingFileRequest } from './ranking-download';
import type { RankedPage, TerritoryAccess } from './ranking-handler';
import type { RankingView } from '$lib/ranking/view-params';

export type RankOutcome =
	| { status: 'ranked'; result: RankedPage }
	/** A newer request replaced this one (or the page is going away). */
	| { status: 'superseded' }
	| { status: 'failed'; message: string };

export type AccessOutcome =
	{ status: 'computed'; access: TerritoryAccess | null } | { status: 'failed'; message: string };

export type ExportOutcome =
	{ status: 'exported'; file: RankingFile } | { status: 'failed'; message: string };

export interface AnalysisClient {
	/**
	 * The decoded commune table and the whole territory index (EPCI included), read and decoded
	 * by the worker; rejects with the worker's French message (naming the file) when it fails.
	 */
	communeTable(): Promise<CommuneData>;
	/** The estimate layer at `level`; rejects with a French message when the worker fails. */
	layerAt(level: Level): Promise<RemoteLayerLevel>;
	/**
	 * Rank a view; `withCodes` asks for the level's code list (once per level); with a scenario, the
	 * ranking includes its places.
	 */
	rank(
		view: RankingView,
		withCodes: boolean,
		scenario?: RankingScenario | null
	): Promise<RankOutcome>;
	/** Write the whole ranking of a view counted with a scenario (CSV, GeoJSON or metadata). */
	exportFile(
		view: RankingView,
		scenario: RankingScenario,
		request: RankingFileRequest
	): Promise<ExportOutcome>;
	/** The accessibility of one territory with a scenario's places and without. */
	territoryAccess(
		territory: { level: Level; code: string },
		scenario: RankingScenario
	): Promise<AccessOutcome>;
	/**
	 * Have the worker post the simulation's dataset on `port` (moved to the worker), the other end
	 * of which a siting worker waits on (`workers/siting/dataset-port.ts`).
	 * @returns null when it was sent, else a French message (also posted on the port when the
	 *   worker could tell)
	 */
	sendSitingDataset(port: MessagePort): Promise<string | null>;
	/** Stop the worker for good (the page is going away). */
	dispose(): void;
}

export interface AnalysisClientOptions {
	/** URL prefix of the artifacts, e.g. `/data/` (with the app's base path). */
	dataUrl: string;
	/** Start a worker (the page passes the Vite-bundled `analysis.worker.ts`; tests a stand-in). */
	createWorker: () => RpcWorker;
	/** Told the worker's count of needs-model runs with each answer. */
	onModelRuns?: (runs: number) => void;
}

/** A JSON copy: `$state` proxies cannot be cloned by postMessage. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Create the client; the worker starts on the first request.
 * @example const analysis = createAnalysisClient({ dataUrl: '/data/', createWorker: () => new AnalysisWorker() });
 */
export function createAnalysisClient(options: AnalysisClientOptions): AnalysisClient {
	const rpc = createRpcClient<AnalysisHandlers>({
		createWorker: options.createWorker,
		label: 'des estimations et du classement',
		latestWins: ['rank'],
		init: () => ({ kind: 'init', payload: { dataUrl: options.dataUrl } })
	});
	const byLevel = new Map<Level, Promise<RemoteLayerLevel>>();

	/** The answer's value, after passing its model-run count on. */
	const read = <T>(outcome: RpcOutcome<Counted<T>>): RpcOutcome<T> => {
		if (outcome.status !== 'done') return outcome;
		options.onModelRuns?.(outcome.value.modelRuns);
		return { status: 'done', value: outcome.value.value };
	};

	return {
		async communeTable() {
			const outcome = read(await rpc.call('communeTable', undefined));
			if (outcome.status === 'done') return outcome.value;
			throw new Error(
				'message' in outcome ? outcome.message : 'Lecture de la table des communes interrompue.'
			);
		},
		layerAt(level) {
			let promise = byLevel.get(level);
			if (!promise) {
				promise = rpc.call('layer', { level }).then((answer) => {
					const outcome = read(answer);
					if (outcome.status === 'done') return outcome.value;
					// A failed level is asked again next time rather than failing for the page's life.
					byLevel.delete(level);
					throw new Error(
						'message' in outcome ? outcome.message : 'Calcul de l’estimation interrompu.'
					);
				});
				byLevel.set(level, promise);
			}
			return promise;
		},
		async rank(view, withCodes, scenario = null) {
			const outcome = read(
				await rpc.call('rank', {
					view: copy(view),
					withCodes,
					scenario: scenario ? copy(scenario) : null
				})
			);
			if (outcome.status === 'done') return { status: 'ranked', result: outcome.value };
			if (outcome.status === 'failed') return outcome;
			return { status: 'superseded' };
		},
		async exportFile(view, scenario, request) {
			const outcome = read(
				await rpc.call('export', {
					view: copy(view),
					scenario: copy(scenario),
					request: copy(request)
				})
			);
			if (outcome.status === 'done') return { status: 'exported', file: outcome.value };
			return {
				status: 'failed',
				message: 'message' in outcome ? outcome.message : 'Export annulé.'
			};
		},
		async territoryAccess(territory, scenario) {
			const outcome = read(
				await rpc.call('access', { territory: copy(territory), scenario: copy(scenario) })
			);
			if (outcome.status === 'done') return { status: 'computed', access: outcome.value };
			return {
				status: 'failed',
				message: 'message' in outcome ? outcome.message : 'Calcul de l’accessibilité annulé.'
			};
		},
		async sendSitingDataset(port) {
			const outcome = read(await rpc.call('sitingDataset', { port }, { transfer: [port] }));
			if (outcome.status === 'done') return null;
			return 'message' in outcome ? outcome.message : 'Données de la simulation non envoyées.';
		},
		dispose() {
			rpc.dispose();
			byLevel.clear();
		}
	};
}
