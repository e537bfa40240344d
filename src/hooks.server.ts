import type { HandleServerError, ServerInit } from '@sveltejs/kit';
import { loadServerAnalysis } from '$lib/server/analysis';
import { heavyTaskPool } from '$lib/server/heavy-tasks';

/**
 * Warm the shared analysis (needs estimate, accessibility, ranking rows) once the server is up, so
 * the first visitor of a report or an API does not wait several seconds for it.
 */
export const init: ServerInit = () => {
	setTimeout(() => {
		loadServerAnalysis()
			.then(({ analysis }) => {
				void analysis.access;
				for (const level of ['commune', 'epci', 'departement', 'region'] as const) {
					analysis.preparedAt(level);
				}
				// Then the simulation workers, which load their own copy of the data: started after
				// this thread's warm-up so that the first pages do not compete with them for the CPU.
				return heavyTaskPool();
			})
			.catch((error) => console.error('Préchargement des données impossible :', error));
	}, 0);
};

/** Unexpected errors: logged on the server, a French message for the visitor, never a stack trace. */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	return {
		message:
			status === 404
				? 'Page introuvable.'
				: 'Une erreur inattendue est survenue sur le serveur. Réessayez dans un instant.'
	};
};
