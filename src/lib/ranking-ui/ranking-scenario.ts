/**
 * The link from the simulation tab to the ranking tab (issue 6: "the ranking and accessibility are
 * updated with the proposed sites"): the places a simulation result adds and removes, in the form
 * the ranking worker recomputes the analysis with, and the French note the tab shows.
 */
import { formatInteger } from '$lib/format/number';
import type { SimulationResult } from '$lib/siting/scenario';
import type { RankingScenario } from './ranking-protocol';

/**
 * The scenario of a simulation result: its new sites (proposed and added by hand) and the existing
 * places it removes. Null without a result or when it changes nothing.
 * @example rankingScenarioOf(result)?.added.length // 10 for a 10-site proposal
 */
export function rankingScenarioOf(result: SimulationResult | null): RankingScenario | null {
	if (!result) return null;
	const added = result.sites.map((s) => ({
		id: s.id,
		nom: s.nom,
		commune: s.code_commune,
		lon: s.lon,
		lat: s.lat
	}));
	const removed = result.lieux_retires.map((p) => p.id);
	if (added.length === 0 && removed.length === 0) return null;
	// Same places, same key: the worker reuses its analysis (site ids already encode positions).
	const key = `${added.map((s) => s.id).join(',')}|${[...removed].sort().join(',')}`;
	return { key, added, removed };
}

const plural = (n: number, one: string, many: string) =>
	`${formatInteger(n)} ${n > 1 ? many : one}`;

/**
 * The French note of a ranking that includes a scenario.
 * @example describeRankingScenario(10, 1) // 'Classement avec le scénario de déploiement : 10 postes ajoutés, 1 lieu retiré'
 */
export function describeRankingScenario(added: number, removed: number): string {
	return `Classement avec le scénario de déploiement : ${plural(added, 'poste ajouté', 'postes ajoutés')}, ${plural(removed, 'lieu retiré', 'lieux retirés')}`;
}
