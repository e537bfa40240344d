import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import {
	ARTIFACTS,
	type QpvByCommune,
	type SourcesArtifact,
	type TerritoryIndex
} from '$lib/territory/artifacts';
import type { CommuneRecord } from '$lib/territory/commune';

/**
 * Where the server reads the committed artifacts: `ATLAS_DATA_DIR`, else `static/data` under the
 * working directory (the repository root for `npm start`, `npm run dev` and `vite preview`).
 */
export function dataDirectory(): string {
	return process.env.ATLAS_DATA_DIR ?? join(process.cwd(), 'static', 'data');
}

export interface ServerDataset {
	communes: CommuneRecord[];
	communeByCode: Map<string, CommuneRecord>;
	territories: TerritoryIndex;
	qpv: QpvByCommune;
	sources: SourcesArtifact;
}

let loading: Promise<ServerDataset> | null = null;

async function readJson(file: string): Promise<unknown> {
	return JSON.parse(await readFile(join(dataDirectory(), file), 'utf8'));
}

/** The dataset, read once per server process and shared by every request (read-only). */
export function loadServerDataset(): Promise<ServerDataset> {
	loading ??= (async () => {
		const [table, territories, qpv, sources] = await Promise.all([
			readJson(ARTIFACTS.communes),
			readJson(ARTIFACTS.territories),
			readJson(ARTIFACTS.qpv),
			readJson(ARTIFACTS.sources)
		]);
		const communes = decodeCommuneTable(table);
		return {
			communes,
			communeByCode: new Map(communes.map((c) => [c.code, c])),
			territories: territories as TerritoryIndex,
			qpv: qpv as QpvByCommune,
			sources: sources as SourcesArtifact
		};
	})().catch((error) => {
		loading = null;
		throw error;
	});
	return loading;
}
