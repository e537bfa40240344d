/**
 * Fetch and decode the artifacts of the dashboard (`static/data/`, served at `/data/…`). Each
 * failure becomes an Error with a French message that names the file, which the page shows instead
 * of crashing.
 */
import { fetchArtifact } from '$lib/territory/artifact-fetch';
import {
	ARTIFACTS,
	readTerritoryIndex,
	type PostcodeTable,
	type SourcesArtifact,
	type TerritoryIndex
} from '$lib/territory/artifacts';
import { readPostcodeTable } from '$lib/territory/search';
import type { Level } from '$lib/territory/commune';
import { isPrecomputedEstimateLevel, readEstimateLayerArtifact } from '$lib/needs/layer-artifacts';
import type { RemoteLayerLevel } from '$lib/needs/layer';
import type { IndicatorId } from '$lib/indicators/catalog';
import { REMOTE_SHARE_INDICATOR_ID } from '$lib/needs/catalog';
import type { AnalysisClient } from '$lib/workers/analysis/client';
import {
	readTerritoryTopology,
	type TerritoryCollection,
	type TerritoryNeighbours
} from '$lib/territory/geometry';

/** Maps an artifact file name (`communes.json`) to the URL to fetch (`/data/communes.json`). */
export type ArtifactUrl = (file: string) => string;

export { fetchArtifact };

export interface DashboardData {
	territories: TerritoryIndex;
	sources: SourcesArtifact;
}

/**
 * The régions and départements (`territoires-regions-departements.json`, no EPCI: those come with
 * the commune table) and the sources, fetched in parallel.
 */
export async function loadDashboardData(
	fetcher: typeof fetch,
	artifactUrl: ArtifactUrl
): Promise<DashboardData> {
	const [territories, sources] = await Promise.all([
		fetchArtifact(fetcher, artifactUrl(ARTIFACTS.territoriesFirstScreen)),
		fetchArtifact(fetcher, artifactUrl(ARTIFACTS.sources))
	]);
	const sourcesArtifact = sources as Partial<SourcesArtifact> | null;
	if (!sourcesArtifact || !Array.isArray(sourcesArtifact.datasets)) {
		throw new Error(
			`Le fichier ${ARTIFACTS.sources} n’a pas le format attendu (liste « datasets »).`
		);
	}
	return {
		territories: readTerritoryIndex(territories, ARTIFACTS.territoriesFirstScreen),
		sources: sourcesArtifact as SourcesArtifact
	};
}

/**
 * Where the estimate layer's levels come from: the pipeline's `estimations/` files for régions,
 * départements and EPCI (no commune table, no model run: the first screen), the page's analysis
 * worker for the communes.
 */
export function estimateLayerSource(
	fetcher: typeof fetch,
	artifactUrl: ArtifactUrl,
	worker: Pick<AnalysisClient, 'layerAt'>
): Pick<AnalysisClient, 'layerAt'> {
	return {
		async layerAt(level: Level): Promise<RemoteLayerLevel> {
			if (!isPrecomputedEstimateLevel(level)) return worker.layerAt(level);
			const file = ARTIFACTS.estimates[level];
			return readEstimateLayerArtifact(
				await fetchArtifact(fetcher, artifactUrl(file)),
				level,
				file
			);
		}
	};
}

/**
 * What the first screen fetches whatever the URL (régions and départements' index, sources,
 * départements' polygons), and the national view's estimate when the link shows it: preloaded
 * with the HTML, so they arrive while the scripts load. The régions' polygons (their borders and
 * the land) are fetched once the map is painted.
 */
export function firstScreenFiles(indicator: IndicatorId): string[] {
	return [
		ARTIFACTS.territoriesFirstScreen,
		ARTIFACTS.sources,
		ARTIFACTS.geometry.departement,
		...(indicator === REMOTE_SHARE_INDICATOR_ID ? [ARTIFACTS.estimates.departement] : [])
	];
}

/** The geometry of one level as GeoJSON (features keyed by `code`), and who borders whom. */
export async function loadTerritoryGeometry(
	fetcher: typeof fetch,
	artifactUrl: ArtifactUrl,
	level: Level
): Promise<{ collection: TerritoryCollection; neighbours: () => TerritoryNeighbours }> {
	const topology = await fetchArtifact(fetcher, artifactUrl(ARTIFACTS.geometry[level]));
	return readTerritoryTopology(topology, level);
}

/**
 * The postcode table of the search (`codes-postaux.json`): not part of the first screen, fetched
 * when someone starts typing in the search box.
 */
export async function loadPostcodeTable(
	fetcher: typeof fetch,
	artifactUrl: ArtifactUrl
): Promise<PostcodeTable> {
	return readPostcodeTable(
		await fetchArtifact(fetcher, artifactUrl(ARTIFACTS.postcodes)),
		ARTIFACTS.postcodes
	);
}
