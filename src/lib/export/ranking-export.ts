/**
 * Exports of a ranked table (see ranking/ranked-table.ts): JSON, CSV and the flat properties the
 * GeoJSON export carries, with the request's parameters and the method written in every file so an
 * export found in a folder months later still says how it was made. Column names are French
 * snake_case, like the rest of the public API.
 *
 * CSV layout (RFC 4180): the header row first, then one row per territory, CRLF. By default `;`,
 * decimal comma and a UTF-8 BOM for French Excel; with `,` (`sep=,`) decimal points and no BOM, for
 * scripts (`pandas.read_csv(f)`, `d3.csvParse`, QGIS). The parameters, method and sources, which
 * used to be `#` comment lines that tools read as the header, are in the companion
 * (`rankingCompanion`, `format=metadonnees`) and in the response headers.
 */
import { toCsv, UTF8_BOM } from './csv';
import type { RankedRow } from '../ranking/ranked-table';
import { RANKING_COLUMNS, toRankingJsonRow } from './ranking-columns';
import { rankingMetadata, rankingParameters, type RankingExport } from './ranking-metadata';

// The columns and the metadata live in their own modules; importers keep one address for all of it.
export * from './ranking-columns';
export * from './ranking-metadata';

/** Rows per chunk of the streamed exports: ~50 ms of work, so a server can serve others between chunks. */
export const EXPORT_CHUNK_ROWS = 2000;

/** The rows of `positions[from…to)`. */
export function rowsBetween(data: RankingExport, from: number, to: number): RankedRow[] {
	const end = Math.min(to, data.positions.length);
	const rows: RankedRow[] = new Array(Math.max(0, end - from));
	for (let k = from; k < end; k++) rows[k - from] = data.table.rowAt(data.positions[k]);
	return rows;
}

/** The JSON export as an object: `{ parametres, metadonnees, lignes }`. */
export function buildRankingJson(data: RankingExport) {
	return {
		parametres: rankingParameters(data.query, data.table),
		metadonnees: rankingMetadata(data),
		lignes: rowsBetween(data, 0, data.positions.length).map(toRankingJsonRow)
	};
}

/**
 * The JSON export as text, in pieces of `rowsPerChunk` rows (their concatenation is
 * `JSON.stringify(buildRankingJson(data))`), so a server can stream 34,875 rows.
 */
export function* rankingJsonChunks(
	data: RankingExport,
	rowsPerChunk = EXPORT_CHUNK_ROWS
): Generator<string> {
	const head = JSON.stringify({
		parametres: rankingParameters(data.query, data.table),
		metadonnees: rankingMetadata(data)
	});
	yield `${head.slice(0, -1)},"lignes":[`;
	for (let from = 0; from < data.positions.length; from += rowsPerChunk) {
		const rows = rowsBetween(data, from, from + rowsPerChunk).map((r) =>
			JSON.stringify(toRankingJsonRow(r))
		);
		yield (from > 0 ? ',' : '') + rows.join(',');
	}
	yield ']}';
}

/**
 * The CSV export in pieces (see the module comment for the layout): BOM and the header row, then
 * `rowsPerChunk` rows per piece. Missing values are empty cells, never 0.
 */
export function* rankingCsvChunks(
	data: RankingExport,
	rowsPerChunk = EXPORT_CHUNK_ROWS
): Generator<string> {
	const separator = data.query.separateur;
	const header = toCsv([], RANKING_COLUMNS, { separator, bom: false });
	yield `${data.query.separateur === ';' ? UTF8_BOM : ''}${header}`;
	for (let from = 0; from < data.positions.length; from += rowsPerChunk) {
		const text = toCsv(rowsBetween(data, from, from + rowsPerChunk), RANKING_COLUMNS, {
			separator,
			bom: false
		});
		// toCsv writes the header line first (it never holds a line break): keep the rows only.
		yield text.slice(text.indexOf('\r\n') + 2);
	}
}

/** The whole CSV export as one string. */
export function writeRankingCsv(data: RankingExport): string {
	return [...rankingCsvChunks(data)].join('');
}
