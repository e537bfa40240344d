import { describe, expect, it } from 'vitest';
import { load } from '../../src/routes/territoire/[niveau]/[code]/+page.server';
import { GET as getEstimations } from '../../src/routes/api/estimations/+server';
import { GET as getCsv } from '../../src/routes/territoire/[niveau]/[code]/donnees.csv/+server';
import { UTF8_BOM } from '$lib/export/csv';
import { parseCsv } from '../../geodata/lib/csv';
import type { TerritoryReport } from '$lib/report/territory-report';
import type { ReportMap } from '$lib/report/report-map';
import { readReportScenario, type ReportScenario } from '$lib/report/report-scenario';
import { loadReportContext } from '../../src/lib/server/report-source';

type LoadEvent = Parameters<typeof load>[0];
/** What the page's load returns. */
interface PageData {
	report: TerritoryReport;
	map: ReportMap | null;
	scenario: ReportScenario;
	links: { mapSearch: string; csv: string };
}

/** Run the page's server load as SvelteKit would, with only what it reads. */
async function loadPage(niveau: string, code: string, search = ''): Promise<PageData> {
	const url = new URL(`http://localhost/territoire/${niveau}/${code}${search}`);
	return (await load({
		params: { niveau, code },
		url
	} as unknown as LoadEvent)) as unknown as PageData;
}

/**
 * What SvelteKit's `error()` / `redirect()` threw, read by shape: the test imports its own copy of
 * @sveltejs/kit, whose classes are not the ones the route's copy throws (so no `instanceof`).
 */
interface Thrown {
	status?: number;
	body?: { message: string };
	location?: string;
}

/** The load's thrown error or redirect. */
async function loadFailure(niveau: string, code: string): Promise<Thrown> {
	try {
		await loadPage(niveau, code);
	} catch (failure) {
		return failure as Thrown;
	}
	throw new Error('the load did not fail');
}

interface ApiRow {
	code: string;
	eloignes: number;
	eloignes_bas: number;
	eloignes_haut: number;
	part_eloignes: number | null;
}

async function apiRow(niveau: string, code: string): Promise<ApiRow> {
	const event = { url: new URL(`http://localhost/api/estimations?niveau=${niveau}`) } as Parameters<
		typeof getEstimations
	>[0];
	const body = (await (await getEstimations(event)).json()) as { territoires: ApiRow[] };
	const row = body.territoires.find((r) => r.code === code);
	if (!row) throw new Error(`${niveau} ${code} absent de l’API`);
	return row;
}

describe('territory report page: same figures as GET /api/estimations', () => {
	it.each([
		['epci', '200093201', 'Métropole Européenne de Lille'],
		['commune', '59350', 'Lille'],
		['commune', '2A004', 'Ajaccio'],
		['departement', '59', 'Nord']
	])('%s %s (%s)', async (niveau, code, nom) => {
		const data = await loadPage(niveau, code);
		const api = await apiRow(niveau, code);
		const e = data.report.estimate;
		expect(data.report.territory.nom).toBe(nom);
		expect(e.fiabilite).toBe('estime');
		expect(Math.round(e.eloignes ?? NaN)).toBe(api.eloignes);
		expect(Math.round(e.bas ?? NaN)).toBe(api.eloignes_bas);
		expect(Math.round(e.haut ?? NaN)).toBe(api.eloignes_haut);
		expect(e.part === null ? null : Math.round(e.part * 10) / 10).toBe(api.part_eloignes);
		// The comparison chart of the share shows the same share for the territory.
		const part = data.report.figures.find((f) => f.id === 'part')!;
		expect(part.values[0].value).toBeCloseTo(e.part!, 9);
	});
});

describe('territory report page: content', () => {
	it('an EPCI: ranks in its département, région and France, its communes to prioritise, a map', async () => {
		const data = await loadPage('epci', '200093201');
		const { report, map } = data;
		expect(report.parents.map((p) => `${p.level}:${p.code}`)).toEqual([
			'departement:59',
			'region:32'
		]);
		expect(report.ranking?.ranks.map((r) => r.group)).toEqual(['departement', 'region', 'france']);
		for (const r of report.ranking!.ranks) {
			expect(r.rank).toBeGreaterThanOrEqual(1);
			expect(r.rank).toBeLessThanOrEqual(r.size);
		}
		expect(report.ranking!.ranks[2].size).toBe(1255);
		expect(report.ranking!.preset.label).toBe('Équilibré');
		// Comparisons: the EPCI, the Nord, Hauts-de-France, France, on every figure.
		for (const f of report.figures) {
			expect(f.values.map((v) => v.scope)).toEqual([
				'territoire',
				'departement',
				'region',
				'france'
			]);
			expect(f.sources.length).toBeGreaterThan(0);
		}
		const sub = report.subTerritories!;
		expect(sub.level).toBe('commune');
		expect(sub.items.length).toBe(report.territory.communeCount);
		const scores = sub.items.map((i) => i.score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
		expect(sub.items.slice(0, 5).every((i) => i.explanation?.startsWith('Classée'))).toBe(true);
		expect(sub.items[5].explanation).toBeNull();
		expect(map).not.toBeNull();
		expect(map!.shapes.length).toBe(sub.items.length - map!.missingShapes.length);
		expect(map!.shapes.filter((s) => s.label).map((s) => s.label!.text)).toEqual(
			expect.arrayContaining(['1', '2', '3', '4', '5'])
		);
		expect(map!.places.length).toBe(report.places.total);
		expect(map!.frame.startsWith('M')).toBe(true);
		// QPV of the MEL (Lille, Roubaix, Tourcoing…): names and codes.
		expect(report.qpv.length).toBeGreaterThan(10);
		expect(report.qpv[0].code).toMatch(/^Q[NP]/);
		// Every dataset quoted has its producer, vintage and licence.
		const ids = report.sources.map((s) => s.id);
		expect(ids).toEqual(
			expect.arrayContaining(['cog-2026', 'arcep-fibre-2025', 'ifn-2023', 'qpv-2024'])
		);
		expect(report.method.paragraphs).toHaveLength(2);
		expect(data.links.mapSearch).toBe('?territoire=epci-200093201');
	});

	it('a commune: its nearest place by name and type, its EPCI as neighbours on the map', async () => {
		const data = await loadPage('commune', '62765');
		const { report, map } = data;
		expect(report.territory.nom).toBe('Saint-Omer');
		expect(report.nearest.kind).toBe('commune');
		expect(report.nearest.place?.nom).toBeTruthy();
		expect(report.nearest.km).not.toBeNull();
		expect(report.parents[0].level).toBe('epci');
		expect(report.rurality.frr).not.toBeNull();
		expect(map!.shapes.filter((s) => s.highlight).map((s) => s.code)).toEqual(['62765']);
		expect(map!.shapeLevel).toBe('commune');
	});

	it('flags overseas territories, whose estimate uses mainland rates', async () => {
		expect((await loadPage('commune', '97411')).report.territory.overseas).toBe(true);
		expect((await loadPage('region', '04')).report.territory.overseas).toBe(true);
		expect((await loadPage('commune', '62765')).report.territory.overseas).toBe(false);
	});

	it('a région: its départements, ranked in France only', async () => {
		const data = await loadPage('region', '32');
		expect(data.report.ranking?.ranks.map((r) => r.group)).toEqual(['france']);
		expect(data.report.subTerritories?.level).toBe('departement');
		expect(data.report.subTerritories?.items.map((i) => i.code).sort()).toEqual([
			'02',
			'59',
			'60',
			'62',
			'80'
		]);
		for (const f of data.report.figures)
			expect(f.values.map((v) => v.scope)).toEqual(['territoire', 'france']);
	});

	it('answers a 404 in French for an unknown level or code, and redirects hand-typed variants', async () => {
		for (const [niveau, code] of [
			['canton', '59350'],
			['commune', '99999'],
			['epci', 'abc'],
			['departement', '20']
		]) {
			const failure = await loadFailure(niveau, code);
			expect(failure.status).toBe(404);
			expect(failure.body?.message).toMatch(/n’existe pas|Aucun territoire/);
		}
		const redirect = await loadFailure('Commune', '2a004');
		expect([redirect.status, redirect.location]).toEqual([301, '/territoire/commune/2A004']);
	});

	// Loads once warm, timings printed; their figures belong to benchmarks, not to an assertion that
	// a busy CI machine would break.
	it('loads région and commune reports once the server is warm', async () => {
		await loadPage('region', '84'); // warm-up: analysis, rankings, topologies
		const timings: Record<string, number> = {};
		const names: string[] = [];
		for (const [niveau, code] of [
			['region', '11'],
			['region', '32'],
			['region', '76'],
			['commune', '59350']
		]) {
			const started = performance.now();
			names.push((await loadPage(niveau, code)).report.territory.nom);
			timings[`${niveau} ${code}`] = Math.round(performance.now() - started);
		}
		console.log(`report load times (ms, warm): ${JSON.stringify(timings)}`);
		expect(names).toEqual(['Île-de-France', 'Hauts-de-France', 'Occitanie', 'Lille']);
	});
});

describe('territory report page: a territory that is not estimated (Mayotte)', () => {
	it.each([
		['departement', '976'],
		['commune', '97611']
	])(
		'%s %s: null estimate, « non_estime », no drivers, and an empty CSV value',
		async (niveau, code) => {
			const data = await loadPage(niveau, code);
			const e = data.report.estimate;
			expect(e.fiabilite).toBe('non_estime');
			expect([e.eloignes, e.bas, e.haut, e.part]).toEqual([null, null, null, null]);
			expect(e.drivers).toEqual([]);
			const response = await getCsv({
				params: { niveau, code },
				url: new URL(`http://localhost/territoire/${niveau}/${code}/donnees.csv`)
			} as unknown as Parameters<typeof getCsv>[0]);
			const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
				await response.arrayBuffer()
			);
			const rows = parseCsv(text, 'fiche.csv', ['rubrique', 'indicateur', 'valeur']).rows.map(
				(r) => r.values
			);
			expect(rows.find((r) => r.indicateur === 'Personnes éloignées du numérique')?.valeur).toBe(
				''
			);
		}
	);

	it('Guyane is flagged as an extrapolation', async () => {
		const data = await loadPage('departement', '973');
		expect(data.report.estimate.fiabilite).toBe('extrapole');
		expect(data.report.estimate.eloignes).toBeGreaterThan(0);
	});
});

describe('GET /territoire/<niveau>/<code>/donnees.csv', () => {
	it('writes the report figures, French format by default', async () => {
		const event = {
			params: { niveau: 'epci', code: '200093201' },
			url: new URL('http://localhost/territoire/epci/200093201/donnees.csv')
		} as unknown as Parameters<typeof getCsv>[0];
		const response = await getCsv(event);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
		expect(response.headers.get('content-disposition')).toContain('fiche-epci-200093201.csv');
		// Response.text() would strip the byte-order mark.
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
		expect(text.startsWith(UTF8_BOM)).toBe(true);
		const rows = parseCsv(text, 'fiche.csv', ['rubrique', 'indicateur', 'valeur']).rows.map(
			(r) => r.values
		);
		const api = await apiRow('epci', '200093201');
		const eloignes = rows.find((r) => r.indicateur === 'Personnes éloignées du numérique');
		expect(eloignes?.valeur).toBe(String(api.eloignes));
		expect(rows.some((r) => r.rubrique === 'Comparaison' && r.territoire === 'France')).toBe(true);
		expect(rows.some((r) => r.rubrique === 'Sous-territoires à prioriser')).toBe(true);
	});

	it('answers 404 for an unknown code and 400 for an unknown separator', async () => {
		const call = async (code: string, search = '') => {
			try {
				await getCsv({
					params: { niveau: 'commune', code },
					url: new URL(`http://localhost/territoire/commune/${code}/donnees.csv${search}`)
				} as unknown as Parameters<typeof getCsv>[0]);
			} catch (failure) {
				return (failure as Thrown).status ?? -1;
			}
			return 200;
		};
		expect(await call('99999')).toBe(404);
		expect(await call('59350', '?separateur=tab')).toBe(400);
		expect(await call('59350', '?separateur=virgule')).toBe(200);
	});
});

describe('territory report page: deployment scenario from the URL', () => {
	it('proposes the sites of a link without sites, then evaluates the same sites as listed', async () => {
		const proposed = await loadPage('departement', '02', '?simulation=departement-02&postes=3');
		expect(proposed.scenario.status).toBe('done');
		if (proposed.scenario.status !== 'done') return;
		const { result } = proposed.scenario;
		expect(result.origin).toBe('proposed');
		expect(result.territoire.nom).toBe('Aisne');
		expect(result.sites).toHaveLength(3);
		expect(result.apres.eloignes_couverts).toBeGreaterThanOrEqual(result.avant.eloignes_couverts);
		expect(result.apres.lieux).toBe(result.avant.lieux + 3);
		// The sites are on the map (numbered stars) and the map link reopens the scenario.
		expect(proposed.map!.markers.map((m) => m.label)).toEqual(['1', '2', '3']);
		expect(proposed.links.mapSearch).toMatch(
			/^\?territoire=departement-02&simulation=departement-02&postes=3/
		);

		const codes = result.sites.map((s) => s.code_commune).join(',');
		const evaluated = await loadPage(
			'departement',
			'02',
			`?simulation=departement-02&postes=3&proposes=${codes}`
		);
		expect(evaluated.scenario.status).toBe('done');
		if (evaluated.scenario.status !== 'done') return;
		expect(evaluated.scenario.result.origin).toBe('evaluated');
		expect(evaluated.scenario.result.apres.eloignes_couverts).toBe(result.apres.eloignes_couverts);
	});

	it('says why a scenario cannot be shown: parameters without territory, engine over its time budget', async () => {
		const orphan = await loadPage('departement', '02', '?postes=3');
		expect(orphan.scenario.status).toBe('unusable');
		if (orphan.scenario.status === 'unusable') {
			expect(orphan.scenario.notices.join(' ')).toContain('sans territoire');
		}
		const none = await loadPage('departement', '02');
		expect(none.scenario.status).toBe('absent');

		const { analysis } = await loadReportContext();
		let clock = 0;
		const slow = readReportScenario(
			new URL('http://localhost/territoire/region/32?simulation=region-32&postes=20'),
			analysis,
			() => (clock += 10_000)
		);
		expect(slow.status).toBe('unusable');
		if (slow.status === 'unusable') expect(slow.notices.join(' ')).toContain('temps accordé');
	});
});
