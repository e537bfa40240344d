import type { PageServerLoad } from './$types';
import {
	describeSearchCode,
	describeUnknownPostcode,
	MAX_QUERY_LENGTH,
	searchHitTitle,
	searchTerritories
} from '$lib/territory/search';
import { loadServerDataset } from '$lib/server/dataset';
import { loadSearchIndex } from '../../lib/server/report-source';

/** Results shown on the page (every commune of a postcode is shown, even past it). */
const RESULT_LIMIT = 30;

/** The datasets the search reads: names and codes (COG), postcodes (La Poste). */
const SEARCH_SOURCES = ['cog-2026', 'laposte-codes-postaux'];

export const load: PageServerLoad = async ({ url }) => {
	const query = (url.searchParams.get('q') ?? '').slice(0, MAX_QUERY_LENGTH);
	const { sources } = await loadServerDataset();
	const attributions = SEARCH_SOURCES.map(
		(id) => sources.datasets.find((d) => d.id === id)?.attribution
	).filter((a): a is string => Boolean(a));
	if (query.trim() === '') {
		return { query, results: [], limit: RESULT_LIMIT, unknownPostcode: null, attributions };
	}
	const index = await loadSearchIndex();
	const results = searchTerritories(index, query, RESULT_LIMIT).map((hit) => ({
		...hit,
		title: searchHitTitle(hit),
		codeLabel: describeSearchCode(hit)
	}));
	return {
		query,
		results,
		limit: RESULT_LIMIT,
		unknownPostcode: describeUnknownPostcode(index, query),
		attributions
	};
};
