/**
 * A saved scenario's deployment simulation, as its fiche runs it (the parameters and hand edits
 * saved with it), turned into the places the ranking counts: the fiche, the browser's ranking and
 * `GET /api/classement?scenario=<id>` then count the same posts (issue 12).
 */
import { analyseTerritories, type TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import { describePostsAndRemovals, scenarioMediators } from '$lib/ranking/with-scenario';
import type { StoredScenario } from '$lib/scenarios/saved-scenario';
import { readReportScenario } from './report-scenario';
import { savedScenarioUrl } from './report-saved-scenario';

export interface SavedScenarioPosts {
	/** The analysis with the simulated posts added and the removed places left out. */
	analysis: TerritoryAnalysis;
	added: number;
	removed: number;
	/** « simulation enregistrée : 5 postes ajoutés, 0 lieu retiré ». */
	text: string;
}

/**
 * The scenario's simulated posts counted on top of `analysis` (the scenario's own, with its
 * imported places); null when it saved no simulation, or one that adds and removes nothing or
 * cannot run any more (its fiche says why).
 */
export function savedScenarioPosts(
	scenario: Pick<StoredScenario, 'id' | 'parameters'>,
	analysis: TerritoryAnalysis
): SavedScenarioPosts | null {
	// Only the saved parameters matter: the base of the URL is never read.
	const url = savedScenarioUrl(new URL('http://atlas.invalid/'), scenario.parameters);
	const simulation = readReportScenario(url, analysis);
	if (simulation.status !== 'done') return null;
	const { sites, lieuxRetires } = simulation.result;
	if (sites.length === 0 && lieuxRetires.length === 0) return null;
	const mediators = scenarioMediators(analysis.inputs.mediators, {
		key: scenario.id,
		added: sites.map((s) => ({
			id: s.id,
			nom: s.nom,
			commune: s.code_commune,
			lon: s.lon,
			lat: s.lat
		})),
		removed: lieuxRetires.map((p) => p.id)
	});
	return {
		analysis: analyseTerritories({ ...analysis.inputs, mediators }),
		added: sites.length,
		removed: lieuxRetires.length,
		text: `simulation enregistrée : ${describePostsAndRemovals(sites.length, lieuxRetires.length)}`
	};
}
