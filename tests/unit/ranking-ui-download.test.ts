/**
 * Issue 12, the ranking tab's downloads with imported places: written in the ranking worker from
 * the table it shows (same scores, ranks and accessibility as the rows on screen), they say which
 * places they count (« données importées », the file's name), and for the same places they are the
 * very file `/api/classement?scenario=<id>` serves for a saved scenario.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { parseCsv } from '../../geodata/lib/csv';
import { rankingScenarioOf } from '$lib/ranking/with-scenario';
import type { RankingFileRequest } from '$lib/workers/analysis/ranking-download';
import type { SourcesArtifact } from '$lib/territory/artifacts';
import { defaultRankingView } from '$lib/ranking/view-params';

import { readImportFixture, staticFetch } from './static-data';

import {
	accessOfTerritory,
	loadRankingContext,
	rankView,
	scenarioContextOf
} from '$lib/workers/analysis/ranking-handler';
import { createAnalysisClient } from '$lib/workers/analysis/client';
import { createAnalysisHandlers } from '$lib/workers/analysis/handlers';
import { describeImportedAccess } from '$lib/territory/describe';
import { inMemoryWorker, type InMemoryWorker } from './in-memory-worker';

const communes = decodeCommuneTable(JSON.parse(readFileSync('static/data/communes.json', 'utf8')));
const datasets = (JSON.parse(readFileSync('static/data/sources.json', 'utf8')) as SourcesArtifact)
	.datasets;
/** The real Aidants Connect structure of Saint-Vaury (23247) the national layer lacks. */
const imported = readImportFixture('creuse-aidants-connect.csv', communes).accepted;
const scenario = rankingScenarioOf(null, imported)!;
const context = await loadRankingContext(staticFetch, '/data');

const creuse = { ...defaultRankingView(), departement: '23' };
const request = (
	format: RankingFileRequest['format'],
	separator: ';' | ',' = ';'
): RankingFileRequest => ({
	format,
	separator,
	datasets,
	origin: 'fichier « creuse-aidants-connect.csv »'
});

/** The analysis worker's handlers on the context above. */
const handlers = () =>
	createAnalysisHandlers(staticFetch, { dataUrl: '/data/', ranking: Promise.resolve(context) });

/** Ask the worker for a file as the tab does, through its handler. */
async function exportFile(view: typeof creuse, file: RankingFileRequest) {
	return (await handlers().export({ view, scenario, request: file })).value;
}

const SAINT_VAURY = '23247';
const ACCESS = 'acces_equivalents_conseiller_pour_10000';
const rowsOf = (text: string) =>
	parseCsv(text.replace(/^\uFEFF/, ''), 'classement.csv').rows.map((r) => r.values);

describe('downloads of the ranking tab with imported places', () => {
	it('hold the table’s rows: the scores, ranks and accessibility counted with the imported places', async () => {
		const file = await exportFile(creuse, request('csv', ','));
		expect(file.name).toBe('classement-commune-departement-23-equilibre-avec-lieux-importes.csv');
		expect(file.type).toBe('text/csv;charset=utf-8');
		const rows = rowsOf(file.text);
		const withImport = scenarioContextOf(context, scenario);
		const table = rankView(withImport, { ...creuse, page: 1 }, false);
		// The first page of the table, row for row (order, rank, score, access).
		expect(rows.slice(0, table.rows.length).map((r) => [r.code, Number(r.rang)])).toEqual(
			table.rows.map((r) => [r.code, r.rank])
		);
		for (const [i, row] of table.rows.entries()) {
			expect(Number(rows[i].score)).toBeCloseTo(row.score, 2);
			const access = row.criteria.find((c) => c.id === 'acces')!.value;
			expect(rows[i][ACCESS] === '' ? null : Number(rows[i][ACCESS])).toBeCloseTo(access ?? NaN, 2);
		}
		expect(rows).toHaveLength(table.size);
		// Saint-Vaury is better served than in the national ranking.
		const national = rowsOf((await exportNational()).text);
		const access = (list: typeof rows) => Number(list.find((r) => r.code === SAINT_VAURY)![ACCESS]);
		expect(access(rows)).toBeGreaterThan(access(national));
	});

	it('say which places they count: metadata, « données importées », the file’s name', async () => {
		const companion = JSON.parse((await exportFile(creuse, request('metadonnees'))).text) as {
			fichiers: unknown;
			metadonnees: {
				attribution: string;
				scenario: {
					identifiant: null;
					lieux_importes: number;
					description: string;
					reproduire: string;
				};
				sources: { id: string; titre: string; attribution: string }[];
			};
		};
		expect(companion.metadonnees.scenario).toMatchObject({
			identifiant: null,
			lieux_importes: 1,
			description:
				'Lieux importés (fichier « creuse-aidants-connect.csv ») : 1 lieu importé (données importées)'
		});
		expect(companion.metadonnees.scenario.reproduire).toMatch(/enregistrez le scénario/);
		const source = companion.metadonnees.sources.find((s) => s.id === 'donnees-importees')!;
		expect(source.attribution).toBe('données importées');
		expect(source.titre).toContain('creuse-aidants-connect.csv');
		expect(companion.metadonnees.attribution).toContain(' ; données importées ; ');
		// The API's addresses would give the national ranking: none is offered.
		expect(companion.fichiers).toBeNull();

		// The GeoJSON of the EPCI: polygons, and the same metadata.
		const geojson = JSON.parse(
			(await exportFile({ ...creuse, level: 'epci' } as never, request('geojson'))).text
		) as FeatureCollection & { metadonnees: typeof companion.metadonnees };
		expect(geojson.features.length).toBeGreaterThan(0);
		expect(geojson.features.every((f) => f.geometry?.type.endsWith('Polygon'))).toBe(true);
		expect(geojson.metadonnees.scenario.lieux_importes).toBe(1);
	});

	it('with the simulation’s posts only: named and described as such, no « données importées »', async () => {
		const gueret = communes.find((c) => c.code === '23096')!;
		const simulated = {
			key: 'simulation-gueret',
			added: [
				{ id: 'c23096', nom: gueret.nom, commune: '23096', lon: gueret.lon!, lat: gueret.lat! }
			],
			removed: []
		};
		const answer = {
			file: (
				await handlers().export({
					view: creuse,
					scenario: simulated,
					request: request('metadonnees')
				})
			).value
		};
		expect(answer.file.name).toBe(
			'classement-commune-departement-23-equilibre-avec-simulation-metadonnees.json'
		);
		const { metadonnees } = JSON.parse(answer.file.text) as {
			metadonnees: {
				scenario: { description: string; postes_ajoutes: number; reproduire: string };
				sources: { id: string }[];
			};
		};
		expect(metadonnees.scenario.postes_ajoutes).toBe(1);
		expect(metadonnees.scenario.description).toBe(
			'Scénario de déploiement de l’onglet Simulation : 1 poste ajouté, 0 lieu retiré'
		);
		expect(metadonnees.scenario.reproduire).toMatch(/le même classement \(.*postes simulés\)/);
		expect(metadonnees.sources.map((s) => s.id)).not.toContain('donnees-importees');
	});

	describe('for a saved scenario', () => {
		const dir = mkdtempSync(join(tmpdir(), 'atlas-ranking-download-'));
		beforeAll(() => {
			process.env.DATA_DIR = join(dir, 'data');
		});
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		it('are the rows /api/classement?scenario=<id> serves for the same places', async () => {
			const { getScenarioService } = await import('$lib/server/scenarios/scenarios-service');
			const saved = await getScenarioService().save(
				{
					name: 'Creuse téléchargements',
					importedPlaces: imported,
					edits: { proposed: [], added: [], removed: [] }
				},
				'192.0.2.11'
			);
			if (!saved.ok) throw new Error(saved.erreur);
			const { GET } = await import('../../src/routes/api/classement/+server');
			const url = new URL(
				`http://localhost/api/classement?niveau=commune&departement=23&scenario=${saved.scenario.id}&format=csv&sep=,`
			);
			const response = await GET({ url, request: new Request(url) } as Parameters<typeof GET>[0]);
			expect(response.status).toBe(200);
			const browser = await exportFile(creuse, request('csv', ','));
			expect(browser.text).toBe(await response.text());
		}, 180_000);
	});
});

describe('accessibility of the selected territory with imported places (details panel)', () => {
	it('rises where the place is, equals the ranking’s rows, and is worded « avec » / « sans »', () => {
		const access = accessOfTerritory(context, { level: 'commune', code: SAINT_VAURY }, scenario)!;
		expect(access.withScenario.accessScore!).toBeGreaterThan(access.national.accessScore!);
		// The national figure is the national ranking's, the other the ranking's with the import.
		const row = (c: typeof context) =>
			c.source.rowsAt('commune').find((r) => r.code === SAINT_VAURY)!;
		expect(access.national.accessScore).toBe(row(context).accessScore);
		expect(access.withScenario.accessScore).toBe(
			row(scenarioContextOf(context, scenario)).accessScore
		);
		expect(access.summary).toMatchObject({ imported: 1, replaced: 0 });
		const text = describeImportedAccess(access);
		expect(text.withImported).toMatch(
			/^\d+,\d équivalents conseiller pour 10 000 personnes éloignées$/
		);
		expect(text.national).toMatch(/^\d+,\d sans eux \(lieux nationaux seulement\)$/);
		expect(text.counted).toBe('1 lieu importé (données importées)');
		expect(text.changed).toBe(true);

		// Its EPCI and département gain too (weighted by people éloignés); a far commune does not.
		const epci = communes.find((c) => c.code === SAINT_VAURY)!.epci!;
		for (const territory of [
			{ level: 'epci' as const, code: epci },
			{ level: 'departement' as const, code: '23' }
		]) {
			const a = accessOfTerritory(context, territory, scenario)!;
			expect(a.withScenario.accessScore!).toBeGreaterThan(a.national.accessScore!);
		}
		const lille = accessOfTerritory(context, { level: 'commune', code: '59350' }, scenario)!;
		expect(lille.withScenario).toEqual(lille.national);
		expect(describeImportedAccess(lille).changed).toBe(false);
		expect(accessOfTerritory(context, { level: 'commune', code: '00000' }, scenario)).toBeNull();
	});

	it('goes through the worker’s messages and the client, beside a ranking in flight', async () => {
		let worker: InMemoryWorker | null = null;
		const client = createAnalysisClient({
			dataUrl: '/data/',
			createWorker: () => (worker = inMemoryWorker(handlers()))
		});
		const [ranked, access, unknown, file] = await Promise.all([
			client.rank(creuse, false, scenario),
			client.territoryAccess({ level: 'commune', code: SAINT_VAURY }, scenario),
			client.territoryAccess({ level: 'commune', code: '00000' }, scenario),
			client.exportFile(creuse, scenario, request('csv'))
		]);
		expect(worker!.received.map((m) => m.kind)).toEqual([
			'init',
			'rank',
			'access',
			'access',
			'export'
		]);
		expect(ranked.status).toBe('ranked');
		expect(access).toEqual({
			status: 'computed',
			access: accessOfTerritory(context, { level: 'commune', code: SAINT_VAURY }, scenario)
		});
		expect(unknown).toEqual({ status: 'computed', access: null });
		expect(file.status === 'exported' && file.file.name).toMatch(/avec-lieux-importes\.csv$/);
		client.dispose();
	});
});

/** The same view's CSV without a scenario (the API's, from the national analysis). */
async function exportNational() {
	const { GET } = await import('../../src/routes/api/classement/+server');
	const url = new URL(
		'http://localhost/api/classement?niveau=commune&departement=23&format=csv&sep=,'
	);
	const response = await GET({ url, request: new Request(url) } as Parameters<typeof GET>[0]);
	return { text: await response.text() };
}
