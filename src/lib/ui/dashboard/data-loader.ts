/**
 * Fetch and decode the artifacts the first screen needs (`static/data/`, served at `/data/…`). Each
 * failure becomes an Error with a French message that names the file, which the page shows instead
 * of crashing.
 */
import { fetchArtifact } from '$lib/territory/artifact-fetch';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import {
	ARTIFACTS,
	type PostcodeTable,
	type SourcesArtifact,
	type TerritoryIndex
} from '$lib/territory/artifacts';
import { readPostcodeTable } from '$lib/territory/search';
import type { CommuneRecord, Level } from '$lib/territory/commune';
import {
	readTerritoryTopology,
	type TerritoryCollection,
	type TerritoryNeighbours
} from '$lib/territory/geometry';

/** Maps an artifact file name (`communes.json`) to the URL to fetch (`/data/communes.json`). */
export type ArtifactUrl = (file: string) => string;

export { fetchArtifact };

export interface DashboardData {
	communes: CommuneRecord[];
	territories: TerritoryIndex;
	sources: SourcesArtifact;
}

/** The commune table, the territory index and the sources, fetched in parallel. */
export async function loadDashboardData(
	fetcher: typeof fetch,
	artifactUrl: ArtifactUrl
): Promise<DashboardData> {
	const [table, territories, sources] = await Promise.all([
		fetchArtifact(fetcher, artifactUrl(ARTIFACTS.communes)),
		fetchArtifact(fetcher, artifactUrl(ARTIFACTS.territories)),
		fetchArtifact(fetcher, artifactUrl(ARTIFACTS.sources))
	]);
	const index = territories as Partial<TerritoryIndex> | null;
	if (!index || !Array.isArray(index.departements) || !Array.isArray(index.regions)) {
		throw new Error(
			`Le fichier ${ARTIFACTS.territories} n’a pas le format attendu (régions, départements, EPCI).`
		);
	}
	const sourcesArtifact = sources as Partial<SourcesArtifact> | null;
	if (!sourcesArtifact || !Array.isArray(sourcesArtifact.datasets)) {
		throw new Error(
			`Le fichier ${ARTIFACTS.sources} n’a pas le format attendu (liste « datasets »).`
		);
	}
	return {
		communes: decodeCommuneTable(table),
		territories: {
			regions: index.regions,
			departements: index.departements,
			epci: index.epci ?? []
		},
		sources: sourcesArtifact as SourcesArtifact
	};
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
