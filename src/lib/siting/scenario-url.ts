/**
 * A simulation scenario in the URL, so a what-if is a shareable link:
 * `?simulation=departement-02&postes=11&objectif=distance&rayon=12.5&candidats=population-1000
 *  &proposes=02361,02408&ajouts=02691,3.62410_49.90780&retraits=fs-123&conseillers=fs-7:2`.
 * The names do not clash with the dashboard's (`niveau`, `indicateur`, `classes`, `territoire`,
 * `vue`). Parsing never throws: a bad value falls back to its default, a bad list item is dropped,
 * and each adds one French notice; without a valid `simulation` there is no scenario.
 */
import { formatInteger } from '$lib/format/number';
import { paramName, quoteParamValue as quote, type UrlCodec } from '$lib/url/codec';
import { SCENARIO_OBJECTIVES, type ScenarioObjective } from './model';
import { COVERAGE_KM_LIMITS, DEFAULT_COVERAGE_KM, SITES_LIMITS } from './params';
import {
	DEFAULT_SCENARIO_N,
	MAX_CONSEILLERS_PER_PLACE,
	MAX_SCENARIO_EDITS,
	POPULATION_MIN_LIMITS,
	SCENARIO_CODE_PATTERN,
	parseSiteToken,
	siteToken,
	type CandidateRule,
	type CapacityEdit,
	type ScenarioEdits,
	type ScenarioParams,
	type ScenarioTerritory,
	type SiteRef
} from './scenario';

/** A scenario as the URL carries it. */
export interface ScenarioState {
	params: ScenarioParams;
	edits: ScenarioEdits;
}

/** URL parameter names (French, like the rest of the public interface). */
export const SCENARIO_PARAM = {
	territory: 'simulation',
	n: 'postes',
	objective: 'objectif',
	coverageKm: 'rayon',
	candidates: 'candidats',
	proposed: 'proposes',
	added: 'ajouts',
	removed: 'retraits',
	capacity: 'conseillers'
} as const;

const ALL_NAMES: readonly string[] = Object.values(SCENARIO_PARAM);

/**
 * Objective of a link without `objectif`: coverage, the default when such links were first shared
 * (before the capacity objective became the default), so old links keep their meaning; every other
 * objective, the capacity one included, is written out.
 */
const URL_IMPLICIT_OBJECTIVE: ScenarioObjective = 'couverture';

/** Separator of list items (place ids have no comma; see `siteToken`). */
const LIST_SEPARATOR = ',';

/** `departement-02`, `region-32`, `epci-200071983` or `france`. */
export function territoryToken(territory: ScenarioTerritory): string {
	return territory.level === 'france' ? 'france' : `${territory.level}-${territory.code}`;
}

/** Read a territory token back; null when malformed (existence is checked by the scenario). */
export function parseTerritoryToken(token: string): ScenarioTerritory | null {
	const text = token.trim();
	if (text.toLowerCase() === 'france') return { level: 'france', code: null };
	const dash = text.indexOf('-');
	if (dash <= 0) return null;
	const level = text.slice(0, dash).toLowerCase();
	const code = text.slice(dash + 1).toUpperCase();
	if (level !== 'region' && level !== 'departement' && level !== 'epci') return null;
	return SCENARIO_CODE_PATTERN[level].test(code) ? { level, code } : null;
}

/** `toutes`, `population-1000` or `france-services-sans-conseiller`. */
export function candidateRuleToken(rule: CandidateRule): string {
	switch (rule.rule) {
		case 'toutes':
			return 'toutes';
		case 'population_min':
			return `population-${rule.populationMin}`;
		case 'france_services_sans_conseiller':
			return 'france-services-sans-conseiller';
	}
}

function parseCandidateRule(token: string): CandidateRule | null {
	const text = token.trim().toLowerCase();
	if (text === 'toutes') return { rule: 'toutes', populationMin: null };
	if (text === 'france-services-sans-conseiller') {
		return { rule: 'france_services_sans_conseiller', populationMin: null };
	}
	const match = /^population-(\d{1,7})$/.exec(text);
	if (!match) return null;
	const min = Number(match[1]);
	return min >= POPULATION_MIN_LIMITS.min && min <= POPULATION_MIN_LIMITS.max
		? { rule: 'population_min', populationMin: min }
		: null;
}

/** Between a place id and its number of conseillers: the last `:` of the item (`fs-12:2`). */
const CAPACITY_SEPARATOR = ':';

/** `conseillers=fs-12:2,cn-3:0`: corrected numbers of conseillers; bad items dropped with a notice. */
function readCapacityEdits(params: URLSearchParams, notices: string[]): CapacityEdit[] {
	const out = new Map<string, number>();
	for (const item of readList(params, SCENARIO_PARAM.capacity, 'lieu(x) corrigé(s)', notices)) {
		const at = item.lastIndexOf(CAPACITY_SEPARATOR);
		const id = at > 0 ? item.slice(0, at).trim() : '';
		const text =
			at > 0
				? item
						.slice(at + 1)
						.trim()
						.replace(',', '.')
				: '';
		const value = Number(text);
		if (id !== '' && /^\d+(\.\d+)?$/.test(text) && value <= MAX_CONSEILLERS_PER_PLACE) {
			out.set(id, value);
		} else {
			notices.push(
				`Correction de conseillers ${quote(item)} invalide (${paramName(SCENARIO_PARAM.capacity)}, attendu : identifiant du lieu:nombre de 0 à ${MAX_CONSEILLERS_PER_PLACE}, par exemple fs-12:2) : ignorée.`
			);
		}
	}
	return [...out].map(([id, conseillers]) => ({ id, conseillers }));
}

/** A number as the URL writes it: decimal point, no trailing zeros, at most `digits` decimals. */
function numberToken(value: number, digits: number): string {
	return String(Math.round(value * 10 ** digits) / 10 ** digits + 0);
}

function readList(
	params: URLSearchParams,
	name: string,
	label: string,
	notices: string[]
): string[] {
	const raw = params.getAll(name).flatMap((v) => v.split(LIST_SEPARATOR));
	const items = raw.map((v) => v.trim()).filter((v) => v !== '');
	if (items.length > MAX_SCENARIO_EDITS) {
		notices.push(
			`Trop de ${label} dans le lien (${paramName(name)} : ${formatInteger(items.length)}) : seuls les ${MAX_SCENARIO_EDITS} premiers sont repris.`
		);
		return items.slice(0, MAX_SCENARIO_EDITS);
	}
	return items;
}

function readSites(
	params: URLSearchParams,
	name: string,
	label: string,
	notices: string[]
): SiteRef[] {
	const out: SiteRef[] = [];
	const bad: string[] = [];
	const seen = new Set<string>();
	for (const token of readList(params, name, label, notices)) {
		const ref = parseSiteToken(token);
		if (ref === null) bad.push(token);
		else if (!seen.has(siteToken(ref))) {
			seen.add(siteToken(ref));
			out.push(ref);
		}
	}
	if (bad.length > 0) {
		notices.push(
			`${bad.length} ${label} illisible(s) ignoré(s) : ${bad.slice(0, 3).map(quote).join(', ')}${bad.length > 3 ? '…' : ''} (${paramName(name)}, attendu : code de commune, identifiant de lieu ou longitude_latitude).`
		);
	}
	return out;
}

/**
 * Read a scenario from a URL. No `simulation` parameter: no scenario (and a notice if other
 * scenario parameters are present). Every other bad value falls back to its default with a notice.
 * @example parseScenarioParams(new URL('https://x/?simulation=departement-02&postes=11')).scenario?.params.n // 11
 */
export function parseScenarioParams(url: URL | URLSearchParams): {
	scenario: ScenarioState | null;
	notices: string[];
} {
	const params = url instanceof URL ? url.searchParams : url;
	const notices: string[] = [];
	const rawTerritory = params.get(SCENARIO_PARAM.territory);
	if (rawTerritory === null) {
		const orphans = ALL_NAMES.filter((n) => n !== SCENARIO_PARAM.territory && params.has(n));
		if (orphans.length > 0) {
			notices.push(
				`Paramètres de simulation sans territoire (${orphans.join(', ')}) : ajoutez « ${SCENARIO_PARAM.territory}=departement-02 » par exemple ; ils sont ignorés.`
			);
		}
		return { scenario: null, notices };
	}
	const territory = parseTerritoryToken(rawTerritory);
	if (territory === null) {
		notices.push(
			`Territoire de simulation ${quote(rawTerritory)} non reconnu (${paramName(SCENARIO_PARAM.territory)}, attendu : france, region-32, departement-02 ou epci-200071983) : pas de simulation.`
		);
		return { scenario: null, notices };
	}

	let n = DEFAULT_SCENARIO_N;
	const rawN = params.get(SCENARIO_PARAM.n);
	if (rawN !== null) {
		const value = Number(rawN);
		if (/^\d+$/.test(rawN.trim()) && value >= SITES_LIMITS.min && value <= SITES_LIMITS.max) {
			n = value;
		} else {
			notices.push(
				`Nombre de postes ${quote(rawN)} invalide (${paramName(SCENARIO_PARAM.n)}, attendu : entier de ${SITES_LIMITS.min} à ${SITES_LIMITS.max}) : ${DEFAULT_SCENARIO_N} postes.`
			);
		}
	}

	let objective: ScenarioObjective = URL_IMPLICIT_OBJECTIVE;
	const rawObjective = params.get(SCENARIO_PARAM.objective);
	if (rawObjective !== null) {
		const found = SCENARIO_OBJECTIVES.find((o) => o === rawObjective.trim().toLowerCase());
		if (found) objective = found;
		else
			notices.push(
				`Objectif ${quote(rawObjective)} inconnu (${paramName(SCENARIO_PARAM.objective)}, attendu : capacite, couverture ou distance) : ${URL_IMPLICIT_OBJECTIVE}.`
			);
	}

	let coverageKm = DEFAULT_COVERAGE_KM;
	const rawKm = params.get(SCENARIO_PARAM.coverageKm);
	if (rawKm !== null) {
		const text = rawKm.trim().replace(',', '.');
		const value = Number(text);
		if (
			/^\d+(\.\d+)?$/.test(text) &&
			value > COVERAGE_KM_LIMITS.above &&
			value <= COVERAGE_KM_LIMITS.max
		) {
			coverageKm = value;
		} else {
			notices.push(
				`Distance de couverture ${quote(rawKm)} invalide (${paramName(SCENARIO_PARAM.coverageKm)}, attendu : kilomètres, plus de ${COVERAGE_KM_LIMITS.above} et au plus ${COVERAGE_KM_LIMITS.max}) : ${DEFAULT_COVERAGE_KM} km.`
			);
		}
	}

	let candidates: CandidateRule = { rule: 'toutes', populationMin: null };
	const rawRule = params.get(SCENARIO_PARAM.candidates);
	if (rawRule !== null) {
		const rule = parseCandidateRule(rawRule);
		if (rule) candidates = rule;
		else
			notices.push(
				`Règle de candidats ${quote(rawRule)} inconnue (${paramName(SCENARIO_PARAM.candidates)}, attendu : toutes, population-1000 ou france-services-sans-conseiller) : toutes les communes.`
			);
	}

	const proposed = readSites(params, SCENARIO_PARAM.proposed, 'site(s) proposé(s)', notices);
	const added = readSites(params, SCENARIO_PARAM.added, 'site(s) ajouté(s)', notices);
	const removed = [
		...new Set(readList(params, SCENARIO_PARAM.removed, 'lieu(x) retiré(s)', notices))
	];

	const conseillers = readCapacityEdits(params, notices);
	return {
		scenario: {
			params: { territory, n, objective, coverageKm, candidates },
			edits: { proposed, added, removed, ...(conseillers.length > 0 ? { conseillers } : {}) }
		},
		notices
	};
}

/**
 * Write a scenario as URL parameters (only the scenario's: the page writes its whole URL with
 * `serializeDashboardParams`). Values equal to the defaults are left out, except the territory and N.
 */
export function serializeScenarioParams(state: ScenarioState): URLSearchParams {
	const { params, edits } = state;
	const out = new URLSearchParams();
	out.set(SCENARIO_PARAM.territory, territoryToken(params.territory));
	out.set(SCENARIO_PARAM.n, String(params.n));
	if (params.objective !== URL_IMPLICIT_OBJECTIVE)
		out.set(SCENARIO_PARAM.objective, params.objective);
	if (params.coverageKm !== DEFAULT_COVERAGE_KM)
		out.set(SCENARIO_PARAM.coverageKm, numberToken(params.coverageKm, 3));
	if (params.candidates.rule !== 'toutes')
		out.set(SCENARIO_PARAM.candidates, candidateRuleToken(params.candidates));
	const list = (refs: readonly SiteRef[]) => refs.map(siteToken).join(LIST_SEPARATOR);
	if (edits.proposed.length > 0) out.set(SCENARIO_PARAM.proposed, list(edits.proposed));
	if (edits.added.length > 0) out.set(SCENARIO_PARAM.added, list(edits.added));
	if (edits.removed.length > 0) out.set(SCENARIO_PARAM.removed, edits.removed.join(LIST_SEPARATOR));
	if (edits.conseillers && edits.conseillers.length > 0) {
		out.set(
			SCENARIO_PARAM.capacity,
			edits.conseillers
				.map((e) => `${e.id}${CAPACITY_SEPARATOR}${numberToken(e.conseillers, 2)}`)
				.join(LIST_SEPARATOR)
		);
	}
	return out;
}

/**
 * The simulation's parameters as one part of `parseDashboardParams` (`$lib/url/dashboard-params`):
 * null when the URL holds no scenario.
 */
export const simulationUrlCodec: UrlCodec<ScenarioState | null> = {
	keys: ALL_NAMES,
	parse(params, notices) {
		const { scenario, notices: own } = parseScenarioParams(params);
		notices.push(...own);
		return scenario;
	},
	serialize: (state) => (state ? [...serializeScenarioParams(state)] : [])
};
