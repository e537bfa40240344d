/**
 * The ranking tab's downloads when the table counts places the server does not know (imported
 * places, the simulation's posts): the same files as `/api/classement` (CSV, GeoJSON, metadata
 * companion, written by the same `export/` functions) but built in the ranking worker from the
 * very table it shows, so a download holds exactly the scores, ranks and accessibility on screen,
 * and says which places it counts (metadata `scenario`, source « données importées » with the
 * file's name). Without such places the tab links to the API instead (same ranking, cached there).
 */
import type { Geometry } from 'geojson';
import {
	rankingCompanion,
	rankingCsvChunks,
	rankingFileName,
	type RankingExport,
	type RankingExportScenario
} from '$lib/export/ranking-export';
import { centrePoint, rankingGeoJsonChunks } from '$lib/export/geojson';
import { IMPORTED_SOURCE_ID } from '$lib/places-import/imported-place';
import { describeImportedSupply, importedFileDataset } from '$lib/places-import/imported-supply';
import type { RankingQuery, RankingSeparator } from '$lib/ranking/query';
import type { RankedTable } from '$lib/ranking/ranked-table';
import { sortPositions } from '$lib/ranking/ranked-table';
import { findPreset } from '$lib/ranking/weights';
import type { DatasetSource } from '$lib/territory/artifacts';
import type { CommuneRecord } from '$lib/territory/commune';
import { formatInteger } from '$lib/format/number';
import type { RankedPage } from './ranking-handler';
import type { RankingView } from '$lib/ranking/view-params';

/** Formats the browser writes (XLSX needs the server's writer: save the scenario for it). */
export const BROWSER_RANKING_FORMATS = ['csv', 'geojson', 'metadonnees'] as const;
export type BrowserRankingFormat = (typeof BROWSER_RANKING_FORMATS)[number];

/** What the tab asks the worker to write. */
export interface RankingFileRequest {
	format: BrowserRankingFormat;
	separator: RankingSeparator;
	/** `sources.json` datasets (the worker does not read that file). */
	datasets: DatasetSource[];
	/** Where the imported places come from (« fichier « lieux.csv » », « scénario « nom » »), or null. */
	origin: string | null;
}

/** A written file, ready for a Blob. */
export interface RankingFile {
	name: string;
	type: string;
	text: string;
}

/** The API query of the view (its export links' query): same ranking, whole filter, table order. */
export function viewQuery(
	view: RankingView,
	format: BrowserRankingFormat,
	separator: RankingSeparator
): RankingQuery {
	return {
		niveau: view.level,
		region: view.region,
		departement: view.level === 'region' ? null : view.departement,
		weights: view.weights,
		preset: findPreset(view.weights)?.id ?? null,
		groupe: 'france',
		normalisation: 'filtre',
		tri: view.tri,
		ordre: view.ordre,
		limite: null,
		page: 1,
		scenario: null,
		format,
		separateur: separator
	};
}

const plural = (n: number, one: string, many: string) =>
	`${formatInteger(n)} ${n > 1 ? many : one}`;

/**
 * What an export says of the places a browser ranking counts besides the national ones.
 * @example downloadScenario({ added: 0, removed: 0, imported: 1, replaced: 0 }, 'fichier « lieux.csv »').text
 * // 'Lieux importés (fichier « lieux.csv ») : 1 lieu importé (données importées)'
 */
export function downloadScenario(
	summary: NonNullable<RankedPage['scenario']>,
	origin: string | null
): RankingExportScenario {
	const parts: string[] = [];
	if (summary.imported > 0) {
		const from = origin ? `Lieux importés (${origin})` : 'Lieux importés';
		parts.push(`${from} : ${describeImportedSupply(summary)}`);
	}
	if (summary.added > 0 || summary.removed > 0) {
		parts.push(
			`scénario de déploiement de l’onglet Simulation : ${plural(summary.added, 'poste ajouté', 'postes ajoutés')}, ${plural(summary.removed, 'lieu retiré', 'lieux retirés')}`
		);
	}
	const text = parts.join(' ; ');
	return {
		id: null,
		origin: origin ?? 'navigateur',
		imported: summary.imported,
		replaced: summary.replaced,
		added: summary.added,
		removed: summary.removed,
		text: text.charAt(0).toUpperCase() + text.slice(1)
	};
}

/**
 * Write one file of a ranked table that counts a scenario.
 * @param geometryOf a territory's geometry by code (GeoJSON of EPCI, départements, régions)
 */
export function writeRankingFile(
	table: RankedTable,
	view: RankingView,
	summary: NonNullable<RankedPage['scenario']>,
	request: RankingFileRequest,
	communes: ReadonlyMap<string, Pick<CommuneRecord, 'lon' | 'lat'>>,
	geometryOf: ((code: string) => Geometry | null) | null,
	now = new Date()
): RankingFile {
	const query = viewQuery(view, request.format, request.separator);
	const scenario = downloadScenario(summary, request.origin);
	const datasets = request.datasets.filter((d) => d.id !== IMPORTED_SOURCE_ID);
	if (summary.imported > 0) {
		datasets.push(importedFileDataset(request.origin, now.toISOString().slice(0, 10)));
	}
	const data: RankingExport = {
		query,
		table,
		positions: sortPositions(table, view.tri, view.ordre),
		datasets,
		generatedAt: now,
		geometry:
			request.format !== 'geojson' ? 'none' : view.level === 'commune' ? 'points' : 'polygons',
		scenario
	};
	if (request.format === 'csv') {
		return {
			name: rankingFileName(query, 'csv', scenario),
			type: 'text/csv;charset=utf-8',
			text: [...rankingCsvChunks(data)].join('')
		};
	}
	if (request.format === 'metadonnees') {
		return {
			name: rankingFileName(query, 'metadonnees.json', scenario),
			type: 'application/json',
			text: JSON.stringify(rankingCompanion(data))
		};
	}
	const pointOf = (code: string) => {
		const c = communes.get(code);
		return c ? centrePoint(c.lon, c.lat) : null;
	};
	return {
		name: rankingFileName(query, 'geojson', scenario),
		type: 'application/geo+json',
		text: [
			...rankingGeoJsonChunks(
				data,
				view.level === 'commune' ? pointOf : (geometryOf ?? (() => null))
			)
		].join('')
	};
}
