/**
 * Issue 12 item 4 on the server: the fiche territoire of a saved scenario
 * (`/territoire/<niveau>/<code>?scenario=<id>`) counts its imported places and shows its
 * proposals, says so (« données importées »), and answers a French 404 for an unknown scenario.
 * The page's load runs as SvelteKit would, on a SQLite store in a temporary DATA_DIR.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const dir = mkdtempSync(join(tmpdir(), 'atlas-fiche-scenario-'));
type Load = typeof import('../../src/routes/territoire/[niveau]/[code]/+page.server').load;
let load: Load;
let saveScenario: (document: ScenarioDocument) => Promise<string>;

interface PageData {
	report: TerritoryReport;
	map: ReportMap | null;
	mapPlaceCount: number;
	scenario: ReportScenario;
	saved: SavedScenarioNote | null;
	links: { mapSearch: string; csv: string };
}

beforeAll(async () => {
	process.env.DATA_DIR = join(dir, 'data');
	load = (await import('../../src/routes/territoire/[niveau]/[code]/+page.server')).load;
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

describe('fiche territoire of a saved scenario', () => {
	it('counts the imported places in the figures and the map, with its proposals, and says so', async () => {
		const id = await saveScenario({
			name: 'Creuse 2026',
			territory: { niveau: 'commune', code: '23247' },
			objective: 'capacite',
			parameters: { simulation: 'departement-23', postes: '1', proposes: '23096' },
			importedPlaces: creusePlaces(),
			edits: { proposed: [{ kind: 'commune', code: '23096' }], added: [], removed: [] },
			notes: ''
		});
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
		// Its proposal: the deployment scenario saved with it (a post at Guéret).
		expect(page.scenario.status).toBe('done');
		if (page.scenario.status === 'done') {
			expect(page.scenario.result.sites.map((s) => s.code_commune)).toEqual(['23096']);
		}
		expect(national.scenario.status).toBe('absent');
		// The map link reopens the scenario (and its places).
		expect(new URLSearchParams(page.links.mapSearch).get('scenario')).toBe(id);
		// The national fiche is untouched by the scenario's (separate analysis).
		const again = await loadPage('commune', '23247');
		expect(access(again).values[0].value).toBe(access(national).values[0].value);
	}, 180_000);

	it('answers a French 404 for an unknown or malformed scenario id', async () => {
		for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'pas-un-id', '<script>']) {
			let thrown = null as { status?: number; body?: { message: string } } | null;
			try {
				await loadPage('departement', '23', `?${new URLSearchParams({ scenario: id })}`);
			} catch (failure) {
				thrown = failure as typeof thrown;
			}
			expect(thrown?.status).toBe(404);
			expect(thrown?.body?.message).toMatch(/^Aucun scénario enregistré sous l’identifiant/);
		}
	});
});
