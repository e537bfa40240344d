/**
 * The criteria of the priority ranking: what each one measures, its unit, which way is "more in need
 * of mediation", how it is read from a territory row and how its value is written. The table and the
 * one-sentence explanation both write values through `formatCriterionValue`, so they always show the
 * same numbers.
 */
import {
	formatDecimal,
	formatInteger,
	formatPercent,
	formatWithUnit,
	MISSING_VALUE
} from '../format/number';
import type { FrrCode, Level } from '../territory/commune';

/** One territory of the ranked level (a commune, an EPCI, a département or a région). */
export interface TerritoryRow {
	code: string;
	nom: string;
	level: Level;
	/** Département used for "rank within the département" (an EPCI's: the one holding most of its people). */
	dep: string | null;
	/** Région used for "rank within the région". */
	reg: string | null;
	/** Population municipale, persons. */
	population: number;
	/** Estimated people éloignés du numérique, persons (needs model). */
	eloignes: number | null;
	/** Their share of the people the model counts (aged 15+), %. */
	partEloignes: number | null;
	/** E2SFCA score, équivalents conseiller pour 10 000 personnes éloignées (above the commune: weighted by people éloignés). */
	accessScore: number | null;
	/** Straight-line distance to the nearest mediation place, km (above the commune: mean weighted by people éloignés). */
	nearestKm: number | null;
	/** Share of premises that can be connected to FttH, % (ARCEP). */
	fibreFtthPct: number | null;
	/** IFN 2023 "no 4G coverage" score, 0–10. */
	ifnNo4g: number | null;
	/** QPV 2024 touching the territory. */
	qpvCount: number | null;
	/** Share of the population living in a commune classed FRR (socle or FRR+), % (a commune: 0 or 100). */
	partFrr: number | null;
	/** FRR class of a commune (null above the commune level). */
	frr: FrrCode | null;
	/** IFN 2023 poverty score, 0–10. */
	ifnPoverty: number | null;
}

export const CRITERION_IDS = [
	'eloignes',
	'part',
	'acces',
	'distance',
	'fibre',
	'mobile',
	'qpv',
	'rural',
	'pauvrete'
] as const;
export type CriterionId = (typeof CRITERION_IDS)[number];

export interface Criterion {
	id: CriterionId;
	/** French label of the slider and the table column. */
	label: string;
	/** Unit of the value as read, in French. */
	unit: string;
	/** `higher`: a larger value means more need of mediation; `lower`: a smaller one does. */
	priorityWhen: 'higher' | 'lower';
	/** One French sentence: what the value is, with its source and year. */
	description: string;
	/** The row's value in `unit`, null when unknown. */
	read(row: TerritoryRow): number | null;
	/** The table cell of a known value. */
	format(value: number, row: TerritoryRow): string;
	/** The explanation's phrase around the table cell `text`. */
	phrase(text: string, value: number, row: TerritoryRow): string;
}

/** French labels of the FRR classes at commune level (PROVENANCE §9: 2 and 3 have no published label). */
const FRR_CELL: Record<FrrCode, string> = {
	0: 'non classée',
	1: 'FRR (transition)',
	2: 'à vérifier',
	3: 'à vérifier',
	4: 'FRR',
	5: 'FRR+'
};

const plural = (value: number, one: string, many: string) => (Math.abs(value) < 2 ? one : many);

const criteria: Criterion[] = [
	{
		id: 'eloignes',
		label: 'Personnes éloignées du numérique (estimation)',
		unit: 'personnes',
		priorityWhen: 'higher',
		description:
			'Nombre estimé de personnes de 15 ans ou plus en situation d’illectronisme (modèle de l’atlas).',
		read: (r) => r.eloignes,
		format: (v) => formatInteger(v),
		phrase: (t, v) =>
			`${t} ${plural(Math.round(v), 'personne éloignée estimée', 'personnes éloignées estimées')}`
	},
	{
		id: 'part',
		label: 'Part de personnes éloignées du numérique',
		unit: '%',
		priorityWhen: 'higher',
		description:
			'Part estimée des 15 ans ou plus en situation d’illectronisme (modèle de l’atlas).',
		read: (r) => r.partEloignes,
		format: (v) => formatPercent(v, 1),
		phrase: (t) => `${t} des 15 ans ou plus éloignés du numérique`
	},
	{
		id: 'acces',
		label: 'Déficit d’accès à la médiation (E2SFCA)',
		unit: 'équivalents conseiller pour 10 000 personnes éloignées',
		priorityWhen: 'lower',
		description:
			'Offre de médiation joignable, pondérée par la distance et partagée entre les personnes éloignées qui peuvent la joindre (méthode E2SFCA, comme l’APL de la DREES) : moins il y en a, plus le besoin est grand.',
		read: (r) => r.accessScore,
		format: (v) => formatDecimal(v, 1),
		phrase: (t, v) =>
			`offre de médiation de ${t} ${plural(Math.round(v * 10) / 10, 'équivalent', 'équivalents')} conseiller pour 10 000 personnes éloignées`
	},
	{
		id: 'distance',
		label: 'Distance au lieu de médiation le plus proche',
		unit: 'km',
		priorityWhen: 'higher',
		description:
			'Distance à vol d’oiseau du centre de la commune (près de la mairie) au lieu de médiation le plus proche ; au-dessus de la commune, moyenne pondérée par les personnes éloignées.',
		read: (r) => r.nearestKm,
		format: (v) => formatWithUnit(v, 'km', v < 10 ? 1 : 0),
		phrase: (t, _, row) =>
			row.level === 'commune'
				? `lieu le plus proche à ${t}`
				: `lieu le plus proche à ${t} en moyenne`
	},
	{
		id: 'fibre',
		label: 'Locaux non raccordables à la fibre',
		unit: '%',
		priorityWhen: 'higher',
		description: 'Part des locaux non raccordables à la fibre (100 − part FttH, ARCEP, vers 2025).',
		read: (r) => (r.fibreFtthPct === null ? null : Math.max(0, 100 - r.fibreFtthPct)),
		format: (v) => formatPercent(v, 1),
		phrase: (t) => `${t} des locaux sans fibre`
	},
	{
		id: 'mobile',
		label: 'Couverture 4G insuffisante (score IFN)',
		unit: 'score 0–10',
		priorityWhen: 'higher',
		description:
			'Sous-score « absence de couverture 4G » de l’indice de fragilité numérique (La MedNum, 2023), de 0 à 10.',
		read: (r) => r.ifnNo4g,
		format: (v) => `${formatDecimal(v, 1)}/10`,
		phrase: (t) => `score IFN d’absence de 4G ${t}`
	},
	{
		id: 'qpv',
		label: 'Quartiers prioritaires de la politique de la ville (QPV)',
		unit: 'QPV',
		priorityWhen: 'higher',
		description: 'Nombre de QPV 2024 qui touchent le territoire (ANCT).',
		read: (r) => r.qpvCount,
		format: (v) => formatInteger(v),
		phrase: (t, v) => `${t} ${plural(v, 'quartier prioritaire', 'quartiers prioritaires')}`
	},
	{
		id: 'rural',
		label: 'Ruralité (France Ruralités Revitalisation)',
		unit: '% de la population',
		priorityWhen: 'higher',
		description:
			'Part de la population vivant dans une commune classée FRR ou FRR+ (Observatoire des territoires, 2025) ; une commune vaut 0 ou 100.',
		read: (r) => r.partFrr,
		format: (v, row) =>
			row.level === 'commune' && row.frr !== null ? FRR_CELL[row.frr] : formatPercent(v, 0),
		phrase: (t, _, row) =>
			row.level === 'commune' && row.frr !== null
				? `commune classée ${t}`
				: `${t} des habitants en commune FRR`
	},
	{
		id: 'pauvrete',
		label: 'Pauvreté (score IFN)',
		unit: 'score 0–10',
		priorityWhen: 'higher',
		description:
			'Sous-score « pauvreté » de l’indice de fragilité numérique (La MedNum, 2023), de 0 à 10, connu pour presque toutes les communes (le taux de pauvreté Filosofi n’est publié que pour les communes assez peuplées, secret statistique oblige).',
		read: (r) => r.ifnPoverty,
		format: (v) => `${formatDecimal(v, 1)}/10`,
		phrase: (t) => `score IFN de pauvreté ${t}`
	}
];

/** The criteria, in the order of the sliders, the table and the weight string. */
export const CRITERIA: Readonly<Record<CriterionId, Criterion>> = Object.fromEntries(
	criteria.map((c) => [c.id, c])
) as Record<CriterionId, Criterion>;

/** Whether `id` names a criterion. */
export function isCriterionId(id: string): id is CriterionId {
	return (CRITERION_IDS as readonly string[]).includes(id);
}

/**
 * The table cell of a criterion for a row: its value written the French way, or "–" when unknown.
 * The explanation quotes this same text.
 * @example formatCriterionValue('fibre', row) // "40 %"
 */
export function formatCriterionValue(id: CriterionId, row: TerritoryRow): string {
	const criterion = CRITERIA[id];
	const value = criterion.read(row);
	return value === null || !Number.isFinite(value) ? MISSING_VALUE : criterion.format(value, row);
}
