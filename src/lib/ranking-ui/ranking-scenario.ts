/**
 * The link from the simulation tab and the imported places to the ranking tab (issue 6: "the
 * ranking and accessibility are updated with the proposed sites"; issue 12: imported places "count
 * in accessibility, ranking, siting"): the places a simulation result adds and removes, and the
 * places the user imported, in the form the ranking worker recomputes the analysis with, and the
 * French note the tab shows.
 */
import { formatInteger } from '$lib/format/number';
import type { ImportedPlace } from '$lib/places-import/import-places';
import { describeImportedSupply, importedPlacesKey } from '$lib/places-import/imported-supply';
import type { SimulationResult } from '$lib/siting/scenario';
import type { RankedPage, RankingScenario } from './ranking-protocol';

/**
 * The scenario of a simulation result and of the imported places: the result's new sites
 * (proposed and added by hand), the existing places it removes, and the imported places. Null
 * when there is neither a result that changes something nor an imported place.
 * @example rankingScenarioOf(result)?.added.length // 10 for a 10-site proposal
 */
export function rankingScenarioOf(
	result: SimulationResult | null,
	imported: readonly ImportedPlace[] = []
): RankingScenario | null {
	const added = (result?.sites ?? []).map((s) => ({
		id: s.id,
		nom: s.nom,
		commune: s.code_commune,
		lon: s.lon,
		lat: s.lat
	}));
	const removed = (result?.lieux_retires ?? []).map((p) => p.id);
	if (added.length === 0 && removed.length === 0 && imported.length === 0) return null;
	// Same places, same key: the worker reuses its analysis (site ids already encode positions).
	const key = `${added.map((s) => s.id).join(',')}|${[...removed].sort().join(',')}|${importedPlacesKey(imported)}`;
	return imported.length > 0
		? { key, added, removed, imported: [...imported] }
		: { key, added, removed };
}

const plural = (n: number, one: string, many: string) =>
	`${formatInteger(n)} ${n > 1 ? many : one}`;

/**
 * The French note of a ranking that includes a scenario (simulated posts, imported places or both).
 * @example describeRankingScenario({ added: 10, removed: 1, imported: 0, replaced: 0 }) // 'Classement avec le scénario de déploiement : 10 postes ajoutés, 1 lieu retiré'
 */
export function describeRankingScenario(summary: NonNullable<RankedPage['scenario']>): string {
	const parts: string[] = [];
	if (summary.added > 0 || summary.removed > 0) {
		parts.push(
			`le scénario de déploiement : ${plural(summary.added, 'poste ajouté', 'postes ajoutés')}, ${plural(summary.removed, 'lieu retiré', 'lieux retirés')}`
		);
	}
	if (summary.imported > 0) parts.push(`vos lieux importés : ${describeImportedSupply(summary)}`);
	return `Classement avec ${parts.join(' et ')}`;
}
