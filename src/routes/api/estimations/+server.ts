/**
 * GET /api/estimations?niveau=commune|epci|departement|region[&region=..][&departement=..]
 *   [&format=json|csv|xlsx|metadonnees][&separateur=;|,]
 * One row per territory: estimated people aged 15+ "éloignés du numérique" with its band.
 * The CSV starts with its header row; the model, units and sources are in the JSON answer, in the
 * companion (`format=metadonnees`, linked from the CSV's headers) and on the XLSX's Sources sheet.
 * Answers are computed once per normalised query (server/response-cache.ts); the large ones in the
 * task pool (server/estimations-answer.ts: `isHeavyEstimationsQuery`), never on this thread.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { loadServerDataset } from '$lib/server/dataset';
import { knownTerritoriesOf, parseTerritoryQuery } from '$lib/server/query-params';
import type { TerritoryQuery } from '$lib/server/query-params';
import { answersCache, API_CACHE_CONTROL, type CachedAnswer } from '$lib/server/response-cache';
import {
	canonicalEstimationsQuery,
	estimationsAnswer,
	isHeavyEstimationsQuery
} from '$lib/server/estimations-answer';
import { poolFailureResponse, runServerTask } from '$lib/server/server-tasks';

export const GET: RequestHandler = async ({ url, request }) => {
	const started = performance.now();
	const dataset = await loadServerDataset();
	const query = parseTerritoryQuery(url.searchParams, knownTerritoriesOf(dataset.territories));
	if (!query.ok) return json({ erreur: query.erreur, details: query.details }, { status: 400 });
	return answersCache.respond(
		request,
		`/api/estimations?${canonicalEstimationsQuery(query.value)}`,
		API_CACHE_CONTROL,
		() => answer(query.value),
		started
	);
};

/** The answer to a valid query (computed once per normalised query, see GET). */
async function answer(q: TerritoryQuery): Promise<Response | CachedAnswer> {
	if (!isHeavyEstimationsQuery(q)) return estimationsAnswer(q, await loadServerDataset());
	try {
		return await runServerTask('estimations', q);
	} catch (error) {
		return poolFailureResponse(error, 'L’estimation');
	}
}
