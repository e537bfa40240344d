/**
 * Issue 12 on the API: `GET /api/classement?…&scenario=<id>` ranks with a saved scenario's imported
 * places, through the fiche's own context of that scenario (so the API and the fiche agree), says
 * so in every format, keys its cached answer by the scenario, and answers a French 404 for an
 * unknown or malformed id. The handler runs as SvelteKit would, on a SQLite store in a temporary
 * DATA_DIR.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankingJsonRow } from '$lib/export/ranking-export';
import type { ScenarioDocument } from '$lib/scenarios/saved-scenario';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { parseCsv } from '../../geodata/lib/csv';
import { readImportFixture } from './static-data';

const dir = mkdtempSync(join(tmpdir(), 'atlas-classement-scenario-'));
type Get = typeof import('../../src/routes/api/classement/+server').GET;
let GET: Get;
let loadPage: (code: string, search: string) => Promise<{ report: FicheReport }>;
let saveScenario: (document: ScenarioDocument) => Promise<string>;

interface FicheReport {
	figures: { id: string; values: { level: string; code: string; value: number | null }[] }[];
}

beforeAll(async () => {
	process.env.DATA_DIR = join(dir, 'data');
	GET = (await import('../../src/routes/api/classement/+server')).GET;
	const load = (await import('../../src/routes/territoire/[niveau]/[code]/+page.server')).load;
	loadPage = async (code, search) => {
		const url = new URL(`http://localhost/territoire/commune/${code}${search}`);
		return (await load({
			params: { niveau: 'commune', code },
			url
		} as unknown as Parameters<typeof load>[0])) as { report: FicheReport };
	};
	const { getScenarioService } = await import('$lib/server/scenarios/scenarios-service');
	saveScenario = async (document) => {
		const outcome = await getScenarioService().save(document, '192.0.2.10');
		if (!outcome.ok) throw new Error(outcome.erreur);
		return outcome.scenario.id;
	};
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function get(query: string): Promise<Response> {
	const url = new URL(`http://localhost/api/classement?${query}`);
	return GET({ url, request: new Request(url) } as Parameters<Get>[0]);
}

interface JsonBody {
	parametres: Record<string, unknown>;
	metadonnees: {
		attribution: string;
		scenario?: {
			identifiant: string | null;
			lieux_importes: number;
			postes_ajoutes?: number;
			lieux_retires?: number;
			description: string;
		};
		sources: { id: string; attribution: string }[];
	};
	lignes: RankingJsonRow[];
}

/** The real Aidants Connect structure of Saint-Vaury (23247) the national layer lacks. */
function creusePlaces(): ScenarioDocument['importedPlaces'] {
	const communes = decodeCommuneTable(
		JSON.parse(readFileSync('static/data/communes.json', 'utf8'))
	);
	return readImportFixture('creuse-aidants-connect.csv', communes).accepted;
}

let creuseId: Promise<string> | undefined;
function creuseScenario(): Promise<string> {
	creuseId ??= saveScenario({
		name: 'Creuse classement',
		territory: { niveau: 'departement', code: '23' },
		objective: null,
		parameters: {},
		importedPlaces: creusePlaces(),
		edits: { proposed: [], added: [], removed: [] },
		notes: ''
	});
	return creuseId;
}

const SAINT_VAURY = '23247';
const accessOf = (body: JsonBody, code: string) =>
	body.lignes.find((l) => l.code === code)!.criteres.acces.valeur;

describe('GET /api/classement?scenario=<id>', () => {
	it('ranks with the scenario’s imported places: Saint-Vaury gains accessibility, as on its fiche', async () => {
		const id = await creuseScenario();
		const query = 'niveau=commune&departement=23';
		const national = (await (await get(query)).json()) as JsonBody;
		const response = await get(`${query}&scenario=${id}`);
		expect(response.status).toBe(200);
		expect(response.headers.get('x-atlas-scenario')).toBe(id);
		expect(response.headers.get('x-atlas-sources')).toContain('donnees-importees');
		const body = (await response.json()) as JsonBody;

		// Same communes, the access of the one with the imported place higher.
		expect(body.lignes.map((l) => l.code).sort()).toEqual(
			national.lignes.map((l) => l.code).sort()
		);
		expect(accessOf(body, SAINT_VAURY)!).toBeGreaterThan(accessOf(national, SAINT_VAURY)!);
		// No commune loses access by a place added (the place replaces none here).
		for (const row of national.lignes) {
			expect(accessOf(body, row.code) ?? 0).toBeGreaterThanOrEqual(
				(row.criteres.acces.valeur ?? 0) - 1e-9
			);
		}
		// The same figure as the scenario's fiche (one context per scenario, shared).
		const fiche = await loadPage(SAINT_VAURY, `?scenario=${id}`);
		const ficheAccess = fiche.report.figures.find((f) => f.id === 'acces')!.values[0].value!;
		expect(accessOf(body, SAINT_VAURY)).toBeCloseTo(ficheAccess, 2);

		// It says so: parameters, metadata, sources and attribution.
		expect(body.parametres.scenario).toBe(id);
		expect(body.parametres.requete).toBe(`/api/classement?${query}&scenario=${id}`);
		expect(body.metadonnees.scenario).toMatchObject({
			identifiant: id,
			lieux_importes: 1,
			description: 'Scénario « Creuse classement » : 1 lieu importé (données importées)'
		});
		expect(body.metadonnees.sources.find((s) => s.id === 'donnees-importees')?.attribution).toBe(
			'données importées'
		);
		expect(body.metadonnees.attribution).toContain('données importées');
		// The national answer says nothing of it.
		expect(national.parametres).not.toHaveProperty('scenario');
		expect(national.metadonnees).not.toHaveProperty('scenario');
		expect(JSON.stringify(national)).not.toContain('importées');
	}, 180_000);

	it('counts the posts of the scenario’s saved simulation, as its fiche does', async () => {
		// A post proposed at Guéret, saved with the simulation's parameters (no imported place).
		const id = await saveScenario({
			name: 'Un poste à Guéret',
			territory: { niveau: 'departement', code: '23' },
			objective: null,
			parameters: { simulation: 'departement-23', postes: '1', proposes: '23096' },
			importedPlaces: [],
			edits: { proposed: [{ kind: 'commune', code: '23096' }], added: [], removed: [] },
			notes: ''
		});
		const query = 'niveau=commune&departement=23';
		const national = (await (await get(query)).json()) as JsonBody;
		const body = (await (await get(`${query}&scenario=${id}`)).json()) as JsonBody;
		const GUERET = '23096';
		expect(accessOf(body, GUERET)!).toBeGreaterThan(accessOf(national, GUERET)!);
		expect(body.metadonnees.scenario).toMatchObject({
			identifiant: id,
			lieux_importes: 0,
			postes_ajoutes: 1,
			lieux_retires: 0,
			description:
				'Scénario « Un poste à Guéret » : aucun lieu importé ; simulation enregistrée : 1 poste ajouté, 0 lieu retiré'
		});
		// No commune loses access by a post added.
		for (const row of national.lignes) {
			expect(accessOf(body, row.code) ?? 0).toBeGreaterThanOrEqual(
				(row.criteres.acces.valeur ?? 0) - 1e-9
			);
		}
		// The scenario's fiche replays the same simulation: the same post, at Guéret.
		const fiche = (await loadPage(GUERET, `?scenario=${id}`)) as unknown as {
			scenario: { status: string; result?: { sites: { code_commune: string }[] } };
		};
		expect(fiche.scenario.status).toBe('done');
		expect(fiche.scenario.result?.sites.map((s) => s.code_commune)).toEqual([GUERET]);
	}, 180_000);

	it('CSV, companion and XLSX carry the scenario', async () => {
		const id = await creuseScenario();
		const query = `niveau=commune&departement=23&scenario=${id}`;
		const csv = await get(`${query}&format=csv&sep=,`);
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-disposition')).toBe(
			`attachment; filename="classement-commune-departement-23-equilibre-scenario-${id}.csv"`
		);
		expect(csv.headers.get('link')).toBe(
			`</api/classement?niveau=commune&departement=23&scenario=${id}&format=metadonnees>; rel="describedby"; type="application/json"`
		);
		expect(csv.headers.get('x-atlas-scenario')).toBe(id);
		const rows = parseCsv(await csv.text(), 'classement.csv').rows.map((r) => r.values);
		const json = (await (await get(query)).json()) as JsonBody;
		const csvAccess = Number(
			rows.find((r) => r.code === SAINT_VAURY)!.acces_equivalents_conseiller_pour_10000
		);
		expect(csvAccess).toBe(accessOf(json, SAINT_VAURY));

		const companion = (await (await get(`${query}&format=metadonnees`)).json()) as {
			metadonnees: JsonBody['metadonnees'];
			fichiers: Record<string, string>;
		};
		expect(companion.metadonnees.scenario?.identifiant).toBe(id);
		expect(companion.fichiers.xlsx).toBe(
			`/api/classement?niveau=commune&departement=23&scenario=${id}&format=xlsx`
		);

		const xlsx = await get(`${query}&format=xlsx`);
		expect(xlsx.status).toBe(200);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await xlsx.arrayBuffer());
		const lines: string[][] = [];
		workbook
			.getWorksheet('Sources')!
			.eachRow((row) => lines.push((row.values as unknown[]).slice(1).map(String)));
		expect(lines).toContainEqual([
			'Scénario',
			'Scénario « Creuse classement » : 1 lieu importé (données importées)'
		]);
		expect(lines.some((l) => l.includes('données importées') && l[0] !== 'Scénario')).toBe(true);
	}, 180_000);

	it('keys the cached answer by the scenario: national and scenario answers never mix', async () => {
		const id = await creuseScenario();
		const other = await saveScenario({
			name: 'Sans lieux',
			territory: null,
			objective: null,
			parameters: {},
			importedPlaces: [],
			edits: { proposed: [], added: [], removed: [] },
			notes: ''
		});
		const query = 'niveau=epci&departement=23&format=csv';
		const national = await get(query);
		const scenario = await get(`${query}&scenario=${id}`);
		const empty = await get(`scenario=${other}&${query}`);
		expect(scenario.headers.get('x-cache')).toBe('MISS');
		expect(empty.headers.get('x-cache')).toBe('MISS');
		expect(scenario.headers.get('etag')).not.toBe(national.headers.get('etag'));
		const [nationalText, scenarioText, emptyText] = await Promise.all(
			[national, scenario, empty].map((r) => r.text())
		);
		// The EPCI of Saint-Vaury gains access: the scenario's CSV differs from the national one.
		expect(scenarioText).not.toBe(nationalText);
		// A scenario without imported places ranks exactly as the national one.
		expect(emptyText).toBe(nationalText);
		// The same query in another order is the same cached answer.
		const again = await get(`scenario=${id}&format=csv&departement=23&niveau=epci`);
		expect(again.headers.get('x-cache')).toBe('HIT');
		expect(await again.text()).toBe(scenarioText);
		const nationalAgain = await get(query);
		expect(await nationalAgain.text()).toBe(nationalText);
	}, 180_000);

	it('answers a French 404 for an unknown or malformed id, and a 400 for an empty one', async () => {
		for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'pas-un-id', '<script>', '../../etc']) {
			const response = await get(
				`niveau=commune&departement=23&${new URLSearchParams({ scenario: id })}`
			);
			expect(response.status).toBe(404);
			const body = (await response.json()) as { erreur: string; details: string[] };
			expect(body.erreur).toMatch(/^Aucun scénario enregistré sous l’identifiant « /);
			expect(body.details).toEqual([body.erreur]);
			// Asked again: still a 404 (errors are never cached as answers).
			expect((await get(`niveau=region&${new URLSearchParams({ scenario: id })}`)).status).toBe(
				404
			);
		}
		const empty = await get('niveau=commune&scenario=');
		expect(empty.status).toBe(400);
		expect(((await empty.json()) as { erreur: string }).erreur).toContain(
			'paramètre « scenario » vide'
		);
	});
});
