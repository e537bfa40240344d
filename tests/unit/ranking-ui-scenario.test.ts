/**
 * The ranking tab with a deployment scenario (issue 6): the worker recomputes accessibility, nearest
 * distances and ranks with the scenario's new sites added and removed places left out, on the real
 * artifacts; and the link from a simulation result to the ranking.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimulationResult } from '$lib/siting/scenario';
import { describeRankingScenario, rankingScenarioOf } from '$lib/ranking/with-scenario';
import { defaultRankingView } from '$lib/ranking/view-params';

import { createAnalysisHandlers } from '$lib/workers/analysis/handlers';
import {
	loadRankingContext,
	rankView,
	scenarioContextOf
} from '$lib/workers/analysis/ranking-handler';
type Scenario = import('$lib/ranking/with-scenario').RankingScenario;

const staticFetch = (async (input: RequestInfo | URL) =>
	new Response(
		readFileSync(`static/data/${String(input).replace(/^\/data\//, '')}`)
	)) as typeof fetch;

const baseline = await loadRankingContext(staticFetch, '/data');
const access = baseline.analysis.access;
const communes = baseline.analysis.inputs.communes;

const somme = { ...defaultRankingView(), departement: '80' };

// The Somme commune with people éloignés farthest from any place: a poorly served one.
const poorlyServed = communes
	.filter((c) => c.dep === '80' && c.lon !== null && c.lat !== null)
	.filter((c) => (baseline.analysis.estimateByCode.get(c.code)?.eloignes ?? 0) > 0)
	.reduce((worst, c) =>
		(access.get(c.code)?.nearestKm ?? 0) > (access.get(worst.code)?.nearestKm ?? 0) ? c : worst
	);

const addition: Scenario = {
	key: `test-add-${poorlyServed.code}`,
	added: [
		{
			id: poorlyServed.code,
			nom: poorlyServed.nom,
			commune: poorlyServed.code,
			lon: poorlyServed.lon!,
			lat: poorlyServed.lat!
		}
	],
	removed: []
};

/** 1-based place of a commune by decreasing score among the scored ones (NaN: outside the filter). */
function placeOf(codes: string[], scores: Float32Array, code: string): number {
	const own = scores[codes.indexOf(code)];
	let place = 1;
	for (const s of scores) if (!Number.isNaN(s) && s > own) place++;
	return place;
}

describe('scenario ranking', () => {
	it('a new site next to a poorly served commune raises its accessibility and lowers none', () => {
		expect(access.get(poorlyServed.code)!.nearestKm).toBeGreaterThan(3);
		const scenario = scenarioContextOf(baseline, addition);
		const after = scenario.analysis.access;
		const before = access.get(poorlyServed.code)!;
		const now = after.get(poorlyServed.code)!;
		expect(now.score).toBeGreaterThan(before.score ?? 0);
		expect(now.nearestKm).toBe(0);
		expect(now.nearestPlaceId).toBe(`scenario-${poorlyServed.code}`);
		let raised = 0;
		for (const [code, a] of access) {
			const b = after.get(code)!;
			expect(b.score ?? 0).toBeGreaterThanOrEqual((a.score ?? 0) - 1e-9);
			if ((b.score ?? 0) > (a.score ?? 0) + 1e-9) raised++;
		}
		expect(raised).toBeGreaterThan(1);
		// Cached by key: the same scenario is not analysed twice; the baseline is untouched.
		expect(scenarioContextOf(baseline, addition)).toBe(scenario);
		expect(baseline.analysis.access.get(poorlyServed.code)).toBe(before);
	});

	it('ranks change accordingly: the served commune needs less, its score and place drop', () => {
		const pageBefore = rankView(baseline, somme, true);
		const pageAfter = rankView(scenarioContextOf(baseline, addition), somme, true);
		expect(pageBefore.scenario).toBeNull();
		expect(pageAfter.scenario).toEqual({ added: 1, removed: 0, imported: 0, replaced: 0 });
		const codes = pageBefore.codes!;
		expect(pageAfter.codes).toEqual(codes);
		const i = codes.indexOf(poorlyServed.code);
		expect(pageAfter.scores[i]).toBeLessThan(pageBefore.scores[i]);
		expect(placeOf(codes, pageAfter.scores, poorlyServed.code)).toBeGreaterThan(
			placeOf(codes, pageBefore.scores, poorlyServed.code)
		);
	});

	it('removing a place lowers the accessibility of the communes it served', () => {
		// A Somme commune whose nearest place is close: remove that place.
		const served = communes.find(
			(c) =>
				c.dep === '80' &&
				(access.get(c.code)?.nearestKm ?? Infinity) < 2 &&
				access.get(c.code)?.nearestPlaceId
		)!;
		const placeId = access.get(served.code)!.nearestPlaceId!;
		const removal: Scenario = { key: `test-remove-${placeId}`, added: [], removed: [placeId] };
		const after = scenarioContextOf(baseline, removal).analysis;
		expect(after.inputs.mediators).toHaveLength(baseline.analysis.inputs.mediators.length - 1);
		expect(after.access.get(served.code)!.score).toBeLessThan(access.get(served.code)!.score!);
		for (const [code, a] of access) {
			expect(after.access.get(code)!.score ?? 0).toBeLessThanOrEqual((a.score ?? 0) + 1e-9);
		}
	});

	it('the worker ranks with the scenario of the request, and without it otherwise', async () => {
		const handlers = createAnalysisHandlers(staticFetch, {
			dataUrl: '/data/',
			ranking: Promise.resolve(baseline)
		});
		const context = { progress: () => undefined, transfer: () => undefined };
		const ranked = [
			await handlers.rank({ view: somme, withCodes: false, scenario: addition }, context),
			await handlers.rank({ view: somme, withCodes: false, scenario: null }, context)
		];
		expect(ranked.map((r) => r.value.scenario)).toEqual([
			{ added: 1, removed: 0, imported: 0, replaced: 0 },
			null
		]);
	});
});

describe('rankingScenarioOf', () => {
	const site = (id: string) => ({
		rang: 1,
		origine: 'proposition' as const,
		id,
		code_commune: id,
		nom: `Commune ${id}`,
		lieu: null,
		lon: 2.3,
		lat: 49.9,
		gain: 0,
		gain_distance_moyenne_km: 0,
		gain_personnes_km: 0
	});
	const result = (sites: string[], removed: string[]) =>
		({
			sites: sites.map(site),
			lieux_retires: removed.map((id) => ({
				id,
				nom: id,
				type: 'france-services' as const,
				code_commune: null
			}))
		}) as unknown as SimulationResult;

	it('turns the sites and removed places of a result into a keyed scenario', () => {
		expect(rankingScenarioOf(null)).toBeNull();
		expect(rankingScenarioOf(result([], []))).toBeNull();
		const a = rankingScenarioOf(result(['80021', '80001'], ['fs-2', 'fs-1']))!;
		expect(a.added.map((s) => s.commune)).toEqual(['80021', '80001']);
		expect(a.removed).toEqual(['fs-2', 'fs-1']);
		expect(rankingScenarioOf(result(['80021', '80001'], ['fs-1', 'fs-2']))!.key).toBe(a.key);
		expect(rankingScenarioOf(result(['80021'], ['fs-1', 'fs-2']))!.key).not.toBe(a.key);
	});

	it('says what the ranking includes, in French', () => {
		const summary = (added: number, removed: number, imported = 0, replaced = 0) => ({
			added,
			removed,
			imported,
			replaced
		});
		expect(describeRankingScenario(summary(10, 2))).toBe(
			'Classement avec le scénario de déploiement : 10 postes ajoutés, 2 lieux retirés'
		);
		expect(describeRankingScenario(summary(1, 0))).toBe(
			'Classement avec le scénario de déploiement : 1 poste ajouté, 0 lieu retiré'
		);
		expect(describeRankingScenario(summary(0, 0, 3, 1))).toBe(
			'Classement avec vos lieux importés : 3 lieux importés (données importées), dont 1 remplaçant un lieu déjà connu'
		);
		expect(describeRankingScenario(summary(5, 0, 1))).toBe(
			'Classement avec le scénario de déploiement : 5 postes ajoutés, 0 lieu retiré et vos lieux importés : 1 lieu importé (données importées)'
		);
	});
});
