import type { PageServerLoad } from './$types';
import { MAX_QUERY_LENGTH, searchTerritories } from '$lib/territory/search';
import { loadSearchIndex } from '../territoire/report-source.server';

/** Results shown on the page. */
const RESULT_LIMIT = 30;

export const load: PageServerLoad = async ({ url }) => {
	const query = (url.searchParams.get('q') ?? '').slice(0, MAX_QUERY_LENGTH);
	if (query.trim() === '') return { query, results: [], limit: RESULT_LIMIT };
	const index = await loadSearchIndex();
	const results = searchTerritories(index, query, RESULT_LIMIT);
	return { query, results, limit: RESULT_LIMIT };
};
