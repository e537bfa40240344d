import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getScenarioService } from '$lib/server/scenarios/scenarios-service';

export const load: PageServerLoad = async ({ params }) => {
	const scenario = await getScenarioService().get(params.id);
	if (scenario === 'unavailable') {
		error(503, 'La base des scénarios est indisponible pour le moment : réessayez plus tard.');
	}
	if (!scenario) error(404, 'Aucun scénario enregistré sous cet identifiant.');
	return { scenario };
};
