/**
 * Why a site was chosen, in the ranking's words (issue 15, « one story »): the commune's people
 * éloignés and its mediation offer (E2SFCA) with the phrases of the ranking's criteria
 * (`ranking/criteria.ts`), and where that offer stands among the territory's communes, lowest
 * first, as the ranking's « déficit d’accès » criterion orders them.
 */
import { formatDecimal, formatInteger } from '$lib/format/number';
import { CRITERIA } from '$lib/ranking/criteria';

/** The columns the reasons read: per commune, in the dataset's order. */
export interface SiteReasonColumns {
	eloignes: Float64Array;
	accessScore: Float64Array;
}

/** A territory's communes ordered by their offer, ready for many sites. */
export interface AccessStanding {
	/** Dataset index → 1-based rank of its offer, lowest first (ties share); 0 when unranked. */
	rankOf: Map<number, number>;
	/** Communes ranked (known offer and at least one person éloigné). */
	ranked: number;
	/** Need-weighted mean offer of the ranked communes. */
	mean: number;
}

/** Rank the `members` of a territory by their E2SFCA offer, lowest first. */
export function accessStandingOf(
	columns: SiteReasonColumns,
	members: readonly number[]
): AccessStanding {
	const known = members.filter(
		(i) => Number.isFinite(columns.accessScore[i]) && columns.eloignes[i] > 0
	);
	known.sort((a, b) => columns.accessScore[a] - columns.accessScore[b] || a - b);
	const rankOf = new Map<number, number>();
	let weighted = 0;
	let need = 0;
	known.forEach((i, k) => {
		const previous = known[k - 1];
		const tied = previous !== undefined && columns.accessScore[previous] === columns.accessScore[i];
		rankOf.set(i, tied ? rankOf.get(previous)! : k + 1);
		weighted += columns.eloignes[i] * columns.accessScore[i];
		need += columns.eloignes[i];
	});
	return { rankOf, ranked: known.length, mean: need > 0 ? weighted / need : NaN };
}

/**
 * The sentence for the commune `i` of a site.
 * @example describeSiteReason(columns, standing, i)
 * // "Pourquoi ici : 1 234 personnes éloignées estimées, offre de médiation de 12,3 équivalents
 * //  conseiller pour 10 000 personnes éloignées, la 5e plus faible des 256 communes du territoire
 * //  (moyenne : 35,7)."
 */
export function describeSiteReason(
	columns: SiteReasonColumns,
	standing: AccessStanding,
	i: number
): string {
	const eloignes = columns.eloignes[i];
	const score = columns.accessScore[i];
	const parts: string[] = [];
	// The two phrases read only their text and value, never the row.
	parts.push(
		Number.isFinite(eloignes)
			? CRITERIA.eloignes.phrase(formatInteger(eloignes), eloignes, null as never)
			: 'personnes éloignées non estimées'
	);
	if (Number.isFinite(score)) {
		let offer = CRITERIA.acces.phrase(formatDecimal(score, 1), score, null as never);
		const rank = standing.rankOf.get(i);
		if (rank) {
			offer += `, ${rank === 1 ? 'la plus faible' : `la ${formatInteger(rank)}e plus faible`} des ${formatInteger(standing.ranked)} communes du territoire (moyenne : ${formatDecimal(standing.mean, 1)})`;
		}
		parts.push(offer);
	}
	return `Pourquoi ici : ${parts.join(', ')}.`;
}
