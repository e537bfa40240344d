/**
 * The columns of a ranked table's flat exports (CSV header, GeoJSON properties) and the row shapes
 * of the JSON export, numbers rounded the same way everywhere. Column names are French snake_case,
 * like the rest of the public API. The files themselves are written by ranking-export.ts.
 */
import type { CsvColumn } from './csv';
import { CRITERIA, CRITERION_IDS, type CriterionId } from '../ranking/criteria';
import type { RankedRow } from '../ranking/ranked-table';

/** Version of the export layout (columns and metadata); bump when a column changes. */
export const RANKING_EXPORT_VERSION = '1';

/** Column name and decimals of each criterion's raw value in the flat exports. */
export const CRITERION_COLUMNS: Readonly<Record<CriterionId, { column: string; digits: number }>> =
	{
		eloignes: { column: 'eloignes', digits: 0 },
		part: { column: 'part_eloignes_pct', digits: 1 },
		acces: { column: 'acces_equivalents_conseiller_pour_10000', digits: 2 },
		distance: { column: 'distance_lieu_plus_proche_km', digits: 1 },
		fibre: { column: 'locaux_sans_fibre_pct', digits: 1 },
		mobile: { column: 'score_ifn_absence_4g', digits: 2 },
		qpv: { column: 'qpv', digits: 0 },
		rural: { column: 'population_en_frr_pct', digits: 1 },
		pauvrete: { column: 'score_ifn_pauvrete', digits: 2 }
	};

/** A column of the flat exports (CSV header and GeoJSON property). */
export interface RankingColumn extends CsvColumn<RankedRow> {
	/** French description with unit, for the JSON metadata. */
	description: string;
}

const missingCriteria = (row: RankedRow) =>
	CRITERION_IDS.filter((id) => row.criterionWeight(id) > 0 && row.criterionMissing(id)).join(', ');

/** The columns of the CSV and of the GeoJSON properties, in order. */
export const RANKING_COLUMNS: readonly RankingColumn[] = [
	{
		header: 'position',
		value: (r) => r.position,
		digits: 0,
		description: 'Place dans le tableau par score décroissant (1 à n, sans ex æquo).'
	},
	{
		header: 'rang',
		value: (r) => r.rank,
		digits: 0,
		description:
			'Rang dans le groupe (1 = le plus prioritaire) ; deux scores égaux partagent un rang.'
	},
	{
		header: 'rang_sur',
		value: (r) => r.groupSize,
		digits: 0,
		description: 'Nombre de territoires classés dans le groupe.'
	},
	{
		header: 'code',
		value: (r) => r.territory.code,
		description: 'Code officiel (COG 2026, SIREN pour les EPCI).'
	},
	{ header: 'nom', value: (r) => r.territory.nom, description: 'Nom du territoire.' },
	{
		header: 'niveau',
		value: (r) => r.territory.level,
		description: 'Niveau : commune, epci, departement ou region.'
	},
	{
		header: 'departement',
		value: (r) => (r.territory.level === 'departement' ? r.territory.code : r.territory.dep),
		description: 'Code du département (pour un EPCI : celui qui regroupe le plus d’habitants).'
	},
	{
		header: 'region',
		value: (r) => (r.territory.level === 'region' ? r.territory.code : r.territory.reg),
		description: 'Code de la région (pour un EPCI : celle qui regroupe le plus d’habitants).'
	},
	{
		header: 'population',
		value: (r) => r.territory.population,
		digits: 0,
		description:
			'Population municipale (INSEE, populations légales en vigueur au 1er janvier 2026), habitants.'
	},
	{
		header: 'score',
		value: (r) => r.score,
		digits: 2,
		description:
			'Score de priorité, 0 à 100 : moyenne pondérée des besoins normalisés des critères.'
	},
	...CRITERION_IDS.map((id): RankingColumn => ({
		header: CRITERION_COLUMNS[id].column,
		value: (r) => r.criterionValue(id),
		digits: CRITERION_COLUMNS[id].digits,
		description: `${CRITERIA[id].label} (${CRITERIA[id].unit}). Vide si inconnu.`
	})),
	...CRITERION_IDS.map((id): RankingColumn => ({
		header: `contribution_${id}`,
		value: (r) => r.criterionContribution(id),
		digits: 2,
		description: `Points de score apportés par « ${CRITERIA[id].label} » (0 si son poids est nul) ; les contributions s’additionnent en score.`
	})),
	{
		header: 'donnees_manquantes',
		value: missingCriteria,
		description:
			'Critères pondérés dont la valeur est inconnue (la médiane du classement les remplace).'
	},
	{
		header: 'explication',
		value: (r) => r.explanation,
		description:
			'Une phrase : le rang et les critères qui pèsent le plus, avec les valeurs du tableau.'
	}
];

/** A number rounded to a column's decimals (the JSON and GeoJSON carry what the CSV shows). */
function rounded(value: number | null, digits: number | undefined): number | null {
	if (value === null || !Number.isFinite(value)) return null;
	if (digits === undefined) return value;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor + 0; // + 0: no −0
}

/** The flat record of a row: one property per column, numbers rounded like the CSV. */
export function flattenRankedRow(row: RankedRow): Record<string, string | number | null> {
	const record: Record<string, string | number | null> = {};
	for (const c of RANKING_COLUMNS) {
		const v = c.value(row);
		record[c.header] =
			typeof v === 'number'
				? rounded(v, c.digits)
				: v === undefined || v === ''
					? null
					: (v as string | null);
	}
	return record;
}

/** One criterion of a JSON row. */
export interface RankingJsonCriterion {
	/** Raw value in the criterion's unit, rounded like the CSV; null when unknown. */
	valeur: number | null;
	/** Table text, French formatting (quoted by the explanation). */
	texte: string;
	poids: number;
	/** Normalised need, 0–1 (1 = most in need of the normalisation set). */
	besoin: number;
	/** Points of the 0–100 score. */
	contribution: number;
	manquant: boolean;
}

export interface RankingJsonRow {
	position: number;
	rang: number;
	rang_sur: number;
	code: string;
	nom: string;
	niveau: string;
	departement: string | null;
	region: string | null;
	population: number;
	score: number;
	criteres: Record<CriterionId, RankingJsonCriterion>;
	explication: string;
}

/** A row of the JSON export: identity, rank, score, every criterion nested, the explanation. */
export function toRankingJsonRow(row: RankedRow): RankingJsonRow {
	const flat = flattenRankedRow(row);
	const criteres = {} as Record<CriterionId, RankingJsonCriterion>;
	for (const id of CRITERION_IDS) {
		const c = row.criteria[id];
		criteres[id] = {
			valeur: rounded(c.value, CRITERION_COLUMNS[id].digits),
			texte: c.text,
			poids: c.weight,
			besoin: rounded(c.need, 4) as number,
			contribution: rounded(c.contribution, 2) as number,
			manquant: c.missing
		};
	}
	return {
		position: row.position,
		rang: row.rank,
		rang_sur: row.groupSize,
		code: row.territory.code,
		nom: row.territory.nom,
		niveau: row.territory.level,
		departement: flat.departement as string | null,
		region: flat.region as string | null,
		population: row.territory.population,
		score: flat.score as number,
		criteres,
		explication: row.explanation
	};
}
