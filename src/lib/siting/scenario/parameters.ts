/**
 * What a planner asks of a scenario: territory, N, objective, coverage distance, candidate rule, and
 * the hand edits (sites as tokens, removed places, corrected conseillers), with their limits.
 */
import { MAX_SUPPLY_PER_PLACE } from '$lib/access/parameters';
import type { ScenarioObjective } from '../model';
import { DEFAULT_COVERAGE_KM, SITES_LIMITS } from '../params';

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
