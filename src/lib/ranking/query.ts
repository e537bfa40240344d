/**
 * A ranking request as it travels in a URL: the query string of `GET /api/classement` and of the
 * export links of the ranking page. `parseRankingQuery` validates it and lists every problem in
 * French (the API answers them with a 400); `serializeRankingQuery` writes the same parameters back,
 * defaults left out, so the page builds the exact URLs the API reads.
 *
 * Parameters (all optional except `niveau`):
 * - `niveau`: commune | epci | departement | region
 * - `region`: région code, 2 digits (`32`); `departement`: département code (`59`, `2A`, `971`),
 *   which must lie in `region` when both are given (not allowed with niveau=region)
 * - `poids`: a preset id (`equilibre`, default; `rural`, `qpv`, `reseau`) or a weight string
 *   `eloignes:3,acces:2,fibre:1` (criteria left out weigh 0; decimals with a point)
 * - `groupe`: where ranks are counted: france (default) | region | departement (as the level allows)
 * - `normalisation`: filtre (default: criteria normalised within the filter) | france
 * - `tri`: rang (default) | score | code | nom | population | a criterion id; `ordre`: asc | desc
 *   (default: asc for rang, code, nom; desc otherwise)
 * - `limite`: at most this many rows (1–100 000); `page`: 1-based page of `limite` rows
 * - `scenario`: the id of a saved scenario (`/scenario/<id>`): the ranking then counts its imported
 *   places (« données importées »), as its fiche territoire does; absent: the national places only
 * - `format`: json (default) | csv | xlsx | geojson | metadonnees (the parameters, method and
 *   sources of the other formats, without rows: the CSV's companion file); `separateur` (alias
 *   `sep`, csv only): `;` (default, decimal comma) or `,` (decimal point); also `point-virgule` /
 *   `virgule`
 * This module is pure (no server import), so the browser can use it too.
 */
import { refusalOf, type ParseResult } from '../format/problems';
import { LEVELS, type Level } from '../territory/commune';
import {
	knownCodesOf,
	listFr,
	normaliseParam,
	quoteParam,
	readTerritoryFilter,
	singleParamReader,
	type KnownCodes
} from '../territory/territory-filter-params';
import { CRITERION_IDS } from './criteria';
import { RANK_GROUPS_BY_LEVEL, type RankGroup } from './rank';
import {
	defaultSortDirection,
	NORMALISATION_SCOPES,
	SORT_KEYS,
	type NormalisationScope,
	type SortDirection,
	type SortKey
} from './ranked-table';
import {
	DEFAULT_WEIGHTS,
	findPreset,
	MAX_WEIGHT_STRING_LENGTH,
	parseWeights,
	serializeWeights,
	WEIGHT_PRESETS,
	type WeightPreset,
	type Weights
} from './weights';

export const RANKING_FORMATS = ['json', 'csv', 'xlsx', 'geojson', 'metadonnees'] as const;
export type RankingFormat = (typeof RANKING_FORMATS)[number];

/** CSV separator: `;` with decimal comma (French spreadsheets) or `,` with decimal point. */
export type RankingSeparator = ';' | ',';

/** The query parameter names, in the order `serializeRankingQuery` writes them. */
export const RANKING_PARAMETERS = [
	'niveau',
	'region',
	'departement',
	'poids',
	'groupe',
	'normalisation',
	'tri',
	'ordre',
	'limite',
	'page',
	'scenario',
	'format',
	'separateur',
	'sep'
] as const;

/** Largest `limite` (more than the 34,875 communes) and `page` accepted. */
export const MAX_LIMIT = 100_000;
export const MAX_PAGE = 100_000;

export interface RankingQuery {
	niveau: Level;
	region: string | null;
	departement: string | null;
	weights: Weights;
	/** The preset the weights equal (named or spelled out), or null for custom weights. */
	preset: WeightPreset['id'] | null;
	groupe: RankGroup;
	normalisation: NormalisationScope;
	tri: SortKey;
	ordre: SortDirection;
	/** Rows per page, null: all rows. */
	limite: number | null;
	/** 1-based page of `limite` rows. */
	page: number;
	/**
	 * Id of a saved scenario whose imported places the ranking counts, or null (national places).
	 * Checked against the store by the endpoint (an unknown id is a 404, not a 400).
	 */
	scenario: string | null;
	format: RankingFormat;
	separateur: RankingSeparator;
}

export type RankingQueryResult = ParseResult<RankingQuery>;

export { knownCodesOf, type KnownCodes };

/** Unknown parameter names listed one by one before "and N others". */
const MAX_UNKNOWN_LISTED = 5;
const INTEGER = /^\d+$/;

const normalise = normaliseParam;
const quote = quoteParam;

const SEPARATORS: Record<string, RankingSeparator> = {
	';': ';',
	',': ',',
	'point-virgule': ';',
	virgule: ','
};

/**
 * Read and check a ranking request. Reports, all at once: unknown or repeated parameters, empty or
 * over-long values, unknown level, codes, group, format, sort column, weights that do not parse
 * (every one of `parseWeights`' messages), out-of-range `limite`/`page`, a département outside the
 * région and a group the level does not have.
 * @example parseRankingQuery(new URLSearchParams('niveau=commune&departement=59&poids=rural'), known)
 * // { ok: true, value: { niveau: 'commune', departement: '59', preset: 'rural', groupe: 'france', … } }
 */
export function parseRankingQuery(params: URLSearchParams, known: KnownCodes): RankingQueryResult {
	const details: string[] = [];
	const accepted: readonly string[] = RANKING_PARAMETERS;

	const unknown = [...new Set(params.keys())].filter((name) => !accepted.includes(name));
	for (const name of unknown.slice(0, MAX_UNKNOWN_LISTED)) {
		details.push(`paramètre inconnu ${quote(name)} (paramètres acceptés : ${accepted.join(', ')})`);
	}
	if (unknown.length > MAX_UNKNOWN_LISTED) {
		details.push(`et ${unknown.length - MAX_UNKNOWN_LISTED} autres paramètres inconnus`);
	}

	const single = singleParamReader(params, details);

	/** One value among `choices` (compared without case or accents), or null. */
	const choice = <T extends string>(
		name: string,
		what: string,
		choices: readonly T[]
	): T | null => {
		const raw = single(name);
		if (raw === null) return null;
		const found = choices.find((c) => c === normalise(raw));
		if (found === undefined) {
			details.push(`${what} ${quote(raw)} inconnu : valeurs acceptées ${listFr(choices)}`);
		}
		return found ?? null;
	};

	/** A whole number in [1, max], or null. */
	const integer = (name: string, max: number): number | null => {
		const raw = single(name);
		if (raw === null) return null;
		const value = Number(raw);
		if (!INTEGER.test(raw) || value < 1) {
			details.push(
				`« ${name} » ${quote(raw)} invalide : un nombre entier de 1 à ${max} est attendu`
			);
			return null;
		}
		if (value > max) {
			details.push(`« ${name} » trop grand : ${quote(raw)} (au plus ${max})`);
			return null;
		}
		return value;
	};

	const niveau = choice('niveau', 'niveau', LEVELS);
	if (!params.has('niveau')) details.push(`paramètre « niveau » obligatoire : ${listFr(LEVELS)}`);

	const { region, departement } = readTerritoryFilter(
		single('region'),
		single('departement'),
		known,
		details
	);
	if (niveau === 'region' && departement !== null) {
		details.push(
			'filtre « departement » impossible avec niveau=region : une région contient des départements, pas l’inverse'
		);
	}

	let weights: Weights = { ...DEFAULT_WEIGHTS };
	const rawWeights = single('poids', MAX_WEIGHT_STRING_LENGTH);
	if (rawWeights !== null) {
		if (rawWeights.includes(':')) {
			const parsed = parseWeights(rawWeights);
			if (parsed.ok) weights = parsed.weights;
			else
				for (const error of parsed.errors)
					details.push(`poids : ${lowerFirst(error).replace(/\.$/, '')}`);
		} else {
			const preset = WEIGHT_PRESETS.find((p) => p.id === normalise(rawWeights));
			if (preset) weights = { ...preset.weights };
			else {
				details.push(
					`poids ${quote(rawWeights)} illisible : un préréglage (${listFr(WEIGHT_PRESETS.map((p) => p.id))}) ou une liste critère:poids comme « eloignes:3,acces:2,fibre:1 » (critères : ${CRITERION_IDS.join(', ')})`
				);
			}
		}
	}

	const groupe =
		choice('groupe', 'groupe', ['france', 'region', 'departement'] as const) ?? 'france';
	if (niveau !== null && !RANK_GROUPS_BY_LEVEL[niveau].includes(groupe)) {
		details.push(
			`groupe « ${groupe} » impossible avec niveau=${niveau} : groupes possibles ${listFr(RANK_GROUPS_BY_LEVEL[niveau])}`
		);
	}
	const normalisation = choice('normalisation', 'normalisation', NORMALISATION_SCOPES) ?? 'filtre';
	const tri = choice('tri', 'tri', SORT_KEYS) ?? 'rang';
	const ordre = choice('ordre', 'ordre', ['asc', 'desc'] as const) ?? defaultSortDirection(tri);
	const limite = integer('limite', MAX_LIMIT);
	const page = integer('page', MAX_PAGE) ?? 1;
	if (params.has('page') && !params.has('limite')) {
		details.push('paramètre « page » sans « limite » : donnez le nombre de lignes par page');
	}
	// Its shape and existence are the store's business: the endpoint answers a 404 for both.
	const scenario = single('scenario');
	const format = choice('format', 'format', RANKING_FORMATS) ?? 'json';

	let separateur: RankingSeparator = ';';
	// `sep` is the short alias scripts tend to write (`format=csv&sep=,`).
	const rawSeparator = [...params.getAll('separateur'), ...params.getAll('sep')];
	if (rawSeparator.length > 1) {
		details.push(
			`paramètre « separateur » (ou « sep ») donné ${rawSeparator.length} fois : une seule valeur est attendue`
		);
	} else if (rawSeparator.length === 1) {
		// Not trimmed by `single`: the value is punctuation.
		const found = SEPARATORS[normalise(rawSeparator[0]) || rawSeparator[0]];
		if (found) separateur = found;
		else {
			details.push(
				`séparateur ${quote(rawSeparator[0])} inconnu : « ; » (point-virgule, virgule décimale) ou « , » (virgule, point décimal)`
			);
		}
	}

	if (details.length > 0 || niveau === null) {
		return { ok: false, ...refusalOf(details) };
	}
	return {
		ok: true,
		value: {
			niveau,
			region,
			departement,
			weights,
			preset: findPreset(weights)?.id ?? null,
			groupe,
			normalisation,
			tri,
			ordre,
			limite,
			page,
			scenario,
			format,
			separateur
		}
	};
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The query string of a ranking request, parameters in `RANKING_PARAMETERS` order and defaults left
 * out (weights equal to a preset are written as its id). Parsing the result gives the same query.
 * @example serializeRankingQuery({ niveau: 'commune', departement: '59', format: 'csv' })
 * // "niveau=commune&departement=59&format=csv"
 */
export function serializeRankingQuery(
	query: Partial<RankingQuery> & Pick<RankingQuery, 'niveau'>
): string {
	const params = new URLSearchParams();
	params.set('niveau', query.niveau);
	if (query.region) params.set('region', query.region);
	if (query.departement) params.set('departement', query.departement);
	if (query.weights) {
		const preset = findPreset(query.weights);
		if (preset === null) params.set('poids', serializeWeights(query.weights));
		else if (preset.id !== 'equilibre') params.set('poids', preset.id);
	}
	if (query.groupe && query.groupe !== 'france') params.set('groupe', query.groupe);
	if (query.normalisation && query.normalisation !== 'filtre') {
		params.set('normalisation', query.normalisation);
	}
	const tri = query.tri ?? 'rang';
	if (tri !== 'rang') params.set('tri', tri);
	if (query.ordre && query.ordre !== defaultSortDirection(tri)) params.set('ordre', query.ordre);
	if (query.limite) {
		params.set('limite', String(query.limite));
		if (query.page && query.page > 1) params.set('page', String(query.page));
	}
	if (query.scenario) params.set('scenario', query.scenario);
	if (query.format && query.format !== 'json') params.set('format', query.format);
	if (query.separateur === ',' && query.format === 'csv') params.set('separateur', ',');
	// Keep `:` and `,` readable in weight strings; URLSearchParams would write %3A and %2C.
	return params.toString().replaceAll('%3A', ':').replaceAll('%2C', ',');
}
