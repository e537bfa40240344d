/**
 * The indicators the map can show: what they measure, where they come from, how a commune's value is
 * read and how communes are aggregated to an EPCI, a département or a région. Aggregates are sums of
 * counts and ratios of sums (or weighted means, which are ratios of sums of value × weight), never
 * plain means of shares: a département's fibre share is its premises' share, not the mean of its
 * communes' shares.
 */
import type { PaletteId } from '$lib/charts/colour-scale';
import { groupCommunesByLevel, ratioOfSums, weightedMean } from '$lib/territory/aggregate';
import type { CommuneRecord, Level } from '$lib/territory/commune';
import { THEMATIC_INDICATORS, type ThematicIndicatorId } from './thematic-catalog';
import { ESTIMATE_INDICATORS, type EstimateIndicatorId } from '../needs/catalog';

export type IndicatorId =
	| 'fibre-ftth'
	| 'thd-100-2022'
	| 'ifn-total'
	| 'densite-population'
	| ThematicIndicatorId
	| EstimateIndicatorId;

/** How commune values combine into a territory value. */
export type Aggregation =
	| {
			kind: 'weighted-mean';
			/** What weighs each commune's value. */
			weight: 'population' | 'locaux-2022';
	  }
	| { kind: 'ratio-of-sums' }
	| { kind: 'sum' };

export interface IndicatorDefinition {
	id: IndicatorId;
	/** French label, with its unit or scale and year. */
	label: string;
	/** Short French label for the tooltip. */
	shortLabel: string;
	/** Unit appended to values (`%`, `hab./km²`), empty for scores. */
	unit: string;
	/** Decimals shown. */
	digits: number;
	/** One French sentence: what the value means, with its year. */
	description: string;
	/** Dataset ids (sources.json) to credit when the indicator is shown, main source first. */
	sources: string[];
	palette: PaletteId;
	aggregation: Aggregation;
	/** French wording of the aggregation, shown in the legend. */
	aggregationLabel: string;
	/**
	 * Values computed elsewhere and handed to the page (the estimate's Web Worker): `communeValue`
	 * and `aggregate` then return null. See `DashboardPage.provideValues`.
	 */
	provided?: boolean;
	/** The value of one commune (null: not published or not joined). */
	communeValue(c: CommuneRecord): number | null;
	/** The value of a group of communes (a territory), following `aggregation`. */
	aggregate(communes: readonly CommuneRecord[]): number | null;
}

const population = (c: CommuneRecord): number | null => c.population;
const premises2022 = (c: CommuneRecord): number | null => c.locaux2022;

/** Per cent from a ratio of two counts; null when the ratio is unknown. */
const percentOf = (ratio: number | null): number | null => (ratio === null ? null : ratio * 100);

const positive = (v: number | null): number | null => (v !== null && v > 0 ? v : null);

export const INDICATORS: readonly IndicatorDefinition[] = [
	// Issue 3's estimate of people « éloignés du numérique » (share view), first: the Atlas leads
	// with need (issue 15); see estimate-catalog.ts.
	...ESTIMATE_INDICATORS,
	{
		id: 'fibre-ftth',
		label: 'Part des locaux raccordables à la fibre (FttH), vers 2025',
		shortLabel: 'Locaux raccordables à la fibre',
		unit: '%',
		digits: 1,
		description:
			'Part des locaux (logements et locaux professionnels) raccordables à la fibre optique jusqu’à l’abonné, ARCEP, dernier trimestre publié début 2026 (probablement le 3e trimestre 2025).',
		sources: ['arcep-fibre-2025', 'arcep-mci-2022'],
		palette: 'ylgnbu',
		aggregation: { kind: 'weighted-mean', weight: 'locaux-2022' },
		aggregationLabel:
			'moyenne des communes pondérée par leur nombre de locaux (ARCEP « Ma connexion internet », 2022)',
		communeValue: (c) => c.fibreFtthPct,
		aggregate: (communes) => weightedMean(communes, (c) => c.fibreFtthPct, premises2022)
	},
	{
		id: 'thd-100-2022',
		label: 'Part des locaux éligibles à un débit ≥ 100 Mbit/s, 2022',
		shortLabel: 'Locaux éligibles ≥ 100 Mbit/s',
		unit: '%',
		digits: 1,
		description:
			'Part des locaux éligibles à un accès internet d’au moins 100 Mbit/s, toutes technologies, ARCEP « Ma connexion internet », 4e trimestre 2022.',
		sources: ['arcep-mci-2022'],
		palette: 'pubu',
		aggregation: { kind: 'ratio-of-sums' },
		aggregationLabel: 'rapport des sommes : locaux éligibles ÷ locaux, sur toutes les communes',
		communeValue: (c) => percentOf(ratioOfSums([c], (x) => x.locauxThd100_2022, premises2022)),
		aggregate: (communes) =>
			percentOf(ratioOfSums(communes, (c) => c.locauxThd100_2022, premises2022))
	},
	{
		id: 'ifn-total',
		label: 'Indice de fragilité numérique (IFN 2023, score 0–10)',
		shortLabel: 'Indice de fragilité numérique',
		unit: '',
		digits: 1,
		description:
			'Score de 0 à 10 (La MedNum et ANCT, 2023), moyenne de cinq sous-scores (couverture très haut débit et 4G, pauvreté, part des 65 ans et plus, part des non-diplômés) ; plus il est élevé, plus la commune est fragile. C’est un score, pas une part de la population.',
		sources: ['ifn-2023'],
		palette: 'purd',
		aggregation: { kind: 'weighted-mean', weight: 'population' },
		aggregationLabel: 'moyenne des communes pondérée par la population',
		communeValue: (c) => c.ifnTotal,
		aggregate: (communes) => weightedMean(communes, (c) => c.ifnTotal, population)
	},
	{
		id: 'densite-population',
		label: 'Densité de population (hab./km²)',
		shortLabel: 'Densité de population',
		unit: 'hab./km²',
		digits: 0,
		description:
			'Population municipale (INSEE, populations légales en vigueur au 1er janvier 2026) rapportée à la surface de la commune (IGN).',
		sources: ['cog-2026', 'communes-centres'],
		palette: 'viridis',
		aggregation: { kind: 'ratio-of-sums' },
		aggregationLabel: 'rapport des sommes : population totale ÷ surface totale',
		communeValue: (c) => ratioOfSums([c], population, (x) => positive(x.surfaceKm2)),
		aggregate: (communes) => ratioOfSums(communes, population, (c) => positive(c.surfaceKm2))
	},
	// Issue 4's thematic layers (white zones, 4G): see thematic-catalog.ts.
	...THEMATIC_INDICATORS
];

/** The indicator of need: the estimated share of people éloignés du numérique. */
export const NEED_INDICATOR_ID: IndicatorId = 'eloignes-part';

/** The first screen shows need. */
export const DEFAULT_INDICATOR_ID: IndicatorId = NEED_INDICATOR_ID;

/** The indicator with this id, or undefined. */
export function findIndicator(id: string): IndicatorDefinition | undefined {
	return INDICATORS.find((indicator) => indicator.id === id);
}

/**
 * The indicator's value for every territory of `level`, keyed by territory code (commune INSEE
 * code, EPCI SIREN, département or région code). Territories whose communes have no value map to
 * null. Communes without an EPCI (4 single-commune islands) have no EPCI value.
 */
export function computeIndicatorValues(
	indicator: IndicatorDefinition,
	communes: readonly CommuneRecord[],
	level: Level
): Map<string, number | null> {
	const values = new Map<string, number | null>();
	if (level === 'commune') {
		for (const c of communes) values.set(c.code, indicator.communeValue(c));
		return values;
	}
	for (const [code, group] of groupCommunesByLevel(communes, level)) {
		values.set(code, indicator.aggregate(group));
	}
	return values;
}

/** How many of `communes` have a value for the indicator (to say how complete an aggregate is). */
export function countCommunesWithValue(
	indicator: IndicatorDefinition,
	communes: readonly CommuneRecord[]
): number {
	let known = 0;
	for (const c of communes) if (indicator.communeValue(c) !== null) known++;
	return known;
}
