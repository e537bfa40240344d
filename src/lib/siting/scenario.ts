/**
 * The scenario layer of the siting engine: from the dataset (communes with their estimated people
 * éloignés, mediation places) and a planner's request (territory, N, objective, coverage distance,
 * candidate rule, hand edits) to the engine's points, and back to the result shown by the simulation
 * panel and returned by `POST /api/simulation` (one JSON shape for both).
 *
 * Definitions (also returned in `methode`, so the UI and the API say the same thing):
 * - demand: the communes of the territory (those with a centre), each weighted by its estimated
 *   people éloignés du numérique (needs model, persons aged 15+). Demand outside the territory is not
 *   the planner's responsibility and is left out of the objective and the figures;
 * - existing places: every mediation place of `mediateurs.geojson`, all five types (France services,
 *   conseiller numérique places and posts, Aidants Connect structures, other mediation places), in
 *   the whole country: a place across the territory's border still serves its communes, and the
 *   nearest place of a commune may be farther than the coverage distance (mean distance). With the
 *   `france_services_sans_conseiller` rule the France services without a conseiller numérique are
 *   not counted as places (see `CANDIDATE_RULE_TEXT`);
 * - candidates: see `CandidateRuleId`;
 * - distances: great-circle km between commune centres and places (see `nearest.ts`);
 * - accessibility: the E2SFCA score of `src/lib/access` (équivalents conseiller pour 10 000 personnes
 *   éloignées), each new site adding one conseiller (`NEW_SITE_SUPPLY`), averaged over the
 *   territory's communes weighted by their people éloignés.
 */
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import { ACCESS_SCORE_UNIT, computeAccessibility } from '$lib/access/e2sfca';
import {
	catchmentRadiusKm,
	decayWeight,
	DEFAULT_ACCESS_PARAMETERS,
	MAX_SUPPLY_PER_PLACE
} from '$lib/access/parameters';
import { gapPercent } from './bounds';
import { SitingCancelled } from './control';
import type { MilpSolver } from './exact';
import {
	CAPACITY_SWAP_PAIR_VISITS,
	capacityLagrangianBound,
	chooseByCapacity,
	improveCapacityBySwaps,
	solveCapacityExactly,
	describeCapacityStep,
	equalShareTarget,
	type CapacityModel,
	type CapacityStep
} from './capacity';
import type { DemandPoint as AccessDemand, SupplyPoint } from '$lib/access/points';
import { formatDecimal, formatInteger } from '$lib/format/number';
import type { MediatorType, TerritoryEntry, TerritoryIndex } from '$lib/territory/artifacts';
import { evaluateScenario, summariseAccess } from './figures';
import type {
	CandidateSite,
	DemandPoint,
	ExistingPlace,
	SitingControl,
	SitingDiagnostics,
	SitingFigures,
	ScenarioObjective
} from './model';
import { collectWithinKm, distanceKm, indexPoints, nearestDistancesKm } from './nearest';
import { DEFAULT_COVERAGE_KM, SITES_LIMITS } from './params';
import { proposeSites } from './propose-sites';
import { accessStandingOf, describeSiteReason, type AccessStanding } from './site-reasons';

// ---------------------------------------------------------------------------------------------
// Data

/**
 * The columns of the dataset the scenarios need, one entry per commune / per place, in the order
 * of `communes.json` / `mediateurs.geojson`. Plain arrays and typed arrays only, so one structured
 * clone carries it to a Web Worker (≈ 3 MB) instead of re-reading and re-estimating everything.
 */
export interface SitingDataset {
	communes: {
		code: string[];
		nom: string[];
		dep: string[];
		reg: string[];
		epci: (string | null)[];
		/** Population municipale, persons. */
		population: Float64Array;
		/** Commune centre, WGS84 degrees; NaN when the commune has no centre. */
		lon: Float64Array;
		lat: Float64Array;
		/** Estimated people éloignés du numérique, persons; NaN when the model has no estimate. */
		eloignes: Float64Array;
		/** E2SFCA score with the existing places (équivalents conseiller pour 10 000 personnes éloignées); NaN without a centre. */
		accessScore: Float64Array;
	};
	places: {
		id: string[];
		type: MediatorType[];
		nom: string[];
		/** COG commune code, or null when the source gives none. */
		commune: (string | null)[];
		lon: Float64Array;
		lat: Float64Array;
		/** Équivalents conseiller of the place (access/parameters.ts `DEFAULT_SUPPLY_RULES`). */
		supply: Float64Array;
	};
	territories: TerritoryIndex;
}

/**
 * The dataset of the scenarios, read from the shared analysis (estimates, supply, E2SFCA scores are
 * not recomputed here).
 */
export function buildSitingDataset(analysis: TerritoryAnalysis): SitingDataset {
	const communes = analysis.inputs.communes;
	const estimates = analysis.estimateByCode;
	const access = analysis.access;
	const supply = analysis.supply;
	const mediators = analysis.inputs.mediators;
	const nan = (value: number | null | undefined) =>
		value === null || value === undefined || !Number.isFinite(value) ? NaN : value;
	return {
		communes: {
			code: communes.map((c) => c.code),
			nom: communes.map((c) => c.nom),
			dep: communes.map((c) => c.dep),
			reg: communes.map((c) => c.reg),
			epci: communes.map((c) => c.epci),
			population: Float64Array.from(communes, (c) => c.population),
			lon: Float64Array.from(communes, (c) => nan(c.lon)),
			lat: Float64Array.from(communes, (c) => nan(c.lat)),
			eloignes: Float64Array.from(communes, (c) => nan(estimates.get(c.code)?.eloignes)),
			accessScore: Float64Array.from(communes, (c) => nan(access.get(c.code)?.score))
		},
		places: {
			id: supply.map((s) => s.id),
			type: supply.map((s) => s.type),
			nom: mediators.map((m) => m.properties.nom),
			commune: mediators.map((m) => m.properties.commune),
			lon: Float64Array.from(supply, (s) => s.lon),
			lat: Float64Array.from(supply, (s) => s.lat),
			supply: Float64Array.from(supply, (s) => s.supply)
		},
		territories: analysis.inputs.territories
	};
}

/** Lookups built once per dataset (a few tens of ms) and shared by every scenario. */
export interface SitingContext {
	readonly dataset: SitingDataset;
	readonly communeIndex: ReadonlyMap<string, number>;
	readonly placeIndex: ReadonlyMap<string, number>;
	/** Territory entries by `level:code`. */
	readonly territoryEntries: ReadonlyMap<string, TerritoryEntry>;
	/** kd-tree of the commune centres; ids index `centreCommunes`. */
	readonly communeTree: KDBush;
	readonly centreCommunes: Int32Array;
	/** 1 for the France services with no conseiller numérique nearby (see `CONSEILLER_NEARBY_KM`). */
	readonly withoutConseiller: Uint8Array;
}

/**
 * A France services "has a conseiller" when a conseiller numérique place of activity or post is in
 * the same commune or within this distance, km: 1 km is a short walk (≈ 15 minutes), and covers the
 * places the sources put at a slightly different address for the same building or street.
 */
export const CONSEILLER_NEARBY_KM = 1;

const CONSEILLER_TYPES: readonly MediatorType[] = [
	'conseiller-numerique-lieu',
	'conseiller-numerique-poste'
];

/** Build the lookups of a dataset. */
export function createSitingContext(dataset: SitingDataset): SitingContext {
	const { communes, places } = dataset;
	const centres: number[] = [];
	for (let i = 0; i < communes.code.length; i++) {
		if (Number.isFinite(communes.lon[i]) && Number.isFinite(communes.lat[i])) centres.push(i);
	}
	const communeTree = new KDBush(Math.max(1, centres.length), 64, Float64Array);
	for (const i of centres) communeTree.add(communes.lon[i], communes.lat[i]);
	if (centres.length === 0) communeTree.add(0, 0);
	communeTree.finish();

	const territoryEntries = new Map<string, TerritoryEntry>();
	for (const entry of [
		...dataset.territories.regions,
		...dataset.territories.departements,
		...dataset.territories.epci
	]) {
		territoryEntries.set(`${entry.level}:${entry.code}`, entry);
	}

	// France services with a conseiller numérique place or post in the same commune or within 1 km.
	const conseillers: number[] = [];
	const conseillerCommunes = new Set<string>();
	for (let j = 0; j < places.id.length; j++) {
		if (!CONSEILLER_TYPES.includes(places.type[j])) continue;
		conseillers.push(j);
		const commune = places.commune[j];
		if (commune) conseillerCommunes.add(commune);
	}
	const conseillerIndex = indexPoints(
		conseillers.map((j) => ({ lon: places.lon[j], lat: places.lat[j] }))
	);
	const withoutConseiller = new Uint8Array(places.id.length);
	for (let j = 0; j < places.id.length; j++) {
		if (places.type[j] !== 'france-services') continue;
		const commune = places.commune[j];
		if (commune && conseillerCommunes.has(commune)) continue;
		const near =
			conseillers.length > 0
				? around(conseillerIndex.tree, places.lon[j], places.lat[j], 1, CONSEILLER_NEARBY_KM)
				: [];
		if (near.length === 0) withoutConseiller[j] = 1;
	}

	return {
		dataset,
		communeIndex: new Map(communes.code.map((code, i) => [code, i])),
		placeIndex: new Map(places.id.map((id, j) => [id, j])),
		territoryEntries,
		communeTree,
		centreCommunes: Int32Array.from(centres),
		withoutConseiller
	};
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** Territories a scenario can cover: the whole country or one région, département or EPCI. */
export const SCENARIO_LEVELS = ['france', 'region', 'departement', 'epci'] as const;
export type ScenarioLevel = (typeof SCENARIO_LEVELS)[number];

/** French labels of the scenario levels. */
export const SCENARIO_LEVEL_LABELS: Record<ScenarioLevel, string> = {
	france: 'France entière',
	region: 'Région',
	departement: 'Département',
	epci: 'Intercommunalité (EPCI)'
};

/** Shapes of the codes (COG 2026): région 2 digits, département 2 digits / 2A / 2B / 97x, EPCI SIREN. */
export const SCENARIO_CODE_PATTERN: Record<Exclude<ScenarioLevel, 'france'>, RegExp> = {
	region: /^\d{2}$/,
	departement: /^(\d{2}|2[AB]|97\d)$/,
	epci: /^\d{9}$/
};

export type ScenarioTerritory =
	| { level: 'france'; code: null }
	| {
			level: Exclude<ScenarioLevel, 'france'>;
			code: string;
	  };

/**
 * Where a new post may open:
 * - `toutes`: the centre of every commune of the territory;
 * - `population_min`: the centre of the communes of at least `populationMin` inhabitants
 *   (population municipale), e.g. to keep to bourgs that have premises and transport;
 * - `france_services_sans_conseiller`: the France services of the territory with no conseiller
 *   numérique place or post in the same commune or within `CONSEILLER_NEARBY_KM` (the France services
 *   network hosts conseillers; a France services without one does not yet offer the mediation being
 *   planned, so under this rule those France services do not count as existing places, everywhere,
 *   and the "before" figures say so).
 */
export const CANDIDATE_RULES = [
	'toutes',
	'population_min',
	'france_services_sans_conseiller'
] as const;
export type CandidateRuleId = (typeof CANDIDATE_RULES)[number];

export interface CandidateRule {
	rule: CandidateRuleId;
	/** Inhabitants, integer; only for `population_min`, else null. */
	populationMin: number | null;
}

/** Population threshold of `population_min`, inhabitants (Paris has 2.1 million). */
export const POPULATION_MIN_LIMITS = { min: 1, max: 3_000_000 } as const;

/** Default threshold offered by the form for `population_min`, inhabitants (a bourg with services). */
export const DEFAULT_POPULATION_MIN = 1_000;

/** Default N of the form and of a URL without `postes`: a round number, no norm behind it. */
export const DEFAULT_SCENARIO_N = 10;

/** Supply of a new site in the accessibility measure: one conseiller, équivalents conseiller. */
export const NEW_SITE_SUPPLY = 1;

/** A hand-added point farther than this from every commune centre is refused (a click at sea), km. */
export const MAX_POINT_TO_COMMUNE_KM = 100;

/** Most hand-added sites, kept proposed sites and removed places of one scenario (each). */
export const MAX_SCENARIO_EDITS = SITES_LIMITS.max;

/** The parameters of a simulation (validated: see `scenario-request.ts`, `scenario-url.ts`). */
export interface ScenarioParams {
	territory: ScenarioTerritory;
	/** New sites to propose, 1–500. */
	n: number;
	objective: ScenarioObjective;
	/** Coverage distance, km (0–200]. */
	coverageKm: number;
	candidates: CandidateRule;
}

/** Objective of a new simulation: capacity (see `capacity.ts`). */
export const DEFAULT_SCENARIO_OBJECTIVE: ScenarioObjective = 'capacite';

/** French names of the objectives, for users (form, notes). */
export const OBJECTIVE_LABELS: Record<ScenarioObjective, string> = {
	capacite: 'Renforcer là où chaque conseiller a le plus de personnes à accompagner',
	couverture: 'Couvrir le plus de personnes à moins de la distance choisie',
	distance: 'Rapprocher l’offre : distance moyenne la plus courte'
};

/** Defaults of everything but the territory. */
export function defaultScenarioParams(territory: ScenarioTerritory): ScenarioParams {
	return {
		territory,
		n: DEFAULT_SCENARIO_N,
		objective: DEFAULT_SCENARIO_OBJECTIVE,
		coverageKm: DEFAULT_COVERAGE_KM,
		candidates: { rule: 'toutes', populationMin: null }
	};
}

/**
 * A new site of a scenario: a commune centre, an existing place (e.g. a France services receiving a
 * conseiller) or a point clicked on the map.
 */
export type SiteRef =
	| { kind: 'commune'; code: string }
	| { kind: 'lieu'; id: string }
	| { kind: 'point'; lon: number; lat: number };

/** Hand edits of a scenario (the what-if part). */
export interface ScenarioEdits {
	/** Sites proposed by the engine and kept (re-evaluated as they are, without re-optimising). */
	proposed: SiteRef[];
	/** Sites added by hand. */
	added: SiteRef[];
	/** Ids of existing places taken out ("what if this place closed"). */
	removed: string[];
	/**
	 * Corrected number of conseillers of existing places ("this France services has one now", "this
	 * post ended"): the place's supply in the accessibility measure (équivalents conseiller).
	 * Optional so links and bodies written before it stay valid.
	 */
	conseillers?: CapacityEdit[];
}

/** One place's corrected number of conseillers. */
export interface CapacityEdit {
	id: string;
	/** Équivalents conseiller, 0–`MAX_CONSEILLERS_PER_PLACE` (decimals allowed: part-time posts). */
	conseillers: number;
}

/** Largest corrected number of conseillers of one place (the supply rules' own limit). */
export const MAX_CONSEILLERS_PER_PLACE = MAX_SUPPLY_PER_PLACE;

export const NO_EDITS: Readonly<ScenarioEdits> = Object.freeze({
	proposed: [],
	added: [],
	removed: [],
	conseillers: []
});

const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;
const POINT_TOKEN = /^(-?\d{1,3}(?:\.\d+)?)_(-?\d{1,2}(?:\.\d+)?)$/;

/**
 * The compact text of a site, used as its id in results and in the URL: a commune code (`02361`), a
 * place id (`fs-123`) or `lon_lat` with 5 decimals (≈ 1 m): `3.62410_49.90780`.
 */
export function siteToken(ref: SiteRef): string {
	switch (ref.kind) {
		case 'commune':
			return ref.code;
		case 'lieu':
			return ref.id;
		case 'point':
			return `${ref.lon.toFixed(5)}_${ref.lat.toFixed(5)}`;
	}
}

/**
 * Read a site token back (see `siteToken`): 5-character commune codes, `lon_lat` points, anything
 * else is a place id. Returns null for an empty token or a point out of WGS84 range.
 */
export function parseSiteToken(token: string): SiteRef | null {
	const text = token.trim();
	if (text === '') return null;
	if (COMMUNE_CODE.test(text.toUpperCase())) return { kind: 'commune', code: text.toUpperCase() };
	const point = POINT_TOKEN.exec(text);
	if (point) {
		const lon = Number(point[1]);
		const lat = Number(point[2]);
		if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
		return { kind: 'point', lon, lat };
	}
	return { kind: 'lieu', id: text };
}

// ---------------------------------------------------------------------------------------------
// Result (the JSON of the API and of the panel, French snake_case like the other endpoints)

/** Accessibility figures of the territory with one set of places. */
export interface SimulationFigures {
	/** Places located in the territory's communes (existing kept + new sites). */
	lieux: number;
	/** Communes of the territory with a centre (demand points). */
	communes: number;
	/** Estimated people éloignés of those communes, persons (1 decimal). */
	eloignes: number;
	/** People éloignés whose commune centre is within the coverage distance of a place, persons. */
	eloignes_couverts: number;
	/** eloignes_couverts / eloignes, % (2 decimals); null when eloignes is 0. */
	part_couverte_pct: number | null;
	/** People-weighted mean distance to the nearest place, km (3 decimals); null without any place. */
	distance_moyenne_km: number | null;
	/** Communes farther than the coverage distance from every place. */
	communes_non_couvertes: number;
	/** People éloignés living in them, persons. */
	eloignes_non_couverts: number;
	/** E2SFCA score weighted by the people éloignés of the communes (équivalents conseiller pour 10 000 personnes éloignées), 3 decimals. */
	accessibilite: number | null;
}

/** A new site of the scenario with what it brings. */
export interface SimulationSite {
	/** 1-based: hand-added sites first, then the proposed ones in greedy order. */
	rang: number;
	origine: 'proposition' | 'ajout';
	/** Site token (see `siteToken`), stable for the URL and the map. */
	id: string;
	/** Commune of the site (for a clicked point: the commune whose centre is nearest). */
	code_commune: string;
	nom: string;
	/** The existing place the site is at (France services candidates), else null. */
	lieu: { id: string; nom: string; type: MediatorType } | null;
	lon: number;
	lat: number;
	/** People éloignés newly within the coverage distance thanks to this site (after the sites ranked before), persons. */
	gain: number;
	/** Reduction of the territory's people-weighted mean distance to the nearest place, km. */
	gain_distance_moyenne_km: number;
	/** Reduction of Σ persons × km to the nearest place. */
	gain_personnes_km: number;
	/**
	 * Why here, in the ranking's words: the commune's people éloignés and mediation offer (E2SFCA,
	 * before the scenario) and its standing among the territory's communes; null for a point with
	 * no commune.
	 */
	pourquoi: string | null;
	/** Capacity objective only: what this post brings to people below the target (after the posts ranked before). */
	gain_capacite?: {
		/** Équivalents conseiller of the post that reach people below the target (≤ 1). */
		equivalents_conseiller: number;
		/** People éloignés whose accessibility reaches the target thanks to this post. */
		personnes_au_dessus_seuil: number;
		/** People éloignés below the target who gain accessibility. */
		personnes_aidees: number;
		/** Their need-weighted mean accessibility before and after (équivalents conseiller pour 10 000). */
		acces_moyen_avant: number;
		acces_moyen_apres: number;
		/** The gain in French words. */
		texte: string;
	};
}

/** Per-commune detail (map and ranking updates). */
export interface SimulationCommune {
	code: string;
	eloignes: number;
	distance_avant_km: number | null;
	distance_apres_km: number | null;
	accessibilite_avant: number | null;
	accessibilite_apres: number | null;
}

export interface SimulationResult {
	parametres: {
		niveau: ScenarioLevel;
		code: string | null;
		n: number;
		objectif: ScenarioObjective;
		distance_km: number;
		candidats: { regle: CandidateRuleId; population_min: number | null };
	};
	territoire: {
		niveau: ScenarioLevel;
		code: string | null;
		nom: string;
		/** Communes of the territory, with or without a centre. */
		communes: number;
		population: number;
		eloignes: number;
	};
	sites: SimulationSite[];
	lieux_retires: { id: string; nom: string; type: MediatorType; code_commune: string | null }[];
	/** Places whose number of conseillers was corrected (what-if), with the supply before and after. */
	lieux_corriges: {
		id: string;
		nom: string;
		type: MediatorType;
		code_commune: string | null;
		conseillers_avant: number;
		conseillers_apres: number;
	}[];
	/** Existing places (the real situation, for the rule's definition of a place). */
	avant: SimulationFigures;
	/** Existing places kept + new sites. */
	apres: SimulationFigures;
	/** True when the engine found no site that brings anything (`message` says why). */
	rien_a_proposer: boolean;
	/** French sentence when the proposal is empty or shorter than N, else null. */
	message: string | null;
	notices: string[];
	candidats: { regle: CandidateRuleId; description: string; nombre: number };
	lieux_existants: { description: string; nombre: number };
	methode: {
		demande: string;
		lieux: string;
		distance: string;
		objectif: string;
		accessibilite: string;
		gains: string;
	};
	/** How the optimiser worked; null when the scenario was only evaluated. */
	diagnostics: SitingDiagnostics | null;
	/**
	 * How far from the optimum the proposal can be: `prouvee` when proved optimal, else the largest
	 * gap (%) between its value and the best bound proved; null when the scenario was only evaluated.
	 */
	optimalite: { prouvee: boolean; ecart_max_pct: number; methode: string } | null;
	/** Capacity objective only: the target and the people below it before and after. */
	capacite?: {
		/** Target T, équivalents conseiller pour 10 000 personnes éloignées. */
		seuil: number;
		description: string;
		/** People éloignés of the territory below the target, before and after. */
		personnes_sous_seuil_avant: number;
		personnes_sous_seuil_apres: number;
		/** Need-weighted shortfall Σ D·max(0, T − A) / 10 000 (équivalents conseiller manquants), before and after. */
		manque_avant: number;
		manque_apres: number;
	};
	/** Per-commune detail, when asked for. */
	communes?: SimulationCommune[];
}

/** Outcome of a simulation: a result, refused parameters (every problem, in French), or cancelled. */
export type SimulationOutcome =
	| { status: 'done'; result: SimulationResult }
	| { status: 'invalid'; erreur: string; details: string[] }
	| { status: 'cancelled'; message: string };

export interface SimulationOptions {
	/** Add the per-commune detail (`communes`) to the result (default false). */
	detailCommunes?: boolean;
	/**
	 * What to do with a hand edit naming an unknown commune or place: `refuse` (the API: the request
	 * is invalid) or `ignore` (a shared link after a data update: drop it with a notice). Default refuse.
	 */
	unknownEdits?: 'refuse' | 'ignore';
	/** A loaded MILP solver (HiGHS, see `exact.ts`): coverage and distance runs are then certified. */
	solver?: MilpSolver;
	/** Time limit of the exact solve, seconds (default 2). */
	exactTimeLimitSeconds?: number;
}

// ---------------------------------------------------------------------------------------------
// Texts

const km = (value: number) => `${formatDecimal(value, Number.isInteger(value) ? 0 : 1)}\u00a0km`;

/** French description of a candidate rule. */
export function describeCandidateRule(rule: CandidateRule): string {
	switch (rule.rule) {
		case 'toutes':
			return 'Centres de toutes les communes du territoire.';
		case 'population_min':
			return `Centres des communes du territoire d’au moins ${formatInteger(rule.populationMin)} habitants (population municipale).`;
		case 'france_services_sans_conseiller':
			return `France services du territoire sans conseiller numérique (ni lieu d’activité ni poste) dans la même commune ni à moins de ${km(CONSEILLER_NEARBY_KM)}.`;
	}
}

/** French description of what counts as an existing place under a candidate rule. */
export function describeExistingPlaces(rule: CandidateRuleId): string {
	const all =
		'Tous les lieux de médiation connus (France services, lieux d’activité et postes de conseillers numériques, structures Aidants Connect, autres lieux de médiation), y compris hors du territoire, quelle que soit la règle des candidats';
	return rule === 'france_services_sans_conseiller'
		? `${all}. Avec cette règle, les France services sans conseiller numérique à proximité sont des sites à renforcer : dans « après », elles ne comptent comme lieux (couverture, distance) que si elles sont proposées.`
		: `${all}.`;
}

function methodTexts(params: ScenarioParams): SimulationResult['methode'] {
	return {
		demande:
			'Personnes de 15 ans ou plus éloignées du numérique (estimation du modèle de besoins), par commune du territoire, placées au centre de la commune. Les personnes hors du territoire ne comptent pas.',
		lieux: describeExistingPlaces(params.candidates.rule),
		distance:
			'Distance à vol d’oiseau entre le centre de la commune et le lieu le plus proche (la distance par la route est environ 1,3 fois plus longue).',
		objectif:
			params.objective === 'capacite'
				? `${OBJECTIVE_LABELS.capacite} : choisir les sites qui portent le plus de personnes éloignées vers un seuil d’accessibilité E2SFCA (maximiser Σ besoin × min(accessibilité, seuil), variante linéaire à seuil du problème d’égalité maximale d’accessibilité de Wang et Tang, 2013). Seuil : l’accessibilité moyenne du territoire si les postes financés étaient répartis exactement selon les besoins. Algorithme glouton paresseux, puis, à l’échelle d’un département ou d’un EPCI, programme linéaire en nombres entiers résolu par HiGHS ; l’écart maximal à l’optimum est prouvé par le solveur ou par la borne sous-modulaire (Nemhauser, Wolsey et Fisher, 1978).`
				: params.objective === 'couverture'
					? `Couverture maximale (Church et ReVelle, 1974) : choisir les sites qui mettent le plus de personnes éloignées à moins de ${km(params.coverageKm)} d’un lieu. Algorithme glouton paresseux puis échanges de sites et redémarrages.`
					: 'Distance moyenne minimale (p-médiane, Hakimi 1964) : choisir les sites qui rapprochent le plus les personnes éloignées de leur lieu le plus proche. Algorithme glouton paresseux puis échanges de sites et redémarrages.',
		accessibilite: `Accessibilité E2SFCA (Luo et Qi, 2009), en ${ACCESS_SCORE_UNIT}, moyenne des communes du territoire pondérée par leurs personnes éloignées ; chaque nouveau site compte pour ${formatInteger(NEW_SITE_SUPPLY)} conseiller.`,
		gains:
			params.objective === 'capacite'
				? 'Le gain d’un site compte, après les sites classés avant lui, les personnes éloignées qui passent au-dessus du seuil et l’accès moyen des personnes sous le seuil qu’il atteint.'
				: 'Le gain d’un site compte les personnes nouvellement à moins de la distance de couverture, après les sites classés avant lui : la somme des gains est le nombre de personnes nouvellement couvertes.'
	};
}

// ---------------------------------------------------------------------------------------------
// Territory, demand, places, candidates

interface ResolvedTerritory {
	level: ScenarioLevel;
	code: string | null;
	nom: string;
	/** All communes of the territory (indices into the dataset). */
	members: number[];
	/** Members with a centre: the demand points, in this order. */
	withCentre: number[];
	population: number;
	eloignes: number;
	unknownEstimates: number;
}

function territoryName(context: SitingContext, territory: ScenarioTerritory): string | null {
	if (territory.level === 'france') return 'France';
	return context.territoryEntries.get(`${territory.level}:${territory.code}`)?.nom ?? null;
}

function resolveTerritory(
	context: SitingContext,
	territory: ScenarioTerritory
): ResolvedTerritory | string {
	const nom = territoryName(context, territory);
	if (nom === null) {
		return `${SCENARIO_LEVEL_LABELS[territory.level].toLowerCase()} « ${territory.code} » inconnu(e) (codes du COG 2026)`;
	}
	const { communes } = context.dataset;
	const key: Record<Exclude<ScenarioLevel, 'france'>, (i: number) => string | null> = {
		region: (i) => communes.reg[i],
		departement: (i) => communes.dep[i],
		epci: (i) => communes.epci[i]
	};
	const members: number[] = [];
	const withCentre: number[] = [];
	let population = 0;
	let eloignes = 0;
	let unknownEstimates = 0;
	for (let i = 0; i < communes.code.length; i++) {
		if (territory.level !== 'france' && key[territory.level](i) !== territory.code) continue;
		members.push(i);
		population += communes.population[i];
		const e = communes.eloignes[i];
		if (Number.isFinite(e)) eloignes += e;
		else unknownEstimates++;
		if (Number.isFinite(communes.lon[i]) && Number.isFinite(communes.lat[i])) withCentre.push(i);
	}
	if (members.length === 0) return `le territoire « ${nom} » n’a aucune commune`;
	return {
		level: territory.level,
		code: territory.code,
		nom,
		members,
		withCentre,
		population,
		eloignes,
		unknownEstimates
	};
}

function demandOf(context: SitingContext, territory: ResolvedTerritory): DemandPoint[] {
	const { communes } = context.dataset;
	return territory.withCentre.map((i) => ({
		code: communes.code[i],
		lon: communes.lon[i],
		lat: communes.lat[i],
		weight: Number.isFinite(communes.eloignes[i]) ? communes.eloignes[i] : 0
	}));
}

/**
 * Places a candidate rule re-labels as sites to reinforce: with `france_services_sans_conseiller`,
 * the France services without a conseiller nearby. They are part of the present ("avant" is the same
 * whatever the rule) and leave the places of "après" like an edit, shown in a notice.
 */
function relabelledPlaces(context: SitingContext, rule: CandidateRuleId): number[] {
	if (rule !== 'france_services_sans_conseiller') return [];
	const out: number[] = [];
	for (let j = 0; j < context.withoutConseiller.length; j++) {
		if (context.withoutConseiller[j]) out.push(j);
	}
	return out;
}

function placePoint(context: SitingContext, j: number): ExistingPlace {
	const { places } = context.dataset;
	return { id: places.id[j], lon: places.lon[j], lat: places.lat[j] };
}

function candidatesOf(
	context: SitingContext,
	territory: ResolvedTerritory,
	rule: CandidateRule,
	removed: ReadonlySet<string>
): CandidateSite[] {
	const { communes, places } = context.dataset;
	if (rule.rule === 'france_services_sans_conseiller') {
		const inTerritory = new Set(territory.members.map((i) => communes.code[i]));
		const out: CandidateSite[] = [];
		for (let j = 0; j < places.id.length; j++) {
			const commune = places.commune[j];
			if (!context.withoutConseiller[j] || removed.has(places.id[j])) continue;
			if (commune === null || !inTerritory.has(commune)) continue;
			out.push({ id: places.id[j], code: commune, lon: places.lon[j], lat: places.lat[j] });
		}
		return out;
	}
	const threshold = rule.rule === 'population_min' ? (rule.populationMin ?? 0) : -Infinity;
	return territory.withCentre
		.filter((i) => communes.population[i] >= threshold)
		.map((i) => ({
			id: communes.code[i],
			code: communes.code[i],
			lon: communes.lon[i],
			lat: communes.lat[i]
		}));
}

interface ResolvedSite {
	token: string;
	origin: 'proposition' | 'ajout';
	code: string;
	nom: string;
	lieu: SimulationSite['lieu'];
	lon: number;
	lat: number;
}

function nearestCommune(context: SitingContext, lon: number, lat: number): number {
	const [k] = around(context.communeTree, lon, lat, 1);
	return k === undefined ? -1 : context.centreCommunes[k];
}

/** A site reference as a point with its commune, or a French problem. */
function resolveSite(
	context: SitingContext,
	ref: SiteRef,
	origin: ResolvedSite['origin']
): ResolvedSite | string {
	const { communes, places } = context.dataset;
	const token = siteToken(ref);
	if (ref.kind === 'commune') {
		const i = context.communeIndex.get(ref.code);
		if (i === undefined) return `commune « ${ref.code} » inconnue (codes du COG 2026)`;
		if (!Number.isFinite(communes.lon[i])) {
			return `la commune « ${ref.code} » (${communes.nom[i]}) n’a pas de centre connu : placez le site sur la carte`;
		}
		return {
			token,
			origin,
			code: ref.code,
			nom: communes.nom[i],
			lieu: null,
			lon: communes.lon[i],
			lat: communes.lat[i]
		};
	}
	if (ref.kind === 'lieu') {
		const j = context.placeIndex.get(ref.id);
		if (j === undefined) return `lieu « ${ref.id} » inconnu`;
		const code = places.commune[j];
		const i =
			code !== null
				? (context.communeIndex.get(code) ?? nearestCommune(context, places.lon[j], places.lat[j]))
				: nearestCommune(context, places.lon[j], places.lat[j]);
		return {
			token,
			origin,
			code: i >= 0 ? communes.code[i] : (code ?? ''),
			nom: i >= 0 ? communes.nom[i] : '',
			lieu: { id: places.id[j], nom: places.nom[j], type: places.type[j] },
			lon: places.lon[j],
			lat: places.lat[j]
		};
	}
	const i = nearestCommune(context, ref.lon, ref.lat);
	if (
		i < 0 ||
		distanceKm(ref.lon, ref.lat, communes.lon[i], communes.lat[i]) > MAX_POINT_TO_COMMUNE_KM
	) {
		return `le point ${token.replace('_', ', ')} est à plus de ${km(MAX_POINT_TO_COMMUNE_KM)} de toute commune`;
	}
	return {
		token,
		origin,
		code: communes.code[i],
		nom: communes.nom[i],
		lieu: null,
		lon: ref.lon,
		lat: ref.lat
	};
}

// ---------------------------------------------------------------------------------------------
// Accessibility (E2SFCA) of the territory

/** Box around the territory's commune centres widened by `marginKm`, WGS84 degrees. */
function widenedBox(
	lon: Float64Array,
	lat: Float64Array,
	indices: readonly number[],
	marginKm: number
): [number, number, number, number] {
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	for (const i of indices) {
		west = Math.min(west, lon[i]);
		east = Math.max(east, lon[i]);
		south = Math.min(south, lat[i]);
		north = Math.max(north, lat[i]);
	}
	const kmPerDegree = (2 * Math.PI * 6371) / 360;
	const dLat = marginKm / kmPerDegree;
	const maxAbsLat = Math.min(89, Math.max(Math.abs(south), Math.abs(north)) + dLat);
	const dLon = marginKm / (kmPerDegree * Math.cos((maxAbsLat * Math.PI) / 180));
	return [west - dLon, south - dLat, east + dLon, north + dLat];
}

const inBox = (box: [number, number, number, number], lon: number, lat: number) =>
	lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];

/**
 * E2SFCA scores of the territory's communes with `supplyPlaces` plus the new sites. Exact for the
 * territory with a local computation: a commune's score uses the places within the catchment radius
 * d0 of it, whose ratios use the communes within d0 of them, so places within d0 and communes within
 * 2·d0 of the territory (a box, with 1 km to spare) are all that matter.
 */
function accessAfter(
	context: SitingContext,
	territory: ResolvedTerritory,
	supplyPlaces: readonly number[],
	sites: readonly ResolvedSite[],
	supplyOverride: ReadonlyMap<number, number> = new Map()
): Float64Array {
	const { communes, places } = context.dataset;
	const radius = catchmentRadiusKm(DEFAULT_ACCESS_PARAMETERS.bands);
	const demandBox = widenedBox(communes.lon, communes.lat, territory.withCentre, 2 * radius + 1);
	const supplyBox = widenedBox(communes.lon, communes.lat, territory.withCentre, radius + 1);
	const demand: AccessDemand[] = [];
	const position = new Int32Array(communes.code.length).fill(-1);
	for (let i = 0; i < communes.code.length; i++) {
		const lon = communes.lon[i];
		const lat = communes.lat[i];
		if (!Number.isFinite(lon) || !Number.isFinite(lat) || !inBox(demandBox, lon, lat)) continue;
		position[i] = demand.length;
		const e = communes.eloignes[i];
		demand.push({ code: communes.code[i], lon, lat, demand: Number.isFinite(e) ? e : 0 });
	}
	const supply: SupplyPoint[] = [];
	for (const j of supplyPlaces) {
		if (!inBox(supplyBox, places.lon[j], places.lat[j])) continue;
		supply.push({
			id: places.id[j],
			type: places.type[j],
			lon: places.lon[j],
			lat: places.lat[j],
			supply: supplyOverride.get(j) ?? places.supply[j]
		});
	}
	for (const s of sites) {
		// A new conseiller: typed as a post, with the supply of one conseiller.
		supply.push({
			id: s.token,
			type: 'conseiller-numerique-poste',
			lon: s.lon,
			lat: s.lat,
			supply: NEW_SITE_SUPPLY
		});
	}
	const { score } = computeAccessibility(demand, supply, DEFAULT_ACCESS_PARAMETERS);
	return Float64Array.from(territory.withCentre, (i) => score[position[i]]);
}

/**
 * The capacity model of a run (see `capacity.ts`): each candidate's accessibility gain aᵢc for the
 * territory's communes, from the E2SFCA catchment of a new conseiller at the candidate (communes of
 * any territory within d0 count in the catchment, as in the ranking), and the accessibility before
 * the proposal (`base`, with the kept places and the hand-added sites).
 */
function capacityModelOf(
	context: SitingContext,
	territory: ResolvedTerritory,
	weight: Float64Array,
	base: Float64Array,
	candidates: readonly CandidateSite[],
	n: number
): CapacityModel {
	const { communes } = context.dataset;
	const bands = DEFAULT_ACCESS_PARAMETERS.bands;
	const radius = catchmentRadiusKm(bands);
	const box = widenedBox(communes.lon, communes.lat, territory.withCentre, radius + 1);
	const boxCommunes: number[] = [];
	for (let i = 0; i < communes.code.length; i++) {
		if (Number.isFinite(communes.lon[i]) && inBox(box, communes.lon[i], communes.lat[i]))
			boxCommunes.push(i);
	}
	const index = indexPoints(
		boxCommunes.map((i) => ({ lon: communes.lon[i], lat: communes.lat[i] }))
	);
	const territoryPosition = new Int32Array(communes.code.length).fill(-1);
	territory.withCentre.forEach((i, k) => (territoryPosition[i] = k));
	const boxDemand = Float64Array.from(boxCommunes, (i) =>
		Number.isFinite(communes.eloignes[i]) ? communes.eloignes[i] : 0
	);
	const boxTerritory = Int32Array.from(boxCommunes, (i) => territoryPosition[i]);
	const start = new Int32Array(candidates.length + 1);
	// Growable typed buffers: France holds a few million pairs.
	let demandIds = new Int32Array(1 << 16);
	let gains = new Float64Array(1 << 16);
	let length = 0;
	const ids: number[] = [];
	const kms: number[] = [];
	const ws: number[] = [];
	candidates.forEach((c, j) => {
		ids.length = 0;
		kms.length = 0;
		collectWithinKm(index, c.lon, c.lat, radius, ids, kms);
		let catchment = 0;
		ws.length = ids.length;
		for (let t = 0; t < ids.length; t++) {
			ws[t] = decayWeight(kms[t], bands);
			catchment += ws[t] * boxDemand[ids[t]];
		}
		if (catchment > 0) {
			if (length + ids.length > demandIds.length) {
				const size = Math.max(demandIds.length * 2, length + ids.length);
				const nextIds = new Int32Array(size);
				nextIds.set(demandIds);
				demandIds = nextIds;
				const nextGains = new Float64Array(size);
				nextGains.set(gains);
				gains = nextGains;
			}
			const scale = (10_000 * NEW_SITE_SUPPLY) / catchment;
			for (let t = 0; t < ids.length; t++) {
				const k = boxTerritory[ids[t]];
				if (k < 0 || ws[t] <= 0) continue;
				demandIds[length] = k;
				gains[length] = scale * ws[t];
				length++;
			}
		}
		start[j + 1] = length;
	});
	return {
		weight,
		base,
		target: equalShareTarget(weight, base, n),
		candidateStart: start,
		candidateDemand: demandIds.slice(0, length),
		candidateGain: gains.slice(0, length)
	};
}

/** People below the target and the need-weighted shortfall (équivalents conseiller), for `level`. */
function shortfall(model: CapacityModel, level: Float64Array): { people: number; missing: number } {
	let people = 0;
	let missing = 0;
	for (let i = 0; i < level.length; i++) {
		const a = Number.isFinite(level[i]) ? level[i] : 0;
		if (a < model.target && model.weight[i] > 0) {
			people += model.weight[i];
			missing += (model.weight[i] * (model.target - a)) / 10_000;
		}
	}
	return { people, missing };
}

/** Σ score × people éloignés / Σ people éloignés over the territory's communes with a score. */
function weightedAccess(
	context: SitingContext,
	territory: ResolvedTerritory,
	score: (k: number) => number
): number | null {
	const { communes } = context.dataset;
	let weighted = 0;
	let total = 0;
	territory.withCentre.forEach((i, k) => {
		const s = score(k);
		const w = communes.eloignes[i];
		if (!Number.isFinite(s) || !Number.isFinite(w)) return;
		weighted += s * w;
		total += w;
	});
	return total > 0 ? weighted / total : null;
}

// ---------------------------------------------------------------------------------------------
// Evaluation and proposal

const round = (value: number, digits: number) => {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor + 0;
};
const roundOrNull = (value: number | null, digits: number) =>
	value === null || !Number.isFinite(value) ? null : round(value, digits);

function figuresJson(
	figures: SitingFigures,
	places: number,
	access: number | null
): SimulationFigures {
	return {
		lieux: places,
		communes: figures.demandPoints,
		eloignes: round(figures.totalDemand, 1),
		eloignes_couverts: round(figures.coveredDemand, 1),
		part_couverte_pct: figures.coveredShare === null ? null : round(figures.coveredShare * 100, 2),
		distance_moyenne_km: roundOrNull(figures.meanDistanceKm, 3),
		communes_non_couvertes: figures.uncoveredPoints,
		eloignes_non_couverts: round(figures.uncoveredDemand, 1),
		accessibilite: roundOrNull(access, 3)
	};
}

interface Prepared {
	territory: ResolvedTerritory;
	demand: DemandPoint[];
	baseline: number[];
	kept: number[];
	removedPlaces: number[];
	/** Corrected supply by place index (équivalents conseiller). */
	supplyOverride: Map<number, number>;
	added: ResolvedSite[];
	proposed: ResolvedSite[];
	notices: string[];
}

/** Everything but the optimisation: territory, demand, places, edits. */
function prepareScenario(
	context: SitingContext,
	params: ScenarioParams,
	edits: ScenarioEdits,
	options: SimulationOptions
): Prepared | { problems: string[] } {
	const problems: string[] = [];
	const notices: string[] = [];
	const territory = resolveTerritory(context, params.territory);
	if (typeof territory === 'string') return { problems: [territory] };
	if (territory.withCentre.length === 0) {
		return { problems: [`aucune commune de « ${territory.nom} » n’a de centre connu`] };
	}
	const without = territory.members.length - territory.withCentre.length;
	if (without > 0) {
		notices.push(
			`${formatInteger(without)} commune(s) du territoire sans centre connu ne sont pas prises en compte.`
		);
	}
	if (territory.unknownEstimates > 0) {
		notices.push(
			`${formatInteger(territory.unknownEstimates)} commune(s) sans estimation de personnes éloignées comptent pour 0.`
		);
	}

	const refuse = (options.unknownEdits ?? 'refuse') === 'refuse';
	const ignored: string[] = [];
	const report = (problem: string) => (refuse ? problems.push(problem) : ignored.push(problem));

	const resolveAll = (refs: readonly SiteRef[], origin: ResolvedSite['origin']) => {
		const out: ResolvedSite[] = [];
		for (const ref of refs) {
			const site = resolveSite(context, ref, origin);
			if (typeof site === 'string') report(site);
			else out.push(site);
		}
		return out;
	};
	const added = resolveAll(edits.added, 'ajout');
	const proposed = resolveAll(edits.proposed, 'proposition');
	// One site per token: the first occurrence (hand-added before proposed) wins.
	const seen = new Set<string>();
	const unique = (sites: ResolvedSite[]) =>
		sites.filter((s) => (seen.has(s.token) ? false : (seen.add(s.token), true)));
	const addedUnique = unique(added);
	const proposedUnique = unique(proposed);

	// The present: every known place, whatever the candidate rule.
	const baseline = context.dataset.places.id.map((_, j) => j);
	const relabelled = relabelledPlaces(context, params.candidates.rule);
	const removedSet = new Set<string>();
	for (const id of edits.removed) {
		if (!context.placeIndex.has(id)) report(`lieu à retirer « ${id} » inconnu`);
		else removedSet.add(id);
	}
	const { places } = context.dataset;
	const relabelledSet = new Set(relabelled);
	const kept =
		removedSet.size > 0 || relabelled.length > 0
			? baseline.filter((j) => !removedSet.has(places.id[j]) && !relabelledSet.has(j))
			: baseline;
	if (relabelled.length > 0) {
		const inside = placesInTerritory(context, territory, relabelled);
		notices.push(
			`Règle « France services sans conseiller » : ${formatInteger(inside)} France services du territoire (${formatInteger(relabelled.length)} en France) sans conseiller numérique à moins de ${km(CONSEILLER_NEARBY_KM)} comptent comme sites à renforcer. Les chiffres « avant » décrivent la situation réelle, avec elles ; « après » les compte comme lieux seulement si elles sont proposées (couverture et distance), leur offre restant comptée dans l’accessibilité.`
		);
	}
	const removedPlaces = [...removedSet].map((id) => context.placeIndex.get(id)!);
	const supplyOverride = new Map<number, number>();
	for (const edit of edits.conseillers ?? []) {
		const j = context.placeIndex.get(edit.id);
		if (j === undefined) report(`lieu à corriger « ${edit.id} » inconnu`);
		else if (removedSet.has(edit.id)) continue;
		else supplyOverride.set(j, edit.conseillers);
	}
	if (ignored.length > 0) {
		notices.push(
			`Modifications ignorées (les données ont peut-être changé) : ${ignored.join(' ; ')}.`
		);
	}
	if (problems.length > 0) return { problems };
	return {
		territory,
		demand: demandOf(context, territory),
		baseline,
		kept,
		removedPlaces,
		supplyOverride,
		added: addedUnique,
		proposed: proposedUnique,
		notices
	};
}

function invalid(problems: readonly string[]): SimulationOutcome {
	return {
		status: 'invalid',
		erreur: `Simulation impossible (${problems.length} problème${problems.length > 1 ? 's' : ''}) : ${problems.join(' ; ')}.`,
		details: [...problems]
	};
}

function placesInTerritory(
	context: SitingContext,
	territory: ResolvedTerritory,
	indices: readonly number[]
): number {
	if (territory.level === 'france') return indices.length;
	const codes = new Set(territory.members.map((i) => context.dataset.communes.code[i]));
	let count = 0;
	for (const j of indices) {
		const c = context.dataset.places.commune[j];
		if (c !== null && codes.has(c)) count++;
	}
	return count;
}

/** Build the result of a prepared scenario (exact figures, gains, accessibility). */
function buildResult(
	context: SitingContext,
	params: ScenarioParams,
	prepared: Prepared,
	options: SimulationOptions,
	engine: {
		nothingToPropose: boolean;
		message: string | null;
		notices: string[];
		diagnostics: SitingDiagnostics | null;
		candidates: number;
	}
): SimulationResult {
	let standingOfTerritory: AccessStanding | null = null;
	const standing = () =>
		(standingOfTerritory ??= accessStandingOf(
			context.dataset.communes,
			prepared.territory.members
		));
	const { territory, demand, baseline, kept, added, proposed } = prepared;
	const { communes, places } = context.dataset;
	const sites = [...added, ...proposed];
	const baselinePoints = baseline.map((j) => placePoint(context, j));
	const baselineKm = nearestDistancesKm(demand, indexPoints(baselinePoints));
	const keptPoints = kept === baseline ? baselinePoints : kept.map((j) => placePoint(context, j));
	const keptKm =
		kept === baseline ? baselineKm : nearestDistancesKm(demand, indexPoints(keptPoints));
	const before = summariseAccess(demand, baselineKm, baseline.length, params.coverageKm);
	const evaluation = evaluateScenario(
		demand,
		keptPoints,
		sites.map((s) => ({ id: s.token, code: s.code, lon: s.lon, lat: s.lat })),
		params.coverageKm,
		keptKm
	);

	const accessBefore = weightedAccess(
		context,
		territory,
		(k) => communes.accessScore[territory.withCentre[k]]
	);
	const changed =
		sites.length > 0 || prepared.removedPlaces.length > 0 || prepared.supplyOverride.size > 0;
	// E2SFCA counts supply, whatever the candidate rule: every place but the removed ones.
	const removedSet = new Set(prepared.removedPlaces);
	const supplyKept = places.id.map((_, j) => j).filter((j) => !removedSet.has(j));
	const scoresAfter = changed
		? accessAfter(context, territory, supplyKept, sites, prepared.supplyOverride)
		: null;
	const accessAfterValue = scoresAfter
		? weightedAccess(context, territory, (k) => scoresAfter[k])
		: accessBefore;

	const placesBefore = placesInTerritory(context, territory, baseline);
	const placesAfter = placesInTerritory(context, territory, kept) + sites.length;

	const result: SimulationResult = {
		parametres: {
			niveau: params.territory.level,
			code: params.territory.code,
			n: params.n,
			objectif: params.objective,
			distance_km: params.coverageKm,
			candidats: {
				regle: params.candidates.rule,
				population_min:
					params.candidates.rule === 'population_min' ? params.candidates.populationMin : null
			}
		},
		territoire: {
			niveau: territory.level,
			code: territory.code,
			nom: territory.nom,
			communes: territory.members.length,
			population: territory.population,
			eloignes: round(territory.eloignes, 1)
		},
		sites: sites.map((s, t) => {
			const c = evaluation.sites[t];
			const commune = context.communeIndex.get(s.code);
			return {
				rang: t + 1,
				origine: s.origin,
				id: s.token,
				code_commune: s.code,
				nom: s.nom,
				lieu: s.lieu,
				lon: s.lon,
				lat: s.lat,
				gain: round(c.gainPeople, 1),
				gain_distance_moyenne_km: round(c.gainMeanDistanceKm, 3),
				gain_personnes_km: round(c.gainPersonKm, 1),
				pourquoi:
					commune === undefined
						? null
						: describeSiteReason(context.dataset.communes, standing(), commune)
			};
		}),
		lieux_retires: prepared.removedPlaces.map((j) => ({
			id: places.id[j],
			nom: places.nom[j],
			type: places.type[j],
			code_commune: places.commune[j]
		})),
		lieux_corriges: [...prepared.supplyOverride].map(([j, value]) => ({
			id: places.id[j],
			nom: places.nom[j],
			type: places.type[j],
			code_commune: places.commune[j],
			conseillers_avant: places.supply[j],
			conseillers_apres: value
		})),
		avant: figuresJson(before, placesBefore, accessBefore),
		apres: figuresJson(evaluation.after, placesAfter, accessAfterValue),
		rien_a_proposer: engine.nothingToPropose,
		message: engine.message,
		notices: [...prepared.notices, ...engine.notices],
		candidats: {
			regle: params.candidates.rule,
			description: describeCandidateRule(params.candidates),
			nombre: engine.candidates
		},
		lieux_existants: {
			description: describeExistingPlaces(params.candidates.rule),
			nombre: baseline.length
		},
		methode: methodTexts(params),
		diagnostics: engine.diagnostics,
		optimalite: engine.diagnostics
			? {
					prouvee: engine.diagnostics.proved,
					ecart_max_pct: engine.diagnostics.proved
						? 0
						: round(gapPercent(engine.diagnostics.finalValue, engine.diagnostics.upperBound), 2),
					methode: engine.diagnostics.boundMethod
				}
			: null
	};
	if (prepared.removedPlaces.length > 0) {
		result.notices.push(
			`${formatInteger(prepared.removedPlaces.length)} lieu(x) retiré(s) : les figures « avant » décrivent la situation réelle, « après » sans ce(s) lieu(x) ; les gains des sites se comptent par rapport aux lieux conservés.`
		);
	}
	if (options.detailCommunes) {
		const afterKm =
			sites.length > 0
				? nearestDistancesKm(
						demand,
						indexPoints([
							...keptPoints,
							...sites.map((s) => ({ id: s.token, lon: s.lon, lat: s.lat }))
						])
					)
				: keptKm;
		result.communes = territory.withCentre.map((i, k) => ({
			code: communes.code[i],
			eloignes: round(demand[k].weight, 1),
			distance_avant_km: roundOrNull(Number.isFinite(baselineKm[k]) ? baselineKm[k] : null, 3),
			distance_apres_km: roundOrNull(Number.isFinite(afterKm[k]) ? afterKm[k] : null, 3),
			accessibilite_avant: roundOrNull(communes.accessScore[i], 3),
			accessibilite_apres: roundOrNull(scoresAfter ? scoresAfter[k] : communes.accessScore[i], 3)
		}));
	}
	return result;
}

/**
 * What-if: the figures of a scenario as it stands (kept proposed sites, hand-added sites, removed
 * places), without optimising. Fast enough to follow every click (one E2SFCA over the territory and
 * its surroundings).
 * @example evaluateSimulation(context, params, { proposed: [], added: [{ kind: 'commune', code: '02361' }], removed: [] })
 */
export function evaluateSimulation(
	context: SitingContext,
	params: ScenarioParams,
	edits: ScenarioEdits,
	options: SimulationOptions = {}
): SimulationOutcome {
	const prepared = prepareScenario(context, params, edits, options);
	if ('problems' in prepared) return invalid(prepared.problems);
	const removed = new Set(prepared.removedPlaces.map((j) => context.dataset.places.id[j]));
	const candidates = candidatesOf(context, prepared.territory, params.candidates, removed).length;
	return {
		status: 'done',
		result: buildResult(context, params, prepared, options, {
			nothingToPropose: false,
			message: null,
			notices: [],
			diagnostics: null,
			candidates
		})
	};
}

/**
 * Propose up to N new sites for the territory (`proposeSites`), the hand-added sites and the kept
 * places being fixed, then evaluate the whole scenario. Proposed sites in `edits.proposed` are
 * replaced by the new proposal. Progress 0–0.95 is the engine's, the rest the evaluation's.
 * @returns a result, every problem of the request in French, or a cancellation
 * @example runSimulation(context, { territory: { level: 'departement', code: '02' }, n: 11, objective: 'couverture', coverageKm: 10, candidates: { rule: 'toutes', populationMin: null } })
 */
export function runSimulation(
	context: SitingContext,
	params: ScenarioParams,
	edits: ScenarioEdits = NO_EDITS,
	control: SitingControl = {},
	options: SimulationOptions = {}
): SimulationOutcome {
	const prepared = prepareScenario(context, params, { ...edits, proposed: [] }, options);
	if ('problems' in prepared) return invalid(prepared.problems);
	const removed = new Set(prepared.removedPlaces.map((j) => context.dataset.places.id[j]));
	const addedTokens = new Set(prepared.added.map((s) => s.token));
	const candidates = candidatesOf(context, prepared.territory, params.candidates, removed).filter(
		(c) => !addedTokens.has(c.id)
	);
	if (params.objective === 'capacite') {
		return runCapacity(context, params, prepared, candidates, control, options);
	}
	const fixed: ExistingPlace[] = [
		...prepared.kept.map((j) => placePoint(context, j)),
		...prepared.added.map((s) => ({ id: s.token, lon: s.lon, lat: s.lat }))
	];
	const outcome = proposeSites(
		{
			demand: prepared.demand,
			candidates,
			existing: fixed,
			params: { n: params.n, objective: params.objective, coverageKm: params.coverageKm }
		},
		{
			shouldCancel: control.shouldCancel,
			onProgress: (f) => control.onProgress?.(f * 0.95)
		},
		{ solver: options.solver, exactTimeLimitSeconds: options.exactTimeLimitSeconds }
	);
	if (outcome.status === 'cancelled') return outcome;
	if (outcome.status === 'invalid') return invalid(outcome.problems);
	if (control.shouldCancel?.()) return { status: 'cancelled', message: 'Simulation annulée.' };
	const engine = outcome.result;
	const byId = new Map(candidates.map((c) => [c.id, c]));
	const proposedRefs: SiteRef[] = engine.sites.map((s) => {
		const candidate = byId.get(s.id)!;
		return params.candidates.rule === 'france_services_sans_conseiller'
			? { kind: 'lieu', id: candidate.id }
			: { kind: 'commune', code: candidate.code };
	});
	const proposed = proposedRefs.map((ref) => resolveSite(context, ref, 'proposition'));
	const result = buildResult(
		context,
		params,
		{ ...prepared, proposed: proposed.filter((s): s is ResolvedSite => typeof s !== 'string') },
		options,
		{
			nothingToPropose: engine.nothingToPropose,
			message: engine.message,
			notices: engine.notices,
			diagnostics: engine.diagnostics,
			candidates: candidates.length
		}
	);
	control.onProgress?.(1);
	return { status: 'done', result };
}

/** The capacity objective's run: the model, the greedy choice, then the common result. */
function runCapacity(
	context: SitingContext,
	params: ScenarioParams,
	prepared: Prepared,
	candidates: CandidateSite[],
	control: SitingControl,
	options: SimulationOptions
): SimulationOutcome {
	const removedSet = new Set(prepared.removedPlaces);
	const supplyKept = context.dataset.places.id.map((_, j) => j).filter((j) => !removedSet.has(j));
	// Without edits, the accessibility before the proposal is the ranking's (no recomputation).
	const base =
		prepared.added.length === 0 &&
		prepared.removedPlaces.length === 0 &&
		prepared.supplyOverride.size === 0
			? Float64Array.from(
					prepared.territory.withCentre,
					(i) => context.dataset.communes.accessScore[i]
				)
			: accessAfter(
					context,
					prepared.territory,
					supplyKept,
					prepared.added,
					prepared.supplyOverride
				);
	if (candidates.length === 0) {
		return invalid([
			'La liste des sites candidats est vide : aucun lieu où ouvrir un poste (vérifiez le territoire et la règle de sélection des candidats)'
		]);
	}
	const weight = Float64Array.from(prepared.demand, (d) => d.weight);
	const n = Math.min(params.n, candidates.length);
	const notices: string[] = [];
	if (params.n > candidates.length) {
		notices.push(
			`${formatInteger(params.n)} postes demandés mais seulement ${formatInteger(candidates.length)} sites candidats : au plus ${formatInteger(candidates.length)} seront proposés.`
		);
	}
	control.onProgress?.(0.2);
	const model = capacityModelOf(context, prepared.territory, weight, base, candidates, n);
	control.onProgress?.(0.4);
	let choice = chooseByCapacity(model, n, () => control.shouldCancel?.() ?? false);
	const greedyValue = choice.value;
	if (control.shouldCancel?.()) return { status: 'cancelled', message: 'Simulation annulée.' };
	let upperBound = choice.upperBound;
	let boundMethod = 'borne sous-modulaire (Nemhauser, Wolsey et Fisher 1978)';
	const tolerance = 1e-9 * Math.max(1, upperBound);
	let swaps = 0;
	if (choice.value < upperBound - tolerance) {
		const swapped = improveCapacityBySwaps(
			model,
			choice.steps.map((step) => step.candidate),
			CAPACITY_SWAP_PAIR_VISITS,
			() => control.shouldCancel?.() ?? false
		);
		if (control.shouldCancel?.()) return { status: 'cancelled', message: 'Simulation annulée.' };
		if (swapped.value > choice.value + tolerance) {
			const ordered = chooseByCapacity(model, swapped.chosen.length, undefined, swapped.chosen);
			choice = { ...ordered, value: swapped.value };
			swaps = swapped.swaps;
		}
	}
	if (options.solver && choice.value < upperBound - tolerance) {
		control.onProgress?.(0.6);
		const exact = solveCapacityExactly(
			options.solver,
			model,
			n,
			options.exactTimeLimitSeconds ?? 2
		);
		if (exact) {
			if (exact.value > choice.value + tolerance && exact.chosen.length > 0) {
				const ordered = chooseByCapacity(model, exact.chosen.length, undefined, exact.chosen);
				choice = { ...ordered, value: exact.value };
			}
			if (exact.upperBound < upperBound) {
				upperBound = Math.max(choice.value, exact.upperBound);
				boundMethod = exact.proved
					? 'programme linéaire en nombres entiers résolu par HiGHS (optimum prouvé)'
					: 'relaxation linéaire résolue par HiGHS (limite de temps atteinte pour l’optimum entier)';
			}
		}
	}
	if (choice.value < upperBound - tolerance && gapPercent(choice.value, upperBound) > 0.01) {
		let lagrangian: { bound: number; iterations: number };
		try {
			lagrangian = capacityLagrangianBound(
				model,
				choice.steps.map((step) => step.candidate),
				choice.value,
				n,
				undefined,
				() => {
					if (control.shouldCancel?.()) throw new SitingCancelled();
				}
			);
		} catch (error) {
			if (error instanceof SitingCancelled) return { status: 'cancelled', message: error.message };
			throw error;
		}
		if (lagrangian.bound < upperBound) {
			upperBound = lagrangian.bound;
			boundMethod = `relaxation lagrangienne (Cornuéjols, Fisher et Nemhauser 1977), ${formatInteger(lagrangian.iterations)} itérations de sous-gradient`;
		}
	}
	control.onProgress?.(0.9);
	const steps = choice.steps;
	const proposedRefs: SiteRef[] = steps.map(({ candidate }) =>
		params.candidates.rule === 'france_services_sans_conseiller'
			? { kind: 'lieu', id: candidates[candidate].id }
			: { kind: 'commune', code: candidates[candidate].code }
	);
	const proposed = proposedRefs
		.map((ref) => resolveSite(context, ref, 'proposition'))
		.filter((s): s is ResolvedSite => typeof s !== 'string');
	const target = model.target;
	const score = (v: number) => formatDecimal(v, v >= 10 ? 0 : 1);
	const message =
		steps.length === 0
			? `Rien d’utile à proposer : aucun site candidat n’atteint de personne éloignée sous le seuil d’accessibilité (${score(target)} ${ACCESS_SCORE_UNIT}).`
			: steps.length < params.n
				? `${steps.length === 1 ? 'Un seul' : `Seuls ${formatInteger(steps.length)}`} des ${formatInteger(params.n)} postes demandés ${steps.length === 1 ? 'apporte' : 'apportent'} un gain : au-delà, aucun site candidat n’atteint de personne sous le seuil d’accessibilité.`
				: null;
	const proved = choice.value >= upperBound - 1e-9 * Math.max(1, upperBound);
	const diagnostics: SitingDiagnostics = {
		candidates: candidates.length,
		pairs: model.candidateDemand.length,
		truncatedDemandPoints: 0,
		neighbourLimit: null,
		greedyValue,
		finalValue: choice.value,
		swaps,
		restarts: 0,
		gainEvaluations: choice.evaluations,
		upperBound,
		proved,
		boundMethod
	};
	const result = buildResult(context, params, { ...prepared, proposed }, options, {
		nothingToPropose: steps.length === 0,
		message,
		notices,
		diagnostics,
		candidates: candidates.length
	});
	const stepByToken = new Map<string, CapacityStep>();
	proposed.forEach((s, t) => stepByToken.set(s.token, steps[t]));
	for (const site of result.sites) {
		const step = site.origine === 'proposition' ? stepByToken.get(site.id) : undefined;
		if (!step) continue;
		site.gain_capacite = {
			equivalents_conseiller: round(step.gain, 4),
			personnes_au_dessus_seuil: round(step.crossing, 1),
			personnes_aidees: round(step.helped, 1),
			acces_moyen_avant: round(step.helpedMeanBefore, 2),
			acces_moyen_apres: round(step.helpedMeanAfter, 2),
			texte: describeCapacityStep(step)
		};
	}
	const level = Float64Array.from(base);
	for (const { candidate } of steps) {
		for (let p = model.candidateStart[candidate]; p < model.candidateStart[candidate + 1]; p++) {
			level[model.candidateDemand[p]] += model.candidateGain[p];
		}
	}
	const before = shortfall(model, base);
	const after = shortfall(model, level);
	result.capacite = {
		seuil: round(target, 3),
		description: `Seuil : ${score(target)} ${ACCESS_SCORE_UNIT}, l’accessibilité moyenne du territoire si ses lieux et les ${formatInteger(n)} nouveaux postes étaient répartis exactement selon les besoins.`,
		personnes_sous_seuil_avant: round(before.people, 1),
		personnes_sous_seuil_apres: round(after.people, 1),
		manque_avant: round(before.missing, 3),
		manque_apres: round(after.missing, 3)
	};
	control.onProgress?.(1);
	return { status: 'done', result };
}

/** The scenario edits of a result: its proposed and hand-added sites, and its removed places. */
export function editsOfResult(result: SimulationResult): ScenarioEdits {
	const refOf = (s: SimulationSite): SiteRef => parseSiteToken(s.id) ?? { kind: 'lieu', id: s.id };
	return {
		proposed: result.sites.filter((s) => s.origine === 'proposition').map(refOf),
		added: result.sites.filter((s) => s.origine === 'ajout').map(refOf),
		removed: result.lieux_retires.map((p) => p.id),
		conseillers: (result.lieux_corriges ?? []).map((p) => ({
			id: p.id,
			conseillers: p.conseillers_apres
		}))
	};
}
