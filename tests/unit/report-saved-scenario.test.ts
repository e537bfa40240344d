/**
 * Issue 12 item 4 on the server: the fiche territoire of a saved scenario
 * (`/territoire/<niveau>/<code>?scenario=<id>`) counts its imported places and shows its
 * proposals, says so (« données importées »), and answers a French 404 for an unknown scenario.
 * The page's load runs as SvelteKit would, on a SQLite store in a temporary DATA_DIR.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerritoryReport } from '$lib/report/territory-report';
import type { ReportMap } from '$lib/report/report-map';
import type { ReportScenario } from '$lib/report/report-scenario';
import type { SavedScenarioNote } from '$lib/report/report-saved-scenario';
import { readPlacesFile } from '$lib/places-import/import-places';
import { compactImportContext, expandImportContext } from '$lib/places-import/import-context';
import type { ScenarioDocument } from '$lib/scenarios/saved-scenario';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { parseCsv } from '../../geodata/lib/csv';
import { reportCsv } from '$lib/report/report-csv';
import { XLSX_CONTENT_TYPE } from '$lib/export/xlsx';

const dir = mkdtempSync(join(tmpdir(), 'atlas-fiche-scenario-'));
type Load = typeof import('../../src/routes/territoire/[niveau]/[code]/+page.server').load;
type Handler = (event: { params: { niveau: string; code: string }; url: URL }) => Promise<Response>;
let load: Load;
let getCsv: Handler;
let getXlsx: Handler;
let saveScenario: (document: ScenarioDocument) => Promise<string>;

interface PageData {
	report: TerritoryReport;
	map: ReportMap | null;
	mapPlaceCount: number;
	scenario: ReportScenario;
	saved: SavedScenarioNote | null;
	links: { mapSearch: string; csv: string; downloadSearch: string };
}

beforeAll(async () => {
	process.env.DATA_DIR = join(dir, 'data');
	load = (await import('../../src/routes/territoire/[niveau]/[code]/+page.server')).load;
	getCsv = (await import('../../src/routes/territoire/[niveau]/[code]/donnees.csv/+server'))
		.GET as unknown as Handler;
	getXlsx = (await import('../../src/routes/territoire/[niveau]/[code]/donnees.xlsx/+server'))
		.GET as unknown as Handler;
	const { getScenarioService } = await import('$lib/server/scenarios/scenarios-service');
	saveScenario = async (document) => {
		const outcome = await getScenarioService().save(document, '192.0.2.9');
		if (!outcome.ok) throw new Error(outcome.erreur);
		return outcome.scenario.id;
	};
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadPage(niveau: string, code: string, search = ''): Promise<PageData> {
	const url = new URL(`http://localhost/territoire/${niveau}/${code}${search}`);
	return (await load({ params: { niveau, code }, url } as unknown as Parameters<Load>[0])) as
		PageData | never;
}

/** The real Aidants Connect structure of Saint-Vaury the national layer lacks, read by the import. */
function creusePlaces(): ScenarioDocument['importedPlaces'] {
	const communes = decodeCommuneTable(
		JSON.parse(readFileSync('static/data/communes.json', 'utf8'))
	);
	const report = readPlacesFile(
		'creuse-aidants-connect.csv',
		readFileSync(new URL('../fixtures/places-import/creuse-aidants-connect.csv', import.meta.url)),
		expandImportContext(compactImportContext(communes, []))
	);
	return report.accepted;
}

let creuseId: Promise<string> | undefined;
/** The scenario « Creuse 2026 » (Saint-Vaury's Aidants Connect place, a post at Guéret), saved once. */
function creuseScenario(): Promise<string> {
	creuseId ??= saveScenario({
		name: 'Creuse 2026',
		territory: { niveau: 'commune', code: '23247' },
		objective: 'capacite',
		parameters: { simulation: 'departement-23', postes: '1', proposes: '23096' },
		importedPlaces: creusePlaces(),
		edits: { proposed: [{ kind: 'commune', code: '23096' }], added: [], removed: [] },
		notes: ''
	});
	return creuseId;
}

/** A download handler called as SvelteKit would; the thrown `error()` comes back as such. */
async function download(handler: Handler, path: string): Promise<Response> {
	const url = new URL(`http://localhost${path}`);
	const [, , niveau, code] = url.pathname.split('/');
	return handler({ params: { niveau, code }, url });
}

type CsvRow = Record<string, string>;
async function csvRows(response: Response): Promise<{ text: string; rows: CsvRow[] }> {
	expect(response.status).toBe(200);
	const text = await response.text();
	return {
		text,
		rows: parseCsv(text, 'fiche.csv', ['rubrique', 'indicateur', 'valeur']).rows.map(
			(r) => r.values
		)
	};
}
const rowKey = (r: CsvRow) => `${r.rubrique}|${r.indicateur}|${r.niveau}|${r.code}`;

describe('fiche territoire of a saved scenario', () => {
	it('counts the imported places in the figures and the map, with its proposals, and says so', async () => {
		const id = await creuseScenario();
		const national = await loadPage('commune', '23247');
		const page = await loadPage('commune', '23247', `?scenario=${id}`);

		expect(national.saved).toBeNull();
		expect(page.saved?.text).toBe('Scénario « Creuse 2026 » : 1 lieu importé (données importées)');
		// Accessibility of Saint-Vaury, where the imported place is: higher, and sourced.
		const access = (data: PageData) => data.report.figures.find((f) => f.id === 'acces')!;
		expect(access(page).values[0].value!).toBeGreaterThan(access(national).values[0].value!);
		const sourceIds = access(page).sources;
		expect(sourceIds).toContain('donnees-importees');
		expect(page.report.sources.find((s) => s.id === 'donnees-importees')?.attribution).toBe(
			'données importées'
		);
		expect(access(national).sources).not.toContain('donnees-importees');
		// The place is on the map and among the commune's places.
		expect(page.mapPlaceCount).toBe(national.mapPlaceCount + 1);
		// …told apart from the national places (a ring, and its own legend line).
		expect(page.map?.places.filter((p) => p.imported)).toHaveLength(1);
		expect(national.map?.places.some((p) => p.imported)).toBe(false);
		// Its proposal: the deployment scenario saved with it (a post at Guéret).
		expect(page.scenario.status).toBe('done');
		if (page.scenario.status === 'done') {
			expect(page.scenario.result.sites.map((s) => s.code_commune)).toEqual(['23096']);
		}
		expect(national.scenario.status).toBe('absent');
		// The map link reopens the scenario (and its places).
		expect(new URLSearchParams(page.links.mapSearch).get('scenario')).toBe(id);
		// So do the download links (the CSV and XLSX of the same figures).
		expect(page.links.downloadSearch).toBe(`?scenario=${id}`);
		expect(page.links.csv).toBe(`/territoire/commune/23247/donnees.csv?scenario=${id}`);
		expect(national.links.downloadSearch).toBe('');
		// The national fiche is untouched by the scenario's (separate analysis).
		const again = await loadPage('commune', '23247');
		expect(access(again).values[0].value).toBe(access(national).values[0].value);
	}, 180_000);

	it('answers a French 404 for an unknown or malformed scenario id, page and downloads alike', async () => {
		for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'pas-un-id', '<script>']) {
			const search = `?${new URLSearchParams({ scenario: id })}`;
			const answers: ({ status?: number; body?: { message: string } } | null)[] = [];
			for (const call of [
				() => loadPage('departement', '23', search),
				() => download(getCsv, `/territoire/departement/23/donnees.csv${search}`),
				() => download(getXlsx, `/territoire/departement/23/donnees.xlsx${search}`)
			]) {
				let thrown = null as (typeof answers)[number];
				try {
					await call();
				} catch (failure) {
					thrown = failure as typeof thrown;
				}
				answers.push(thrown);
			}
			for (const thrown of answers) {
				expect(thrown?.status).toBe(404);
				expect(thrown?.body?.message).toBe(answers[0]?.body?.message);
				expect(thrown?.body?.message).toMatch(/^Aucun scénario enregistré sous l’identifiant/);
			}
		}
	});

	it('downloads (CSV, XLSX) of a saved scenario carry the page’s figures and say so', async () => {
		const id = await creuseScenario();
		const path = '/territoire/commune/23247';
		const page = await loadPage('commune', '23247', `?scenario=${id}`);
		const national = await loadPage('commune', '23247');
		const csvOf = async (search: string) =>
			csvRows(await download(getCsv, `${path}/donnees.csv?separateur=virgule${search}`));
		const scenarioCsv = await csvOf(`&scenario=${id}`);
		const nationalCsv = await csvOf('');

		// Every line is the page's: the CSV of the scenario's report, the national one of the national.
		expect(scenarioCsv.text).toBe(
			reportCsv(page.report, { separator: ',', bom: false, saved: page.saved })
		);
		expect(nationalCsv.text).toBe(reportCsv(national.report, { separator: ',', bom: false }));

		// The first line says which scenario, how many places, and where they come from.
		const [first, ...rows] = scenarioCsv.rows;
		expect(first).toMatchObject({
			rubrique: 'Scénario enregistré',
			valeur: '1',
			texte: 'Scénario « Creuse 2026 » : 1 lieu importé (données importées)',
			sources: 'données importées'
		});
		expect(nationalCsv.rows.some((r) => r.rubrique === 'Scénario enregistré')).toBe(false);

		// Otherwise the same lines, whose values differ exactly where the page's figures do.
		const before = new Map(nationalCsv.rows.map((r) => [rowKey(r), r]));
		expect(before.size).toBe(nationalCsv.rows.length);
		expect(rows.map(rowKey)).toEqual(nationalCsv.rows.map(rowKey));
		const changed = (rubrique: string) =>
			rows
				.filter((r) => r.rubrique === rubrique && before.get(rowKey(r))!.valeur !== r.valeur)
				.map(rowKey)
				.sort();
		const round = (v: number | null, digits: number) =>
			v === null ? null : Number(v.toFixed(digits));
		const figureKeys = page.report.figures
			.flatMap((f, i) =>
				f.values
					.filter(
						(v, j) => round(v.value, 2) !== round(national.report.figures[i].values[j].value, 2)
					)
					.map((v) => `Comparaison|${f.label}|${v.level}|${v.code}`)
			)
			.sort();
		expect(changed('Comparaison')).toEqual(figureKeys);
		// At least the accessibility of Saint-Vaury, written as the page has it.
		const access = page.report.figures.find((f) => f.id === 'acces')!;
		const accessKey = `Comparaison|${access.label}|commune|23247`;
		expect(figureKeys).toContain(accessKey);
		expect(Number(rows.find((r) => rowKey(r) === accessKey)!.valeur)).toBe(
			round(access.values[0].value, 2)
		);
		expect(rows.find((r) => rowKey(r) === accessKey)!.sources).toContain('données importées');
		const placeKeys = page.report.places.byType
			.filter(
				(p) => p.count !== national.report.places.byType.find((n) => n.label === p.label)?.count
			)
			.map((p) => `Lieux de médiation|${p.label}|commune|23247`);
		expect(placeKeys).toHaveLength(1);
		expect(changed('Lieux de médiation')).toEqual(placeKeys);
		// The needs estimate and the territory itself do not depend on places.
		for (const rubrique of ['Territoire', 'Personnes éloignées du numérique (estimation)']) {
			expect(rows.filter((r) => r.rubrique === rubrique)).toEqual(
				nationalCsv.rows.filter((r) => r.rubrique === rubrique)
			);
		}

		// The XLSX: the same lines, the scenario in its header lines, « données importées » in Sources.
		const response = await download(getXlsx, `${path}/donnees.xlsx?scenario=${id}`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="fiche-commune-23247-scenario-${id}.xlsx"`
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await response.arrayBuffer());
		const sheet = workbook.getWorksheet('Fiche')!;
		const cells: string[][] = [];
		sheet.eachRow((row, n) => {
			if (n > 1) {
				cells.push(Array.from({ length: 6 }, (_, i) => String(row.getCell(i + 1).value ?? '')));
			}
		});
		expect(cells).toEqual(
			scenarioCsv.rows.map((r) => [
				r.rubrique,
				r.indicateur,
				r.territoire,
				r.niveau,
				r.code,
				r.valeur
			])
		);
		const sources = workbook.getWorksheet('Sources')!;
		const lines: string[][] = [];
		sources.eachRow((row) => lines.push((row.values as unknown[]).slice(1).map(String)));
		expect(lines).toContainEqual([
			'Scénario',
			'Scénario « Creuse 2026 » : 1 lieu importé (données importées)'
		]);
		expect(lines).toContainEqual(['Fiche', `${path}?scenario=${id}`]);
		expect(lines.find((l) => l[0] === 'Scénario « Creuse 2026 »')?.[5]).toBe('données importées');
		const nationalBook = new ExcelJS.Workbook();
		await nationalBook.xlsx.load(
			await (await download(getXlsx, `${path}/donnees.xlsx`)).arrayBuffer()
		);
		expect(JSON.stringify(nationalBook.getWorksheet('Sources')!.getSheetValues())).not.toContain(
			'données importées'
		);
	}, 180_000);
	it('the page cache keys a download by its scenario (path and sorted query), never an error', async () => {
		const id = await creuseScenario();
		const { handle } = await import('../../src/hooks.server');
		const path = '/territoire/commune/23247/donnees.csv';
		let produced = 0;
		const get = async (search: string) => {
			const url = new URL(`http://localhost${path}${search}`);
			const event = { request: new Request(url), url };
			const response = await handle({
				event: event as unknown as Parameters<typeof handle>[0]['event'],
				// What SvelteKit does: run the route, its `error()` becoming the answer's status.
				resolve: async () => {
					produced++;
					try {
						return await download(getCsv, `${path}${search}`);
					} catch (failure) {
						const { status, body } = failure as { status: number; body: unknown };
						return new Response(JSON.stringify(body), { status });
					}
				}
			});
			return {
				status: response.status,
				cache: response.headers.get('x-cache'),
				text: await response.text()
			};
		};
		const national = await get('?separateur=virgule');
		const scenario = await get(`?separateur=virgule&scenario=${id}`);
		expect([national.cache, scenario.cache]).toEqual(['MISS', 'MISS']);
		expect(scenario.text).not.toBe(national.text);
		expect(scenario.text).toContain('données importées');
		// The same query in another order is the same answer, from the cache.
		const again = await get(`?scenario=${id}&separateur=virgule`);
		expect(again).toEqual({ ...scenario, cache: 'HIT' });
		expect((await get('?separateur=virgule')).text).toBe(national.text);
		expect(produced).toBe(2);
		// An unknown scenario: a 404 each time, never kept (nor served for a real id).
		const unknown = `?scenario=${'B'.repeat(22)}`;
		expect((await get(unknown)).status).toBe(404);
		expect(await get(unknown)).toMatchObject({ status: 404, cache: 'MISS' });
		expect(produced).toBe(4);
	}, 180_000);
});
