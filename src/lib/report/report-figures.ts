/**
 * The figures a report compares with the département, the région and France: each read from the
 * ranking rows (so the report, the ranking table and the map agree), written with the ranking's own
 * formatting, and labelled with its sources.
 */
import {
	CRITERIA,
	formatCriterionValue,
	type CriterionId,
	type TerritoryRow
} from '../ranking/criteria';
import { formatPercent } from '../format/number';
import { ratioOfSums } from '../territory/aggregate';
import type { CommuneRecord, Level } from '../territory/commune';

/** Scopes a figure is shown for: the territory itself, then its parents. */
export type ComparisonScope = 'territoire' | 'departement' | 'region' | 'france';

/** The territory or one of its parents, with its ranking row and member communes. */
export interface ScopeTerritory {
	scope: ComparisonScope;
	level: Level | 'france';
	code: string;
	nom: string;
	row: TerritoryRow;
	communes: readonly CommuneRecord[];
}

/** One value of a figure for one scope. */
export interface ComparisonValue {
	scope: ComparisonScope;
	level: Level | 'france';
	code: string;
	nom: string;
	/** In the figure's unit; null when unknown. */
	value: number | null;
	/** French text of the value (« 40,0 % », « 6,2/10 », « – » when unknown). */
	text: string;
	/** Band of an estimated value (the share of people éloignés), same unit. */
	low?: number | null;
	high?: number | null;
}

export type ReportFigureId = CriterionId | 'densite';

export interface ComparisonFigure {
	id: ReportFigureId;
	label: string;
	unit: string;
	/** One sentence: what the value is. */
	description: string;
	/** `higher`: a larger value means more need of mediation; `lower`: a smaller one does. */
	priorityWhen: 'higher' | 'lower';
	/** Fixed scale of the chart when the unit has natural bounds (%, 0–10 scores), else null. */
	domain: [number, number] | null;
	values: ComparisonValue[];
	/** Dataset ids (sources.json) the figure is computed from. */
	sources: string[];
	/** The figure also rests on the atlas's needs estimate (whose own sources are listed with it). */
	usesEstimate: boolean;
}

/** Dataset ids of the needs model (the same list as `GET /api/estimations`). */
export const NEEDS_MODEL_DATASETS = [
	'cog-2026',
	'grille-densite',
	'ifn-2023',
	'filosofi-2021',
	'rp2021-nord',
	'illectronisme-insee'
] as const;

/** INSEE density levels counted as rural: 5 bourgs ruraux, 6 and 7 rural à habitat (très) dispersé. */
const RURAL_DENSITY_LEVELS = new Set([5, 6, 7]);

/**
 * Share of the population living in a rural commune of the INSEE density grid (levels 5–7), %; a
 * commune is 0 or 100. Null when no commune has a density level.
 */
export function ruralDensityShare(communes: readonly CommuneRecord[]): number | null {
	const share = ratioOfSums(
		communes,
		(c) => (c.densite === null ? null : RURAL_DENSITY_LEVELS.has(c.densite) ? c.population : 0),
		(c) => (c.densite === null ? null : c.population)
	);
	return share === null ? null : 100 * share;
}

interface FigureSpec {
	id: ReportFigureId;
	label: string;
	domain: [number, number] | null;
	sources: (mediatorSources: readonly string[]) => string[];
	usesEstimate?: boolean;
}

/** The compared figures, in the order of the report. Labels name the score and its year where it is one. */
const FIGURES: readonly FigureSpec[] = [
	{
		id: 'part',
		label: 'Part des 15 ans ou plus éloignés du numérique (estimation)',
		domain: null,
		sources: () => [...NEEDS_MODEL_DATASETS],
		usesEstimate: true
	},
	{
		id: 'acces',
		label: 'Accès à la médiation (équivalents conseiller pour 10 000 personnes éloignées)',
		domain: null,
		// Also built on the needs estimate, whose sources are listed with it (`usesEstimate`).
		sources: (m) => [...m, 'communes-centres'],
		usesEstimate: true
	},
	{
		id: 'distance',
		label: 'Distance au lieu de médiation le plus proche',
		domain: null,
		sources: (m) => [...m, 'communes-centres']
	},
	{
		id: 'fibre',
		label: 'Locaux non raccordables à la fibre (FttH)',
		domain: [0, 100],
		sources: () => ['arcep-fibre-2025', 'arcep-mci-2022']
	},
	{
		id: 'mobile',
		label: 'Couverture 4G insuffisante (score IFN 2023, de 0 à 10)',
		domain: [0, 10],
		sources: () => ['ifn-2023']
	},
	{
		id: 'pauvrete',
		label: 'Pauvreté (score IFN 2023, de 0 à 10)',
		domain: [0, 10],
		sources: () => ['ifn-2023']
	},
	{
		id: 'rural',
		label: 'Population en commune France Ruralités Revitalisation (FRR 2025)',
		domain: [0, 100],
		sources: () => ['frr-2025', 'cog-2026']
	},
	{
		id: 'densite',
		label: 'Population en commune rurale (grille communale de densité)',
		domain: [0, 100],
		sources: () => ['grille-densite', 'cog-2026']
	}
];

/** The rural-density figure, which is not a ranking criterion. */
const DENSITE = {
	unit: '% de la population',
	description:
		'Part de la population vivant dans une commune rurale de la grille communale de densité de l’INSEE (bourgs ruraux, rural à habitat dispersé ou très dispersé).',
	priorityWhen: 'higher' as const
};

/**
 * Every compared figure for the territory and its parents (`scopes`, the territory first).
 * @param mediatorSources dataset ids of the mediation places (France services, conseillers numériques…)
 */
export function compareFigures(
	scopes: readonly ScopeTerritory[],
	mediatorSources: readonly string[]
): ComparisonFigure[] {
	return FIGURES.map((spec) => {
		const values: ComparisonValue[] = scopes.map((s) => {
			const meta = { scope: s.scope, level: s.level, code: s.code, nom: s.nom };
			if (spec.id === 'densite') {
				const value = ruralDensityShare(s.communes);
				return { ...meta, value, text: formatPercent(value, 0) };
			}
			const criterion = CRITERIA[spec.id];
			const raw = criterion.read(s.row);
			const value = raw === null || !Number.isFinite(raw) ? null : raw;
			return { ...meta, value, text: formatCriterionValue(spec.id, s.row) };
		});
		const criterion = spec.id === 'densite' ? null : CRITERIA[spec.id];
		return {
			id: spec.id,
			label: spec.label,
			unit: criterion?.unit ?? DENSITE.unit,
			description: criterion?.description ?? DENSITE.description,
			priorityWhen: criterion?.priorityWhen ?? DENSITE.priorityWhen,
			domain: spec.domain,
			values,
			sources: [...new Set(spec.sources(mediatorSources))],
			usesEstimate: spec.usesEstimate ?? false
		};
	});
}
