/**
 * One French sentence per ranked territory: its rank in its group, then the criteria that add most to
 * its score, each with the same text as its table cell (`formatCriterionValue`).
 * « Classée 3e du département : 4 200 personnes éloignées estimées, lieu le plus proche à 18 km,
 * 40 % des locaux sans fibre. »
 */
import type { Level } from '../territory/commune';
import { CRITERIA, formatCriterionValue } from './criteria';
import { contributionsOf, type PreparedRanking, type RankGroup, type Ranking } from './rank';

/** Grammatical gender of the level's noun (la commune, l’intercommunalité, le département, la région). */
const FEMININE: Record<Level, boolean> = {
	commune: true,
	epci: true,
	departement: false,
	region: true
};

const GROUP_WORDING: Record<RankGroup, string> = {
	france: 'en France',
	region: 'de la région',
	departement: 'du département'
};

/** Largest number of criteria quoted in one sentence. */
export const MAX_REASONS = 3;

/**
 * French ordinal of a rank: 1re / 1er, then 2e, 3e…
 * @example formatRankOrdinal(1, true) // "1re"
 */
export function formatRankOrdinal(rank: number, feminine: boolean): string {
	return rank === 1 ? (feminine ? '1re' : '1er') : `${rank}e`;
}

/**
 * The explanation of row `i`: its rank in the ranking's group, then up to three criteria with the
 * largest contributions (known values only, contribution > 0), quoting the table's cells. Weighted
 * criteria whose value is unknown are named at the end, since the median stood in for them.
 */
export function explainRank(prepared: PreparedRanking, ranking: Ranking, i: number): string {
	const row = prepared.rows[i];
	const feminine = FEMININE[row.level];
	const rank = ranking.rank[i];
	const head =
		rank === 0
			? `${feminine ? 'Non classée' : 'Non classé'} ${GROUP_WORDING[ranking.group]}`
			: `${feminine ? 'Classée' : 'Classé'} ${formatRankOrdinal(rank, feminine)} ${GROUP_WORDING[ranking.group]}`;
	const contributions = contributionsOf(prepared, ranking.weights, i);
	const reasons = contributions
		.filter((c) => !c.missing && c.contribution > 0)
		// Largest first; equal contributions keep the criteria's order.
		.sort((a, b) => b.contribution - a.contribution)
		.slice(0, MAX_REASONS)
		.map((c) => CRITERIA[c.id].phrase(formatCriterionValue(c.id, row), c.value as number, row));
	const body =
		reasons.length > 0
			? reasons.join(', ')
			: `aucun critère pondéré ne ${feminine ? 'la' : 'le'} distingue`;
	const missing = contributions
		.filter((c) => c.missing)
		.map((c) => CRITERIA[c.id].label.charAt(0).toLowerCase() + CRITERIA[c.id].label.slice(1));
	const note =
		missing.length === 0
			? ''
			: ` (${missing.length === 1 ? 'donnée manquante' : 'données manquantes'} : ${missing.join(', ')})`;
	return `${head} : ${body}${note}.`;
}
