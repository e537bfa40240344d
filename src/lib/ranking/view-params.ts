/**
 * The ranking tab's state in the page URL, so that a ranking is a shareable link:
 * `/?onglet=classement&classement_niveau=commune&filtre_departement=80&poids=rural&tri=score&page=2`.
 * Parameter names do not clash with the map's (`niveau` is the map's level). Parsing never throws:
 * a bad value falls back to its default with a French notice (one part of `parseDashboardParams`,
 * `$lib/url/dashboard-params`). Also: the export links of the view
 * (`/api/classement?…`, built with the API's own serializer) and the map values of the scores.
 */
import { LEVELS, type Level } from '$lib/territory/commune';
import { CRITERIA, CRITERION_IDS, type CriterionId } from '$lib/ranking/criteria';
import type { KnownCodes, RankingSeparator } from '$lib/ranking/query';
import { serializeRankingQuery } from '$lib/ranking/query';
import {
	defaultSortDirection,
	SORT_KEYS,
	type SortDirection,
	type SortKey
} from '$lib/ranking/ranked-table';
import {
	DEFAULT_WEIGHTS,
	findPreset,
	parseWeights,
	serializeWeights,
	WEIGHT_PRESETS
} from '$lib/ranking/weights';
import type { Weights } from '$lib/ranking/weights';
import { formatDecimal } from '$lib/format/number';
import { DEPARTEMENT_CODE, REGION_CODE } from '$lib/territory/territory-filter-params';
import { paramName, quoteParamValue as quote, type UrlCodec } from '$lib/url/codec';

/** What the table shows: level, filter, weights, sort and page. */
export interface RankingView {
	level: Level;
	/** Région code or null. */
	region: string | null;
	/** Département code or null. */
	departement: string | null;
	weights: Weights;
	tri: SortKey;
	ordre: SortDirection;
	/** 1-based page. */
	page: number;
}

/** One criterion cell of a row. */
export interface PageCriterion {
	id: CriterionId;
	/** Raw value in the criterion's unit, null when unknown. */
	value: number | null;
	/** Table cell, French formatting (same text as the explanation). */
	text: string;
	weight: number;
	/** Points added to the 0–100 score. */
	contribution: number;
	missing: boolean;
}

/** URL parameter names of the ranking tab. */
export const RANKING_PARAM = {
	level: 'classement_niveau',
	region: 'filtre_region',
	departement: 'filtre_departement',
	weights: 'poids',
	sort: 'tri',
	direction: 'ordre',
	page: 'page'
} as const;

/** Level of the table when the URL gives none. */
export const DEFAULT_RANKING_LEVEL: Level = 'commune';

/** The view of a fresh tab: communes of France, "Équilibré", by rank, first page. */
export function defaultRankingView(): RankingView {
	return {
		level: DEFAULT_RANKING_LEVEL,
		region: null,
		departement: null,
		weights: { ...DEFAULT_WEIGHTS },
		tri: 'rang',
		ordre: 'asc',
		page: 1
	};
}

/** Largest page number read from a URL (34,875 communes / 50 rows = 698 pages). */
const MAX_PAGE = 10_000;

/**
 * The ranking tab's parameters. Codes are checked for shape here and for existence with
 * `checkRankingCodes` once `territoires.json` is loaded; weights equal to a preset are written as
 * its id.
 * @example parseWith(rankingUrlCodec, new URLSearchParams('classement_niveau=epci&poids=qpv')).value.level // 'epci'
 */
export const rankingUrlCodec: UrlCodec<RankingView> = {
	keys: Object.values(RANKING_PARAM),

	parse(params, notices) {
		const view = defaultRankingView();
		const level = params.get(RANKING_PARAM.level);
		if (level !== null) {
			if ((LEVELS as readonly string[]).includes(level)) view.level = level as Level;
			else
				notices.push(
					`Niveau de classement ${quote(level)} inconnu (${paramName(RANKING_PARAM.level)}, attendu : commune, epci, departement ou region) : classement des communes.`
				);
		}

		const region = params.get(RANKING_PARAM.region);
		if (region !== null && region !== '') {
			if (REGION_CODE.test(region)) view.region = region;
			else
				notices.push(
					`Code région ${quote(region)} invalide (${paramName(RANKING_PARAM.region)}, attendu : deux chiffres) : filtre retiré.`
				);
		}
		const departement = params.get(RANKING_PARAM.departement)?.toUpperCase() ?? null;
		if (departement !== null && departement !== '') {
			if (!DEPARTEMENT_CODE.test(departement)) {
				notices.push(
					`Code département ${quote(departement)} invalide (${paramName(RANKING_PARAM.departement)}, attendu : par exemple 59, 2A ou 971) : filtre retiré.`
				);
			} else if (view.level === 'region') {
				notices.push(
					`Filtre par département impossible pour un classement des régions (${paramName(RANKING_PARAM.departement)}) : filtre retiré.`
				);
			} else view.departement = departement;
		}

		const weights = params.get(RANKING_PARAM.weights);
		if (weights !== null && weights !== '') {
			const preset = WEIGHT_PRESETS.find((p) => p.id === weights);
			if (preset) view.weights = { ...preset.weights };
			else if (weights.includes(':')) {
				const parsed = parseWeights(weights);
				if (parsed.ok) view.weights = parsed.weights;
				else
					notices.push(
						`Poids ${quote(weights)} illisibles (${paramName(RANKING_PARAM.weights)} : ${parsed.errors.join(' ')}) : pondération « Équilibré ».`
					);
			} else {
				notices.push(
					`Poids ${quote(weights)} inconnus (${paramName(RANKING_PARAM.weights)} ; préréglages : ${WEIGHT_PRESETS.map((p) => p.id).join(', ')}) : pondération « Équilibré ».`
				);
			}
		}

		const sort = params.get(RANKING_PARAM.sort);
		if (sort !== null) {
			if ((SORT_KEYS as readonly string[]).includes(sort)) view.tri = sort as SortKey;
			else
				notices.push(
					`Tri ${quote(sort)} inconnu (${paramName(RANKING_PARAM.sort)}, attendu : ${SORT_KEYS.join(', ')}) : tri par rang.`
				);
		}
		view.ordre = defaultSortDirection(view.tri);
		const direction = params.get(RANKING_PARAM.direction);
		if (direction !== null) {
			if (direction === 'asc' || direction === 'desc') view.ordre = direction;
			else
				notices.push(
					`Ordre ${quote(direction)} inconnu (${paramName(RANKING_PARAM.direction)}, attendu : asc ou desc) : ordre par défaut.`
				);
		}

		const page = params.get(RANKING_PARAM.page);
		if (page !== null) {
			const value = Number(page);
			if (/^\d+$/.test(page) && value >= 1 && value <= MAX_PAGE) view.page = value;
			else
				notices.push(
					`Page ${quote(page)} invalide (${paramName(RANKING_PARAM.page)}, attendu : un entier de 1 à ${MAX_PAGE}) : page 1.`
				);
		}
		return view;
	},

	serialize(view) {
		const entries: [string, string][] = [];
		if (view.level !== DEFAULT_RANKING_LEVEL) entries.push([RANKING_PARAM.level, view.level]);
		if (view.region) entries.push([RANKING_PARAM.region, view.region]);
		if (view.departement && view.level !== 'region')
			entries.push([RANKING_PARAM.departement, view.departement]);
		const preset = findPreset(view.weights);
		if (preset === null) entries.push([RANKING_PARAM.weights, serializeWeights(view.weights)]);
		else if (preset.id !== 'equilibre') entries.push([RANKING_PARAM.weights, preset.id]);
		if (view.tri !== 'rang') entries.push([RANKING_PARAM.sort, view.tri]);
		if (view.ordre !== defaultSortDirection(view.tri))
			entries.push([RANKING_PARAM.direction, view.ordre]);
		if (view.page > 1) entries.push([RANKING_PARAM.page, String(view.page)]);
		return entries;
	}
};

/**
 * Drop filter codes that do not exist (COG 2026) or do not fit together, with French notices.
 * Returns the same view object when nothing changes.
 */
export function checkRankingCodes(
	view: RankingView,
	known: KnownCodes
): { view: RankingView; notices: string[] } {
	const notices: string[] = [];
	let { region, departement } = view;
	if (region !== null && !known.regions.has(region)) {
		notices.push(
			`Région ${quote(region)} inconnue (${paramName(RANKING_PARAM.region)}, attendu : un code du COG 2026) : filtre retiré.`
		);
		region = null;
	}
	if (departement !== null && !known.departements.has(departement)) {
		notices.push(
			`Département ${quote(departement)} inconnu (${paramName(RANKING_PARAM.departement)}, attendu : un code du COG 2026) : filtre retiré.`
		);
		departement = null;
	}
	if (region !== null && departement !== null && known.departements.get(departement) !== region) {
		notices.push(
			`Le département ${quote(departement)} n’est pas dans la région ${quote(region)} (${paramName(RANKING_PARAM.departement)}) : filtre par département retiré.`
		);
		departement = null;
	}
	if (region === view.region && departement === view.departement) return { view, notices };
	return { view: { ...view, region, departement, page: 1 }, notices };
}

/**
 * The `/api/classement` query of the whole ranking the table shows (every row of the filter, in the
 * table's sort), for the export links. Same parameters as the table → same ranking.
 * @example exportQuery(view, 'csv', ',') // "niveau=commune&departement=80&format=csv&separateur=,"
 */
export function exportQuery(
	view: RankingView,
	format: 'csv' | 'geojson' | 'json' | 'xlsx' | 'metadonnees',
	separateur: RankingSeparator = ';'
): string {
	return serializeRankingQuery({
		niveau: view.level,
		region: view.region,
		departement: view.level === 'region' ? null : view.departement,
		weights: view.weights,
		tri: view.tri,
		ordre: view.ordre,
		format,
		separateur
	});
}

/**
 * The map values of a ranking: score 0–100 by territory code, null outside the filter (drawn as
 * "no data").
 */
export function buildScoreValues(
	codes: readonly string[],
	scores: Float32Array
): Map<string, number | null> {
	const values = new Map<string, number | null>();
	for (let i = 0; i < codes.length; i++) {
		const s = scores[i];
		values.set(codes[i], Number.isNaN(s) ? null : s);
	}
	return values;
}

/**
 * Colours of the criteria in the stacked bars: Paul Tol's "muted" qualitative scheme (9 colours
 * told apart with the common colour-vision deficiencies; personal.sron.nl/~pault, 2021).
 */
export const CRITERION_COLOURS: Record<CriterionId, string> = {
	eloignes: '#332288',
	part: '#88CCEE',
	acces: '#CC6677',
	distance: '#DDCC77',
	fibre: '#117733',
	mobile: '#44AA99',
	qpv: '#882255',
	rural: '#999933',
	pauvrete: '#AA4499'
};

/** Short French names of the criteria for column headers and bar descriptions. */
export const CRITERION_SHORT: Record<CriterionId, string> = {
	eloignes: 'Personnes éloignées',
	part: 'Part éloignée',
	acces: 'Offre (E2SFCA)',
	distance: 'Lieu le plus proche',
	fibre: 'Sans fibre',
	mobile: 'Absence 4G',
	qpv: 'QPV',
	rural: 'Ruralité',
	pauvrete: 'Pauvreté'
};

export interface BarSegment {
	id: CriterionId;
	/** Points of the 0–100 score, = width in % of the full bar. */
	points: number;
	colour: string;
	label: string;
}

/**
 * Segments of a row's stacked bar (criteria with a contribution, in criterion order) and its text
 * alternative: « Score 72,4 sur 100 : Personnes éloignées 21,3 points, … ».
 */
export function describeContributions(
	score: number,
	criteria: readonly PageCriterion[]
): { segments: BarSegment[]; text: string } {
	const segments = criteria
		.filter((c) => c.weight > 0 && c.contribution > 0)
		.map((c) => ({
			id: c.id,
			points: c.contribution,
			colour: CRITERION_COLOURS[c.id],
			label: CRITERION_SHORT[c.id]
		}));
	const parts = segments.map((s) => `${s.label} ${formatDecimal(s.points, 1)} points`);
	return {
		segments,
		text: `Score ${formatDecimal(score, 1)} sur 100${parts.length ? ` : ${parts.join(', ')}` : ''}.`
	};
}

/** The criterion's unit for a column header tooltip. */
export function criterionUnit(id: CriterionId): string {
	return CRITERIA[id].unit;
}

/** Criterion ids in table order (re-exported for the components). */
export const TABLE_CRITERIA: readonly CriterionId[] = CRITERION_IDS;
