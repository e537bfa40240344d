/**
 * The commune table and territory index, read and decoded once per analysis worker: the estimate
 * layer aggregates them, the ranking's analysis is built on the same decoded table (so the needs
 * model, cached per table, runs once), and the page receives them decoded (`communeTable`), so the
 * main thread never parses the 8 MB file.
 */
import { fetchArtifact } from '$lib/territory/artifact-fetch';
import { ARTIFACTS, readTerritoryIndex, type TerritoryIndex } from '$lib/territory/artifacts';
import type { CommuneRecord } from '$lib/territory/commune';
import { decodeCommuneTable } from '$lib/territory/commune-table';

export interface CommuneData {
	communes: CommuneRecord[];
	territories: TerritoryIndex;
}

/** Turn `/data` or `/base/data/` into a URL prefix ending with `/`. */
export function dataPrefix(dataUrl: string): string {
	return dataUrl.endsWith('/') ? dataUrl : `${dataUrl}/`;
}

/**
 * Read `communes.json` and `territoires.json` under `prefix` and decode them.
 * @throws Error with a French message naming the file that failed
 */
export async function loadCommuneData(fetcher: typeof fetch, prefix: string): Promise<CommuneData> {
	const [table, index] = await Promise.all([
		fetchArtifact(fetcher, `${prefix}${ARTIFACTS.communes}`),
		fetchArtifact(fetcher, `${prefix}${ARTIFACTS.territories}`)
	]);
	return {
		communes: decodeCommuneTable(table),
		territories: readTerritoryIndex(index, ARTIFACTS.territories)
	};
}
