/**
 * « Pourquoi ici » (issue 15, one story): each proposed site says why, with the ranking's own
 * phrases, and where the commune's mediation offer stands in the territory (lowest first).
 */
import { describe, expect, it } from 'vitest';
import { accessStandingOf, describeSiteReason } from '$lib/siting/site-reasons';

const columns = {
	eloignes: Float64Array.from([100, 300, 50, 0, 200, NaN]),
	accessScore: Float64Array.from([20, 5, 5, 1, 40, 10])
};

describe('accessStandingOf', () => {
	it('ranks the offer lowest first among communes with people éloignés, ties sharing a rank', () => {
		const standing = accessStandingOf(columns, [0, 1, 2, 3, 4, 5]);
		// Commune 3 has nobody éloigné and commune 5 no estimate: not ranked.
		expect(standing.ranked).toBe(4);
		expect([1, 2, 0, 4].map((i) => standing.rankOf.get(i))).toEqual([1, 1, 3, 4]);
		expect(standing.rankOf.has(3)).toBe(false);
		// (300·5 + 50·5 + 100·20 + 200·40) / 650
		expect(standing.mean).toBeCloseTo(11750 / 650, 9);
	});
});

describe('describeSiteReason', () => {
	const standing = accessStandingOf(columns, [0, 1, 2, 3, 4, 5]);
	it('uses the ranking criteria’s phrases and the standing', () => {
		expect(describeSiteReason(columns, standing, 0)).toBe(
			'Pourquoi ici : 100 personnes éloignées estimées, offre de médiation de 20,0 équivalents conseiller pour 10 000 personnes éloignées, la 3e plus faible des 4 communes du territoire (moyenne : 18,1).'
		);
		expect(describeSiteReason(columns, standing, 1)).toContain('la plus faible des 4 communes');
	});
	it('says what is unknown instead of printing NaN', () => {
		const text = describeSiteReason(columns, standing, 5);
		expect(text).not.toContain('NaN');
		expect(text).toBe(
			'Pourquoi ici : personnes éloignées non estimées, offre de médiation de 10,0 équivalents conseiller pour 10 000 personnes éloignées.'
		);
	});
});
