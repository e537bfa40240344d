/**
 * GET /api/scenarios/<id> — the saved scenario as stored; an unknown id gets a French 404.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getScenarioService, SCENARIOS_UNAVAILABLE } from '$lib/server/scenarios/scenarios-service';

export const GET: RequestHandler = async ({ params }) => {
	const scenario = await getScenarioService()
		.get(params.id)
		.catch((error: unknown) => {
			console.error('Lecture du scénario impossible :', error);
			return 'unavailable' as const;
		});
	if (scenario === 'unavailable') {
		const message = SCENARIOS_UNAVAILABLE;
		return json({ erreur: message, details: [message] }, { status: 503 });
	}
	if (!scenario) {
		const message = `Aucun scénario enregistré sous l’identifiant « ${params.id.slice(0, 40)} ».`;
		return json({ erreur: message, details: [message] }, { status: 404 });
	}
	// Saved scenarios never change: caches may keep them.
	return json(scenario, { headers: { 'cache-control': 'public, max-age=3600, immutable' } });
};
