/**
 * Messages between the page and the estimate worker (`remote-population.worker.ts`), and the
 * worker's logic, kept here so that it runs in the unit tests without a Worker.
 */
import { fetchArtifact } from '../territory/artifact-fetch';
import { decodeCommuneTable } from '../territory/commune-table';
import type { TerritoryIndex } from '../territory/artifacts';
import type { CommuneRecord, Level } from '../territory/commune';
import { estimateRemotePopulation, type RemoteEstimateSet } from './remote-population';
import { computeRemoteLayer, type RemoteLayerLevel } from './remote-layer';

/** Ask for the layer at one level; the artifacts' URLs are read on the first request only. */
export interface RemoteLayerRequest {
	id: number;
	level: Level;
	/** URL of `communes.json` (with the app's base path). */
	communesUrl: string;
	/** URL of `territoires.json`. */
	territoriesUrl: string;
}

export type RemoteLayerResponse =
	{ id: number; ok: true; layer: RemoteLayerLevel } | { id: number; ok: false; message: string };

/** What the worker keeps between requests: the data and estimate, computed once. */
export interface RemoteWorkerState {
	ready?: Promise<{
		communes: CommuneRecord[];
		territories: TerritoryIndex;
		set: RemoteEstimateSet;
	}>;
}

/**
 * Answer one request: load and estimate on the first one (about a second), then aggregate.
 * Errors become a French message rather than an uncaught exception in the worker.
 */
export async function handleRemoteLayerRequest(
	state: RemoteWorkerState,
	request: RemoteLayerRequest,
	fetcher: typeof fetch
): Promise<RemoteLayerResponse> {
	try {
		state.ready ??= Promise.all([
			fetchArtifact(fetcher, request.communesUrl),
			fetchArtifact(fetcher, request.territoriesUrl)
		]).then(([table, index]) => {
			const communes = decodeCommuneTable(table);
			const t = index as Partial<TerritoryIndex>;
			const territories: TerritoryIndex = {
				regions: t.regions ?? [],
				departements: t.departements ?? [],
				epci: t.epci ?? []
			};
			return { communes, territories, set: estimateRemotePopulation(communes) };
		});
		const { communes, territories, set } = await state.ready;
		return {
			id: request.id,
			ok: true,
			layer: computeRemoteLayer(set, communes, request.level, territories)
		};
	} catch (error) {
		state.ready = undefined;
		return {
			id: request.id,
			ok: false,
			message: `L’estimation n’a pas pu être calculée : ${error instanceof Error ? error.message : String(error)}`
		};
	}
}
