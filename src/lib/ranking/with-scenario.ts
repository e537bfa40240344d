/**
 * The link from the simulation tab and the imported places to the ranking tab (issue 6: "the
 * ranking and accessibility are updated with the proposed sites"; issue 12: imported places "count
 * in accessibility, ranking, siting"): the places a simulation result adds and removes, and the
 * places the user imported, in the form the ranking worker recomputes the analysis with, and the
 * French note the tab shows.
 */
import { formatInteger } from '$lib/format/number';
import type { ImportedPlace } from '$lib/places-import/imported-place';
import {
	describeImportedSupply,
	importedPlacesKey,
	mergeImportedMediators
} from '$lib/places-import/imported-supply';
import type { Feature, Point } from 'geojson';
import type { MediatorProperties } from '$lib/territory/artifacts';
import { NEW_SITE_SUPPLY, type ScenarioLevel, type SimulationResult } from '$lib/siting/scenario';
import { parentCode, type CommuneRecord, type Level } from '$lib/territory/commune';

/** A new site of a deployment scenario (issue 6), as the ranking adds it to the supply. */
export interface ScenarioSite {
	/** Site token (see `siteToken`), unique within the scenario. */
	id: string;
	nom: string;
	/** COG 2026 code of the site's commune. */
	commune: string;
	/** Position, WGS84 degrees (the commune centre for a commune site). */
	lon: number;
	lat: number;
}

/**
 * The places a deployment scenario adds and removes, and the user's imported places (issue 12);
 * the ranking is recomputed with them.
 */
export interface RankingScenario {
	/** Identifies the scenario (same key, same places): the worker caches one analysis per key. */
	key: string;
	added: ScenarioSite[];
	/** Ids of existing places taken out. */
	removed: string[];
	/** Places imported from a file, counted as existing places (`imported-supply.ts`); absent: none. */
	imported?: ImportedPlace[];
}

/** What a ranking with a scenario counts (the tab's note, the API's metadata). */
export interface ScenarioSummary {
	added: number;
	removed: number;
	/** Imported places counted (« données importées »), and how many replace a known place. */
	imported: number;
	replaced: number;
}

/**
 * The mediation places of a scenario: the real ones with the imported places counted
 * (`mergeImportedMediators`: added, or replacing their duplicate), without the removed places, plus
 * one conseiller numérique post (effectif 1, as the simulation's `NEW_SITE_SUPPLY`) per new site,
 * placed at the site's commune centre.
 */
export function scenarioMediators(
	mediators: readonly Feature<Point, MediatorProperties>[],
	scenario: RankingScenario
): Feature<Point, MediatorProperties>[] {
	const removed = new Set(scenario.removed);
	const existing = mergeImportedMediators(mediators, scenario.imported ?? []);
	const kept = existing.filter((f) => !removed.has(f.properties.id));
	const added = scenario.added.map((site): Feature<Point, MediatorProperties> => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [site.lon, site.lat] },
		properties: {
			id: `scenario-${site.id}`,
			type: 'conseiller-numerique-poste',
			nom: site.nom,
			adresse: null,
			commune: site.commune,
			located: 'commune',
			source: 'scenario',
			date: null,
			horaires: null,
			effectif: NEW_SITE_SUPPLY
		}
	}));
	return [...kept, ...added];
}

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
 * What a deployment scenario changes, in French.
 * @example describePostsAndRemovals(10, 1) // '10 postes ajoutés, 1 lieu retiré'
 */
export function describePostsAndRemovals(added: number, removed: number): string {
	return `${plural(added, 'poste ajouté', 'postes ajoutés')}, ${plural(removed, 'lieu retiré', 'lieux retirés')}`;
}

/**
 * The French note of a ranking that includes a scenario (simulated posts, imported places or both).
 * @example describeRankingScenario({ added: 10, removed: 1, imported: 0, replaced: 0 }) // 'Classement avec le scénario de déploiement : 10 postes ajoutés, 1 lieu retiré'
 */
export function describeRankingScenario(summary: ScenarioSummary): string {
	const parts: string[] = [];
	if (summary.added > 0 || summary.removed > 0) {
		parts.push(
			`le scénario de déploiement : ${describePostsAndRemovals(summary.added, summary.removed)}`
		);
	}
	if (summary.imported > 0) parts.push(`vos lieux importés : ${describeImportedSupply(summary)}`);
	return `Classement avec ${parts.join(' et ')}`;
}

/** Plural nouns of the levels in a sentence. */
const TERRITORY_NOUNS: Record<Level, string> = {
	commune: 'communes',
	epci: 'intercommunalités',
	departement: 'départements',
	region: 'régions'
};

/**
 * How many of a simulation's new sites (proposed or added by hand) fall in each territory of the
 * ranking's level: the ranking marks those rows, so a planner sees whether the posts go to its top
 * territories (issue 15, « one story »). Sites of an unknown commune are left out.
 * @example proposedSitesByTerritory(result.sites, lookup.communes, 'departement').get('80') // 5
 */
export function proposedSitesByTerritory(
	sites: readonly { code_commune: string }[],
	communes: ReadonlyMap<string, CommuneRecord>,
	level: Level
): Map<string, number> {
	const counts = new Map<string, number>();
	for (const site of sites) {
		const commune = communes.get(site.code_commune);
		const code = commune ? parentCode(commune, level) : null;
		if (code !== null) counts.set(code, (counts.get(code) ?? 0) + 1);
	}
	return counts;
}

/**
 * The French sentence over the ranking when a simulation placed sites: how many, in how many of the
 * level's territories, and how their rows are marked.
 * @example describeProposedSites(5, 3, 'commune') // 'Les 5 postes de la simulation tombent dans 3 communes (lignes marquées « + postes simulés »).'
 */
export function describeProposedSites(sites: number, territories: number, level: Level): string {
	const levelNoun = TERRITORY_NOUNS[level];
	const posts = sites > 1 ? `Les ${formatInteger(sites)} postes` : 'Le poste';
	const verb = sites > 1 ? 'tombent' : 'tombe';
	const where =
		territories > 1 ? `${formatInteger(territories)} ${levelNoun}` : 'un seul territoire';
	return `${posts} de la simulation ${verb} dans ${where} (lignes marquées « + postes simulés »).`;
}

/** The mark of a ranking row holding simulated sites. @example proposedSitesMark(2) // '+2 postes simulés' */
export function proposedSitesMark(count: number): string {
	return `+${formatInteger(count)} ${count > 1 ? 'postes simulés' : 'poste simulé'}`;
}

/**
 * The simulation territory to open from a ranking row: the row itself for an EPCI, a département
 * or a région, the commune's EPCI for a commune (the finest level the simulation takes); null for
 * one of the few communes outside any EPCI.
 * @example simulationTerritoryOf({ level: 'commune', code: '23096' }, lookup.communes) // { level: 'epci', code: '242300010' }
 */
export function simulationTerritoryOf(
	row: { level: Level; code: string },
	communes: ReadonlyMap<string, CommuneRecord>
): { level: Exclude<ScenarioLevel, 'france'>; code: string } | null {
	if (row.level !== 'commune') return { level: row.level, code: row.code };
	const epci = communes.get(row.code)?.epci;
	return epci ? { level: 'epci', code: epci } : null;
}
