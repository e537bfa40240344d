import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeAccessibility } from '../../src/lib/access/e2sfca';
import { findNearestPlaces } from '../../src/lib/access/nearest';
import {
	CRITERIA,
	CRITERION_IDS,
	formatCriterionValue,
	type CriterionId,
	type TerritoryRow
} from '../../src/lib/ranking/criteria';
import { explainRank, formatRankOrdinal } from '../../src/lib/ranking/explain';
import { contributionsOf, prepareRanking, rankTerritories } from '../../src/lib/ranking/rank';
import { buildRankingRows, type CommuneAccess } from '../../src/lib/ranking/rows';
import { DEFAULT_WEIGHTS, WEIGHT_PRESETS, type Weights } from '../../src/lib/ranking/weights';
import type { QpvByCommune } from '../../src/lib/territory/artifacts';
import type { CommuneRecord } from '../../src/lib/territory/commune';

const fixtureUrl = (name: string) => new URL(`../fixtures/ranking/${name}`, import.meta.url);

function readAvesnois(): { communes: CommuneRecord[]; qpv: QpvByCommune } {
	const f = JSON.parse(readFileSync(fixtureUrl('avesnois-4-communes.json'), 'utf8'));
	return { communes: f.communes as CommuneRecord[], qpv: f.qpv };
}

function readNord(): { communes: CommuneRecord[]; qpv: QpvByCommune } {
	const f = JSON.parse(readFileSync(fixtureUrl('nord-communes.json'), 'utf8'));
	const communes = (f.rows as unknown[][]).map((row) => {
		const record: Record<string, unknown> = { dep: '59', reg: '32', zone: 'metro' };
		(f.columns as string[]).forEach((column, j) => (record[column] = row[j]));
		return record as unknown as CommuneRecord;
	});
	return { communes, qpv: f.qpv };
}

const noWeights = Object.fromEntries(CRITERION_IDS.map((id) => [id, 0])) as Weights;

/*
 * A 4-commune ranking by hand (real values, Avesnois), weights fibre 2, mobile 3, qpv 1, rural 1,
 * pauvrete 2 (Σ = 9); other criteria 0.
 *                 fibre gap   4G score  QPV  FRR            poverty
 *   Aibes         0.0 %       5         0    non classée 0  3
 *   Avesnelles    1.2 %       5         0    FRR 100        8
 *   Étrœungt      0.0 %       5         0    FRR+ 100       9
 *   Maubeuge      0.3 %       5         5    non classée 0  9.7255
 * Rescaled mid-ranks (lowest 0, highest 1, ties share their mean rank):
 *   fibre: 0, 0 tie (mid-rank 0.5), 0.3 → 2, 1.2 → 3; span 2.5 → Aibes 0, Étrœungt 0, Maubeuge 0.6, Avesnelles 1
 *   4G: all equal → 0 for all (the criterion tells nothing here)
 *   QPV: three 0 (mid-rank 1), Maubeuge 3 → Maubeuge 1, others 0
 *   FRR: two 0 (0.5), two 100 (2.5) → Avesnelles 1, Étrœungt 1, others 0
 *   poverty: 3 < 8 < 9 < 9.7255 → 0, 1/3, 2/3, 1
 * Scores: Aibes      = 0
 *         Avesnelles = (2 × 1 + 1 × 1 + 2 × 1/3) / 9 = 11/27 = 0.407407
 *         Étrœungt   = (1 × 1 + 2 × 2/3) / 9         =  7/27 = 0.259259
 *         Maubeuge   = (2 × 0.6 + 1 × 1 + 2 × 1) / 9 =  7/15 = 0.466667
 * Ranking: Maubeuge 1, Avesnelles 2, Étrœungt 3, Aibes 4.
 * Maubeuge's contributions: poverty 2/9 = 0.222, fibre 1.2/9 = 0.133, QPV 1/9 = 0.111.
 */
describe('classement de 4 communes calculé à la main', () => {
	const { communes, qpv } = readAvesnois();
	const rows = buildRankingRows(communes, 'commune', { qpv });
	const prepared = prepareRanking(rows);
	const weights: Weights = { ...noWeights, fibre: 2, mobile: 3, qpv: 1, rural: 1, pauvrete: 2 };
	const ranking = rankTerritories(prepared, weights, 'departement');

	it('scores, ordre et rangs', () => {
		expect(rows.map((r) => r.code)).toEqual(['59003', '59035', '59218', '59392']);
		expect(Array.from(ranking.score)).toEqual([
			0,
			expect.closeTo(11 / 27, 12),
			expect.closeTo(7 / 27, 12),
			expect.closeTo(7 / 15, 12)
		]);
		expect(Array.from(ranking.order).map((i) => rows[i].nom)).toEqual([
			'Maubeuge',
			'Avesnelles',
			'Étrœungt',
			'Aibes'
		]);
		expect(Array.from(ranking.rank)).toEqual([4, 2, 3, 1]);
		expect(Array.from(ranking.groupSize)).toEqual([4, 4, 4, 4]);
	});

	it('contributions de Maubeuge pour la barre empilée', () => {
		const contributions = contributionsOf(prepared, weights, 3);
		expect(contributions.map((c) => [c.id, c.contribution])).toEqual([
			['fibre', expect.closeTo(1.2 / 9, 12)],
			['mobile', 0],
			['qpv', expect.closeTo(1 / 9, 12)],
			['rural', 0],
			['pauvrete', expect.closeTo(2 / 9, 12)]
		]);
		expect(contributions.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(ranking.score[3], 15);
	});

	it.each([
		[
			3,
			'Classée 1re du département : score IFN de pauvreté 9,7/10, 0,3\u00a0% des locaux sans fibre, 5 quartiers prioritaires.'
		],
		[
			1,
			'Classée 2e du département : 1,2\u00a0% des locaux sans fibre, commune classée FRR, score IFN de pauvreté 8,0/10.'
		],
		[2, 'Classée 3e du département : score IFN de pauvreté 9,0/10, commune classée FRR+.'],
		[0, 'Classée 4e du département : aucun critère pondéré ne la distingue.']
	])('explication de la ligne %i', (i, sentence) => {
		expect(explainRank(prepared, ranking, i)).toBe(sentence);
	});

	it('un critère pondéré sans valeur est signalé et prend la médiane', () => {
		const withNeed = rankTerritories(prepared, { ...weights, eloignes: 1 }, 'departement');
		expect(prepared.missing.eloignes).toEqual(Uint8Array.of(1, 1, 1, 1));
		expect(explainRank(prepared, withNeed, 3)).toMatch(
			/\(donnée manquante : personnes éloignées du numérique \(estimation\)\)\.$/
		);
	});

	it('regroupe les communes par EPCI à la main', () => {
		const epci = buildRankingRows(communes, 'epci', { qpv });
		expect(epci.map((r) => r.code)).toEqual(['200043263', '200043396']);
		const [coeur, maubeuge] = epci;
		// Avesnelles + Étrœungt: 3 465 inhabitants, all in FRR communes.
		expect(coeur.population).toBe(3465);
		expect(coeur.partFrr).toBe(100);
		// FttH weighted by premises: (98.8 × 1 350 + 100 × 706) / 2 056.
		expect(coeur.fibreFtthPct).toBeCloseTo((98.8 * 1350 + 100 * 706) / 2056, 12);
		// Poverty score weighted by population: (8 × 2 232 + 9 × 1 233) / 3 465.
		expect(coeur.ifnPoverty).toBeCloseTo((8 * 2232 + 9 * 1233) / 3465, 12);
		expect(maubeuge.qpvCount).toBe(5);
		expect(maubeuge.partFrr).toBe(0);
		expect(maubeuge.dep).toBe('59');
		// No needs estimate was given: unknown, never 0.
		expect(maubeuge.eloignes).toBeNull();
	});

	it('refuse un groupe qui n’a pas de sens au niveau classé', () => {
		const departements = prepareRanking(buildRankingRows(communes, 'departement'));
		expect(() => rankTerritories(departements, weights, 'departement')).toThrow(
			/le niveau « departement » ne se classe pas par « departement »/
		);
	});

	it.each([
		[1, true, '1re'],
		[1, false, '1er'],
		[2, true, '2e'],
		[34875, true, '34875e']
	])('ordinal de %i', (rank, feminine, text) => {
		expect(formatRankOrdinal(rank, feminine)).toBe(text);
	});
});

describe('propriétés sur les 647 communes du Nord (extrait réel)', () => {
	const { communes, qpv } = readNord();
	// Accessibility from the real places of the Nord, with population as the demand (a stand-in:
	// these tests check the ranking's mechanics, not the needs model).
	const places = JSON.parse(
		readFileSync(new URL('../fixtures/access/nord-communes-lieux.json', import.meta.url), 'utf8')
	);
	const demand = communes.map((c) => ({
		code: c.code,
		lon: c.lon as number,
		lat: c.lat as number,
		demand: c.population
	}));
	const supply = places.places.map((p: { id: string; type: never; lon: number; lat: number }) => ({
		...p,
		supply: 1
	}));
	const e2sfca = computeAccessibility(demand, supply);
	const nearest = findNearestPlaces(demand, supply);
	const access = new Map<string, CommuneAccess>(
		communes.map((c, i) => [c.code, { score: e2sfca.score[i], nearestKm: nearest.overallKm[i] }])
	);
	const rows = buildRankingRows(communes, 'commune', {
		qpv,
		access,
		// Mechanics only: real counts that vary, not an estimate of anything.
		need: (c) => ({ eloignes: c.population, base: c.locaux2022 ?? c.population })
	});
	const prepared = prepareRanking(rows);
	const weightSets: [string, Weights][] = [
		...WEIGHT_PRESETS.map((p) => [p.label, p.weights] as [string, Weights]),
		['un seul critère (distance)', { ...noWeights, distance: 1 }],
		['poids décimaux', { ...noWeights, acces: 0.5, pauvrete: 2.25, qpv: 7 }]
	];

	it.each(weightSets)(
		'le classement est une permutation, par score décroissant (%s)',
		(_, weights) => {
			const ranking = rankTerritories(prepared, weights);
			const seen = new Uint8Array(rows.length);
			for (const i of ranking.order) seen[i]++;
			expect(seen.every((count) => count === 1)).toBe(true);
			for (let p = 1; p < ranking.order.length; p++) {
				expect(ranking.score[ranking.order[p - 1]]).toBeGreaterThanOrEqual(
					ranking.score[ranking.order[p]] - 1e-11
				);
			}
			// Ranks run 1…n with ties sharing a rank (competition ranking); scores closer than the 2^-32
			// resolution of the sort may share a rank too.
			expect(ranking.rank[ranking.order[0]]).toBe(1);
			for (let p = 1; p < ranking.order.length; p++) {
				const [a, b] = [ranking.order[p - 1], ranking.order[p]];
				const gap = ranking.score[a] - ranking.score[b];
				if (gap === 0) expect(ranking.rank[b]).toBe(ranking.rank[a]);
				else if (gap > 1e-9) expect(ranking.rank[b]).toBe(p + 1);
			}
		}
	);

	it('le rang dans un groupe suit l’ordre global, groupe par groupe', () => {
		// Mechanics: use each commune's EPCI as its "département" to get many groups.
		const byEpci = prepareRanking(rows.map((r, i) => ({ ...r, dep: communes[i].epci })));
		const global = rankTerritories(byEpci, DEFAULT_WEIGHTS, 'france');
		const grouped = rankTerritories(byEpci, DEFAULT_WEIGHTS, 'departement');
		expect(grouped.order).toEqual(global.order);
		const next = new Map<string | null, number>();
		for (const i of grouped.order) {
			const group = byEpci.rows[i].dep;
			const position = (next.get(group) ?? 0) + 1;
			next.set(group, position);
			expect(grouped.rank[i]).toBeLessThanOrEqual(position);
			expect(grouped.groupSize[i]).toBe(byEpci.rows.filter((r) => r.dep === group).length);
		}
		expect(byEpci.groupCount.departement).toBe(new Set(communes.map((c) => c.epci)).size);
		expect(explainRank(byEpci, grouped, grouped.order[0])).toMatch(
			/^Classée 1re du département : /
		);
	});

	it('le tri par base (radix) donne le même ordre qu’un tri par comparaison', () => {
		const ranking = rankTerritories(prepared, DEFAULT_WEIGHTS);
		const expected = rows
			.map((_, i) => i)
			.sort((a, b) => ranking.score[b] - ranking.score[a] || a - b);
		expect(Array.from(ranking.order)).toEqual(expected);
	});

	it.each(CRITERION_IDS.map((id) => [id]))(
		'un poids nul retire le critère « %s » du score',
		(id: CriterionId) => {
			const weights: Weights = { ...DEFAULT_WEIGHTS, [id]: 0 };
			if (CRITERION_IDS.every((c) => weights[c] === 0)) weights.pauvrete = 1;
			const before = rankTerritories(prepared, weights);
			// Scramble the criterion's values: reverse them across the rows.
			const scrambled = rows.map((row, i) => {
				const donor = rows[rows.length - 1 - i];
				return {
					...row,
					eloignes: id === 'eloignes' ? donor.eloignes : row.eloignes,
					partEloignes: id === 'part' ? donor.partEloignes : row.partEloignes,
					accessScore: id === 'acces' ? donor.accessScore : row.accessScore,
					nearestKm: id === 'distance' ? donor.nearestKm : row.nearestKm,
					fibreFtthPct: id === 'fibre' ? donor.fibreFtthPct : row.fibreFtthPct,
					ifnNo4g: id === 'mobile' ? donor.ifnNo4g : row.ifnNo4g,
					qpvCount: id === 'qpv' ? donor.qpvCount : row.qpvCount,
					partFrr: id === 'rural' ? donor.partFrr : row.partFrr,
					ifnPoverty: id === 'pauvrete' ? donor.ifnPoverty : row.ifnPoverty
				} satisfies TerritoryRow;
			});
			const scrambledPrepared = prepareRanking(scrambled);
			expect(scrambledPrepared.normalised[id]).not.toEqual(prepared.normalised[id]);
			const after = rankTerritories(scrambledPrepared, weights);
			expect(after.score).toEqual(before.score);
			expect(after.order).toEqual(before.order);
		}
	);

	it.each(weightSets)('les contributions font le score (%s)', (_, weights) => {
		const ranking = rankTerritories(prepared, weights);
		for (let i = 0; i < rows.length; i += 7) {
			const sum = contributionsOf(prepared, weights, i).reduce((s, c) => s + c.contribution, 0);
			expect(sum).toBeCloseTo(ranking.score[i], 12);
		}
	});

	it.each(weightSets)('les nombres de l’explication sont ceux du tableau (%s)', (_, weights) => {
		for (const group of ['departement', 'france'] as const) {
			const ranking = rankTerritories(prepared, weights, group);
			rows.forEach((row, i) => {
				const sentence = explainRank(prepared, ranking, i);
				const [head, body] = sentence.split(' : ');
				expect(head).toContain(formatRankOrdinal(ranking.rank[i], true));
				// The criteria quoted are the largest known contributions; each is quoted with the exact
				// text of its table cell, and no other number appears.
				const cited = contributionsOf(prepared, weights, i)
					.filter((c) => !c.missing && c.contribution > 0)
					.sort((a, b) => b.contribution - a.contribution)
					.slice(0, 3);
				let rest = body.replace(/pour 10 000 personnes éloignées/g, '').replace(/4G|15 ans/g, '');
				const cells = cited.map((c) => formatCriterionValue(c.id, row));
				// Longest first, so "1" (one QPV) is not taken out of "1,2 %".
				for (const cell of cells.sort((a, b) => b.length - a.length)) {
					expect(rest).toContain(cell);
					rest = rest.replace(cell, '');
				}
				expect(rest).not.toMatch(/\d/);
				if (cited.length === 0) expect(body).toMatch(/^aucun critère pondéré ne la distingue/);
			});
		}
	});

	it('chaque critère a un libellé, une unité et un sens', () => {
		for (const id of CRITERION_IDS) {
			expect(CRITERIA[id].id).toBe(id);
			expect(CRITERIA[id].label.length).toBeGreaterThan(5);
			expect(['higher', 'lower']).toContain(CRITERIA[id].priorityWhen);
		}
	});
});
