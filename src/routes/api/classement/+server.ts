/**
 * GET /api/classement?niveau=commune|epci|departement|region[&region=..][&departement=..]
 *   [&poids=equilibre|rural|qpv|reseau|eloignes:3,acces:2,…][&groupe=france|region|departement]
 *   [&normalisation=filtre|france][&tri=..&ordre=asc|desc][&limite=..&page=..]
 *   [&scenario=<id d'un scénario enregistré>][&format=json|csv|xlsx|geojson|metadonnees][&separateur=;|,]
 * The ranking of territories most in need of digital mediation, from the same pure code as the
 * ranking page (ranking/ranked-table.ts); parameters are documented in ranking/query.ts.
 * A bad request gets a 400 `{ erreur, details }` listing every problem, in French. With
 * `scenario=<id>`, the ranking counts the saved scenario's imported places, read through the
 * fiche's own functions (`savedScenarioContext`, `savedScenarioPosts`: the same figures as its
 * fiche territoire) and says so (metadata `scenario`, source « données importées »,
 * `x-atlas-scenario`); an unknown or malformed id gets a French 404.
 * Answers are computed once per normalised query (server/response-cache.ts): the same ranking
 * asked again, whatever the order or spelling of its parameters, is served from memory with its
 * ETag, compressed. Large answers (a région's communes or more, any workbook, any saved scenario:
 * `isHeavyRankingQuery`) are computed in the task pool (server/server-tasks.ts), never on this
 * thread; the others by the same code here (server/ranking-answer.ts).
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { loadServerAnalysis } from '$lib/server/analysis';
import {
	knownCodesOf,
	parseRankingQuery,
	serializeRankingQuery,
	type RankingQuery
} from '$lib/ranking/query';
import { answersCache, API_CACHE_CONTROL, type CachedAnswer } from '$lib/server/response-cache';
import { isHeavyRankingQuery, nationalBasis, rankingAnswer } from '$lib/server/ranking-answer';
import { poolFailureResponse, runServerTask } from '$lib/server/server-tasks';
import { getScenarioService, SCENARIOS_UNAVAILABLE } from '$lib/server/scenarios/scenarios-service';
import type { StoredScenario } from '$lib/scenarios/saved-scenario';

export const GET: RequestHandler = async ({ url, request }) => {
	const started = performance.now();
	const { dataset } = await loadServerAnalysis();
	const query = parseRankingQuery(url.searchParams, knownCodesOf(dataset.territories));
	if (!query.ok) return json({ erreur: query.erreur, details: query.details }, { status: 400 });
	const q = query.value;
	// The key holds `scenario` (serializeRankingQuery writes it when present): a saved scenario
	// never changes, so its answer may be kept; two scenarios never share one.
	return answersCache.respond(
		request,
		`/api/classement?${serializeRankingQuery(q)}`,
		API_CACHE_CONTROL,
		() => answer(q),
		started
	);
};

/** French error answer `{ erreur, details }` (not cached: only 200s are). */
const refusal = (status: number, message: string) =>
	json({ erreur: message, details: [message] }, { status });

/** The saved scenario a query names, or the French answer when there is none to count. */
async function storedScenario(id: string): Promise<StoredScenario | Response> {
	const stored = await getScenarioService()
		.get(id)
		.catch((error: unknown) => {
			console.error('Lecture du scénario impossible :', error);
			return 'unavailable' as const;
		});
	if (stored === 'unavailable') return refusal(503, SCENARIOS_UNAVAILABLE);
	if (stored === null) {
		return refusal(
			404,
			`Aucun scénario enregistré sous l’identifiant « ${id.slice(0, 40)} » : vérifiez le lien, ou demandez le classement sans « scenario ».`
		);
	}
	return stored;
}

/** The answer to a valid query (computed once per normalised query, see GET). */
async function answer(q: RankingQuery): Promise<Response | CachedAnswer> {
	const national = await loadServerAnalysis();
	if (!isHeavyRankingQuery(q, national.dataset.communes)) {
		return rankingAnswer(q, nationalBasis(national), national.dataset.communeByCode);
	}
	let scenario: StoredScenario | null = null;
	if (q.scenario !== null) {
		const stored = await storedScenario(q.scenario);
		if (stored instanceof Response) return stored;
		scenario = stored;
	}
	try {
		return await runServerTask('classement', { query: q, scenario });
	} catch (error) {
		return poolFailureResponse(error, 'Le classement');
	}
}
