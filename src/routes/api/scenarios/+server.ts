/**
 * POST /api/scenarios — save a named scenario (territory, objective, parameters, imported places,
 * hand edits, notes) and get its short link. Answers `201 { id, url }`; bad bodies a French
 * 400/413, too many saves from one client a 429 with `Retry-After`, never a 500.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { readJsonBody } from '$lib/server/json-body';
import { MAX_SCENARIO_BYTES } from '$lib/scenarios/saved-scenario';
import { getScenarioService } from '$lib/server/scenarios/scenarios-service';

export const POST: RequestHandler = async ({ request, getClientAddress }) => {
	const body = await readJsonBody(request, MAX_SCENARIO_BYTES);
	if (!body.ok) {
		return json({ erreur: body.erreur, details: body.details }, { status: body.status });
	}
	let outcome;
	try {
		outcome = await getScenarioService().save(body.value, getClientAddress());
	} catch (error) {
		console.error('Enregistrement du scénario impossible :', error);
		const message = 'Le scénario n’a pas pu être enregistré : réessayez dans un instant.';
		return json({ erreur: message, details: [message] }, { status: 503 });
	}
	if (!outcome.ok) {
		return json(
			{ erreur: outcome.erreur, details: outcome.details },
			{
				status: outcome.status,
				headers: outcome.retryAfter ? { 'retry-after': String(outcome.retryAfter) } : {}
			}
		);
	}
	const { id } = outcome.scenario;
	return json({ id, url: `/scenario/${id}` }, { status: 201 });
};
