/**
 * Which answers the server computes in its task pool rather than on the request thread (issue 13):
 * the large ones, by the number of territories they hold, every workbook, every saved scenario.
 */
import { describe, expect, it } from 'vitest';
import { loadServerDataset } from '$lib/server/dataset';
import { isHeavyEstimationsQuery } from '$lib/server/estimations-answer';
import { parseTerritoryQuery, knownTerritoriesOf } from '$lib/server/query-params';
import {
	HEAVY_RANKING_ROWS,
	isHeavyRankingQuery,
	territoriesInFilter
} from '$lib/server/ranking-answer';
import { knownCodesOf, parseRankingQuery } from '$lib/ranking/query';

async function rankingQuery(search: string) {
	const { territories } = await loadServerDataset();
	const parsed = parseRankingQuery(new URLSearchParams(search), knownCodesOf(territories));
	if (!parsed.ok) throw new Error(parsed.erreur);
	return parsed.value;
}

describe('classement : pool ou fil des requêtes', () => {
	it.each([
		['niveau=commune', 34_875, true],
		['niveau=commune&limite=10', 34_875, true],
		['niveau=commune&region=32', 3_782, true],
		['niveau=commune&departement=59', 647, false],
		['niveau=commune&departement=59&format=csv', 647, false],
		['niveau=epci&departement=59', 17, false],
		['niveau=departement', 101, false],
		['niveau=region', 18, false]
	] as const)('%s : %d territoires, pool %s', async (search, count, heavy) => {
		const { communes } = await loadServerDataset();
		const q = await rankingQuery(search);
		expect(territoriesInFilter(q, communes)).toBe(count);
		expect(isHeavyRankingQuery(q, communes)).toBe(heavy);
	});

	it('toutes les EPCI dépassent le seuil ; un classeur ou un scénario enregistré va toujours au pool', async () => {
		const { communes } = await loadServerDataset();
		expect(territoriesInFilter(await rankingQuery('niveau=epci'), communes)).toBeGreaterThan(
			HEAVY_RANKING_ROWS
		);
		expect(isHeavyRankingQuery(await rankingQuery('niveau=region&format=xlsx'), communes)).toBe(
			true
		);
		expect(
			isHeavyRankingQuery(
				await rankingQuery('niveau=region&scenario=AAAAAAAAAAAAAAAAAAAAAA'),
				communes
			)
		).toBe(true);
	});
});

describe('estimations : pool ou fil des requêtes', () => {
	it.each([
		['niveau=commune', true],
		['niveau=commune&region=84', true],
		['niveau=commune&departement=80', false],
		['niveau=epci', false],
		['niveau=departement&format=xlsx', true]
	] as const)('%s : pool %s', async (search, heavy) => {
		const { territories } = await loadServerDataset();
		const parsed = parseTerritoryQuery(
			new URLSearchParams(search),
			knownTerritoriesOf(territories)
		);
		if (!parsed.ok) throw new Error(parsed.erreur);
		expect(isHeavyEstimationsQuery(parsed.value)).toBe(heavy);
	});
});
