/**
 * Server-side inputs of the pages, read once per process and shared by every request (read-only):
 * the shared analysis as a `ReportContext` (the fiche's checks; the fiche itself is computed in the
 * task pool, `$lib/server/fiche-data.ts`) and the search index.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadServerAnalysis, reportContextOf } from '$lib/server/analysis';
import type { ReportContext } from '$lib/report/report-context';
import {
	buildSearchIndex,
	readPostcodeTable,
	withPostcodes,
	type TerritorySearchIndex
} from '$lib/territory/search';
import { ARTIFACTS } from '$lib/territory/artifacts';
import { dataDirectory, loadServerDataset } from '$lib/server/dataset';

const cache: {
	context?: Promise<ReportContext>;
	search?: Promise<TerritorySearchIndex>;
} = {};

/** The report context of the server's analysis, built once. */
export function loadReportContext(): Promise<ReportContext> {
	cache.context ??= loadServerAnalysis()
		.then(reportContextOf)
		.catch((error) => {
			delete cache.context;
			throw error;
		});
	return cache.context;
}

/**
 * The search index of every commune, EPCI, département and région, with the communes' postcodes
 * (`codes-postaux.json`, read here only: the other pages do not need it), built once.
 */
export function loadSearchIndex(): Promise<TerritorySearchIndex> {
	cache.search ??= Promise.all([
		loadServerDataset(),
		readFile(join(dataDirectory(), ARTIFACTS.postcodes), 'utf8')
	])
		.then(([dataset, postcodes]) =>
			withPostcodes(
				buildSearchIndex(dataset.communes, dataset.territories),
				readPostcodeTable(JSON.parse(postcodes), ARTIFACTS.postcodes)
			)
		)
		.catch((error) => {
			delete cache.search;
			throw error;
		});
	return cache.search;
}
