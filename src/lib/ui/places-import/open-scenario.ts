/**
 * Open a saved scenario in the dashboard (`/?…&scenario=<id>`): its imported places come back into
 * the mediators layer; the rest of its state is in the URL the scenario page links to.
 */
import type { StoredScenario } from '$lib/scenarios/saved-scenario';
import type { MediatorLayer } from '$lib/ui/dashboard/mediator-layer.svelte';
import { formatInteger } from '$lib/format/number';

/**
 * Fetch scenario `id` and load its imported places into `layer`.
 * @returns a French notice saying what was opened, or why not
 */
export async function openSavedScenario(
	id: string,
	apiUrl: string,
	fetcher: typeof fetch,
	layer: MediatorLayer
): Promise<string> {
	try {
		const response = await fetcher(apiUrl);
		const body = (await response.json().catch(() => null)) as
			(StoredScenario & { erreur?: string }) | null;
		if (!response.ok || !body || !Array.isArray(body.importedPlaces)) {
			return body?.erreur ?? `Scénario « ${id} » introuvable (erreur ${response.status}).`;
		}
		layer.setImported(body.importedPlaces, `scénario « ${body.name} »`);
		// Opening is not an edit: nothing to undo.
		layer.previousImported = null;
		return `Scénario « ${body.name} » ouvert : ${formatInteger(body.importedPlaces.length)} lieux importés (données importées).`;
	} catch {
		return `Le scénario « ${id} » n’a pas pu être chargé : le serveur ne répond pas.`;
	}
}
