/**
 * Issue 12, "imported places count in accessibility, ranking, siting": the one rule of
 * `imported-supply.ts` (add, or replace a duplicate of the same type; supply by the national
 * convention), checked on the real artifacts with a real place the national layer lacks (the
 * Aidants Connect structure of Saint-Vaury, Creuse, published without an INSEE code).
 */
import { describe, expect, it } from 'vitest';
import { haversineKm } from '$lib/access/geodesy';
import { decayWeight, DEFAULT_ACCESS_PARAMETERS } from '$lib/access/parameters';
import { analyseTerritories } from '$lib/analysis/territory-analysis';
import { readPlacesFile, type ImportedPlace } from '$lib/places-import/import-places';
import {
	compactImportContext,
	expandImportContext,
	knownPlacesOfMediators
} from '$lib/places-import/import-context';
import {
	describeImportedSupply,
	importedPlacesKey,
	mergeImportedMediators,
	planImportedPlaces,
	type KnownPlaceRef
} from '$lib/places-import/imported-supply';
import { WEIGHT_PRESETS } from '$lib/ranking/weights';
import { rankingScenarioOf } from '$lib/ranking/with-scenario';
import { withImportedPlaces } from '$lib/siting/imported-places';
import {
	buildSitingDataset,
	defaultScenarioParams,
	type SimulationResult
} from '$lib/siting/scenario';
import { createSitingHandlers } from '$lib/workers/siting/handler';
import { readImportFixture, staticFetch } from './static-data';
import { defaultRankingView } from '$lib/ranking/view-params';

import {
	loadRankingContext,
	rankView,
	scenarioContextOf
} from '$lib/workers/analysis/ranking-handler';

const baseline = await loadRankingContext(staticFetch, '/data');
const national = baseline.analysis.inputs.mediators;
const communes = baseline.analysis.inputs.communes;

/** Read a fixture file with the national places as the known ones (as the dashboard does). */
function importFixture(name: string): ImportedPlace[] {
	const report = readImportFixture(name, communes, knownPlacesOfMediators(national));
	expect(report.fileError).toBeNull();
	return report.accepted;
}

const place = (over: Partial<ImportedPlace>): ImportedPlace => ({
	id: 'import-1',
	nom: 'Lieu',
	type: 'france-services',
	programmes: [],
	lon: 2,
	lat: 46,
	commune: null,
	located: 'address',
	adresse: null,
	horaires: null,
	date: null,
	line: 2,
	...over
});

describe('planImportedPlaces', () => {
	const known = new Map<string, KnownPlaceRef>([
		['fs-1', { id: 'fs-1', type: 'france-services' }],
		['ac-1', { id: 'ac-1', type: 'aidants-connect' }]
	]);
	it.each([
		['a duplicate of the same type replaces it', [place({ duplicateOf: 'fs-1' })], ['fs-1']],
		[
			'a duplicate of another type is added',
			[place({ type: 'aidants-connect', duplicateOf: 'fs-1' })],
			[null]
		],
		['no duplicate: added', [place({ duplicateOf: null })], [null]],
		['saved before the field existed: added', [place({})], [null]],
		['an unknown place: added', [place({ duplicateOf: 'fs-404' })], [null]],
		[
			'two duplicates of one place: the first replaces, the second is added',
			[place({ duplicateOf: 'fs-1' }), place({ id: 'import-2', duplicateOf: 'fs-1' })],
			['fs-1', null]
		]
	])('%s', (_, imported, replaces) => {
		const plan = planImportedPlaces(known, imported);
		expect(plan.replaces).toEqual(replaces);
		expect([...plan.replaced]).toEqual(replaces.filter((r) => r !== null));
	});

	it('says what counts, in French, and keys a list by its places', () => {
		expect(describeImportedSupply({ imported: 1, replaced: 0 })).toBe(
			'1 lieu importé (données importées)'
		);
		expect(describeImportedSupply({ imported: 1200, replaced: 3 })).toBe(
			'1\u202f200 lieux importés (données importées), dont 3 remplaçant un lieu déjà connu'
		);
		const a = [place({}), place({ id: 'import-2', lon: 3 })];
		expect(importedPlacesKey(a)).toBe(importedPlacesKey(a.map((p) => ({ ...p }))));
		expect(importedPlacesKey(a)).not.toBe(importedPlacesKey([a[0], { ...a[1], lon: 3.1 }]));
		expect(importedPlacesKey([])).toBe('');
	});
});

describe('an imported place in the Creuse', () => {
	const imported = importFixture('creuse-aidants-connect.csv');
	const saintVaury = communes.find((c) => c.code === '23247')!;

	it('is read as an Aidants Connect structure at the centre of Saint-Vaury, a place of its own', () => {
		expect(imported).toHaveLength(1);
		expect(imported[0]).toMatchObject({
			nom: 'Maison France Services de Saint-Vaury',
			type: 'aidants-connect',
			commune: '23247',
			located: 'commune',
			lon: saintVaury.lon,
			lat: saintVaury.lat
		});
		// The France services at the same address is another dispositif: both count.
		expect(imported[0].duplicateOf ?? null).toBeNull();
	});

	it('adds to the national places with the Aidants Connect convention (0.5), nothing else changes', () => {
		const merged = mergeImportedMediators(national, imported);
		expect(merged).toHaveLength(national.length + 1);
		expect(merged.slice(0, national.length)).toEqual(national);
		const analysis = analyseTerritories({ ...baseline.analysis.inputs, mediators: merged });
		const supply = analysis.supply[analysis.supply.length - 1];
		expect(supply).toMatchObject({ id: imported[0].id, type: 'aidants-connect', supply: 0.5 });
		expect(supply.supply).toBe(DEFAULT_ACCESS_PARAMETERS.supply['aidants-connect'].perPlace);
	});

	it('raises Saint-Vaury’s accessibility by 10 000 × 0.5 / (weighted demand within 20 km), lowers none', () => {
		const scenario = scenarioContextOf(baseline, rankingScenarioOf(null, imported)!);
		const before = baseline.analysis.access;
		const after = scenario.analysis.access;
		// E2SFCA: a new place j leaves every other R unchanged and adds W(d_ij) · S_j / Σ_k W(d_kj) D_k.
		const bands = DEFAULT_ACCESS_PARAMETERS.bands;
		let weightedDemand = 0;
		for (const d of baseline.analysis.demand) {
			const w = decayWeight(haversineKm(d.lon, d.lat, imported[0].lon, imported[0].lat), bands);
			weightedDemand += w * d.demand;
		}
		expect(weightedDemand).toBeGreaterThan(1000);
		const expected = (10_000 * 1 * 0.5) / weightedDemand;
		const gain = after.get('23247')!.score! - before.get('23247')!.score!;
		expect(gain).toBeCloseTo(expected, 9);
		expect(after.get('23247')!.nearestPlaceId).toBe(imported[0].id);
		expect(after.get('23247')!.nearestKm).toBe(0);
		let raised = 0;
		for (const [code, a] of before) {
			const b = after.get(code)!;
			expect(b.score ?? 0).toBeGreaterThanOrEqual((a.score ?? 0) - 1e-12);
			if ((b.score ?? 0) > (a.score ?? 0) + 1e-12) raised++;
		}
		expect(raised).toBeGreaterThan(10);
	});

	it('changes the ranking of the Creuse, says so, and undoing gives back the national ranking exactly', () => {
		const view = { ...defaultRankingView(), departement: '23' };
		const national1 = rankView(baseline, view, true);
		const withImport = rankView(
			scenarioContextOf(baseline, rankingScenarioOf(null, imported)!),
			view,
			true
		);
		expect(withImport.scenario).toEqual({ added: 0, removed: 0, imported: 1, replaced: 0 });
		const i = national1.codes!.indexOf('23247');
		expect(withImport.scores[i]).toBeLessThan(national1.scores[i]);
		// Undo: no imported place, no scenario, the baseline itself.
		expect(rankingScenarioOf(null, [])).toBeNull();
		const national2 = rankView(baseline, view, true);
		expect(national2.scenario).toBeNull();
		expect([...national2.scores]).toEqual([...national1.scores]);
	});

	it('counts in the siting dataset exactly as in the analysis', () => {
		const merged = mergeImportedMediators(national, imported);
		const expected = buildSitingDataset(
			analyseTerritories({ ...baseline.analysis.inputs, mediators: merged })
		);
		const base = buildSitingDataset(baseline.analysis);
		const { dataset, summary } = withImportedPlaces(base, imported);
		expect(summary).toEqual({ imported: 1, replaced: 0 });
		expect(dataset.places.id).toEqual(expected.places.id);
		expect([...dataset.places.supply]).toEqual([...expected.places.supply]);
		expect([...dataset.communes.accessScore]).toEqual([...expected.communes.accessScore]);
		expect(withImportedPlaces(base, []).dataset).toBe(base);
	});
});

describe('the siting worker with imported places', () => {
	it('counts them in the figures of the Creuse, says how many, and without them gives the same figures as before', async () => {
		const imported = importFixture('creuse-aidants-connect.csv');
		const noFetch = (async () => {
			throw new Error('no fetch: the dataset comes with load');
		}) as unknown as typeof fetch;
		const dataset = buildSitingDataset(baseline.analysis);
		const handlers = createSitingHandlers(noFetch);
		await handlers.load({ dataUrl: '/data', dataset });
		const params = defaultScenarioParams({ level: 'departement', code: '23' });
		const edits = {
			proposed: [],
			added: [{ kind: 'commune' as const, code: '23096' }],
			removed: []
		};
		const run = async (id: number, withImports: boolean) => {
			const answer = await handlers.run(
				{
					mode: 'evaluate',
					seq: id,
					params,
					edits,
					imported: withImports ? { key: importedPlacesKey(imported), places: imported } : undefined
				},
				{ progress: () => undefined, transfer: () => undefined }
			);
			if (answer.outcome.status !== 'done') throw new Error(`run ${id} failed`);
			return { result: answer.outcome.result as SimulationResult, imported: answer.imported };
		};
		const before = await run(1, false);
		const withImport = await run(2, true);
		const undone = await run(3, false);
		expect(before.imported).toBeNull();
		expect(withImport.imported).toEqual({ imported: 1, replaced: 0 });
		expect(withImport.result.avant.lieux).toBe(before.result.avant.lieux + 1);
		expect(withImport.result.avant.accessibilite!).toBeGreaterThan(
			before.result.avant.accessibilite!
		);
		expect(undone.result.avant).toEqual(before.result.avant);
		expect(undone.result.apres).toEqual(before.result.apres);
	});
});

describe('a duplicate of a national place', () => {
	// The France services of Ahun (Creuse) as a user's file would give it: same name, same point.
	const ahun = national.find((f) => f.properties.id === 'fs-2922')!;
	const csv = `nom;latitude;longitude;code_insee;type\n${ahun.properties.nom};${ahun.geometry.coordinates[1]};${ahun.geometry.coordinates[0]};23001;France Services\n`;
	const known = knownPlacesOfMediators(national);
	const report = readPlacesFile(
		'ahun.csv',
		new TextEncoder().encode(csv),
		expandImportContext(compactImportContext(communes, known))
	);

	it('is flagged, replaces the national place and is counted once', () => {
		expect(report.accepted).toHaveLength(1);
		expect(report.accepted[0].duplicateOf).toBe('fs-2922');
		expect(report.warnings.map((w) => w.reason).join(' ')).toMatch(/le remplace dans les calculs/);
		const merged = mergeImportedMediators(national, report.accepted);
		expect(merged).toHaveLength(national.length);
		expect(merged.some((f) => f.properties.id === 'fs-2922')).toBe(false);
		const scenario = scenarioContextOf(baseline, rankingScenarioOf(null, report.accepted)!);
		for (const [code, a] of baseline.analysis.access) {
			expect(scenario.analysis.access.get(code)!.score).toBeCloseTo(a.score ?? 0, 9);
		}
		const page = rankView(
			scenario,
			{
				level: 'departement',
				region: null,
				departement: null,
				weights: { ...WEIGHT_PRESETS[0].weights },
				tri: 'rang',
				ordre: 'asc',
				page: 1
			},
			false
		);
		expect(page.scenario).toEqual({ added: 0, removed: 0, imported: 1, replaced: 1 });
	});
});
