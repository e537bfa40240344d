import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { copyOfScenario } from '$lib/scenarios/saved-scenario';
import { getScenarioService, SCENARIOS_UNAVAILABLE } from '$lib/server/scenarios/scenarios-service';

export const load: PageServerLoad = async ({ params }) => {
	const scenario = await getScenarioService().get(params.id);
	if (scenario === 'unavailable') {
		error(503, SCENARIOS_UNAVAILABLE);
	}
	if (!scenario) error(404, 'Aucun scénario enregistré sous cet identifiant.');
	return { scenario };
};

export const actions: Actions = {
	/**
	 * « Dupliquer » as a form action: it works before the page hydrates and without JavaScript,
	 * and answers failures in French on the same page (nothing is lost, the original is unchanged).
	 */
	duplicate: async ({ params, getClientAddress }) => {
		const service = getScenarioService();
		const scenario = await service.get(params.id);
		if (scenario === 'unavailable') {
			return fail(503, {
				erreur: SCENARIOS_UNAVAILABLE
			});
		}
		if (!scenario) return fail(404, { erreur: 'Aucun scénario enregistré sous cet identifiant.' });
		let outcome;
		try {
			outcome = await service.save(copyOfScenario(scenario), getClientAddress());
		} catch (failure) {
			console.error('Duplication du scénario impossible :', failure);
			return fail(503, {
				erreur: 'Le scénario n’a pas pu être dupliqué : réessayez dans un instant.'
			});
		}
		if (!outcome.ok) return fail(outcome.status, { erreur: outcome.erreur });
		redirect(303, `/scenario/${outcome.scenario.id}`);
	}
};
