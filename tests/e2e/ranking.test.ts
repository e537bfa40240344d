/**
 * The « Classement » tab (issue 5, "done when"): moving a weight slider re-orders the table and
 * recolours the map without fetching geometry again; the exported CSV has the expected header and
 * one row per commune of the filter; the URL reproduces the view; no page error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import { CRITERIA } from '../../src/lib/ranking/criteria';
import {
	ARTIFACTS,
	baseUrl,
	closeAndCheckPage,
	countRequests,
	openPage,
	useBrowser
} from './browser';
import { countFetches, waitForChoropleth, waitForMapReady } from './map-queries';

const communes = decodeCommuneTable(
	JSON.parse(readFileSync(new URL('../../static/data/communes.json', import.meta.url), 'utf8'))
);
const COMMUNES_OF_80 = communes.filter((c) => c.dep === '80').length;

const suite = useBrowser({ metrics: 'ranking' });
const { metrics } = suite;

/** Codes of the table's rows, in order. */
function rowCodes(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('[data-testid="ranking-row"]')].map(
			(r) => r.dataset.code ?? ''
		)
	);
}

/** Wait until the table shows rows and no ranking is running. */
async function waitForTable(page: Page, timeout = 90_000): Promise<void> {
	await page.waitForFunction(
		() =>
			document.querySelectorAll('[data-testid="ranking-row"]').length > 0 &&
			!document.querySelector('[data-testid="ranking-summary"]')?.textContent?.includes('calcul'),
		undefined,
		{ timeout, polling: 200 }
	);
}

/** The feature-state value (score) of a commune on the map. */
function mapValue(page: Page, code: string): Promise<unknown> {
	return page.evaluate((id) => {
		const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
		return map.getFeatureState({ source: 'territories-commune', id }).value;
	}, code);
}

describe('ranking tab', () => {
	it('re-ranks on a slider, recolours the map without reloading geometry, exports and shares the view', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		const started = Date.now();
		await page.goto(`${baseUrl()}/?onglet=classement&filtre_departement=80`);
		await waitForTable(page);
		metrics.firstTableMs = Date.now() - started;
		await waitForChoropleth(page, 'commune', 90_000);
		metrics.firstMapMs = Date.now() - started;

		const summary = await page.getByTestId('ranking-summary').innerText();
		expect(summary.replace(/\s/g, ' ')).toContain(`${COMMUNES_OF_80} communes classées`);
		const before = await rowCodes(page);
		expect(before).toHaveLength(50);
		expect(before.every((code) => code.startsWith('80'))).toBe(true);
		// The map shows the scores: the first row's commune carries its score, one outside is grey.
		const firstScore = Number(
			(await page.locator('[data-testid="ranking-row"] .score-value').first().innerText()).replace(
				',',
				'.'
			)
		);
		await waitForMapReady(page);
		expect(Number(await mapValue(page, before[0]))).toBeCloseTo(firstScore, 0);
		expect(await mapValue(page, '59350')).toBeNull();
		const legend = (await page.getByTestId('ranking-legend').innerText()).replace(/\s+/g, ' ');
		expect(legend).toContain('Score de priorité (0–100), pondération « Équilibré »');
		const geometryFetches = await countFetches(page, 'communes.topo.json');
		expect(geometryFetches).toBe(1);
		await page.screenshot({ path: new URL('ranking.png', ARTIFACTS).pathname });

		// Keyboard on a slider: « Personnes éloignées » to 0, « Distance » to the maximum.
		const eloignes = page.getByLabel(CRITERIA.eloignes.label, { exact: true });
		await eloignes.focus();
		await page.keyboard.press('Home');
		const distance = page.getByLabel(CRITERIA.distance.label, { exact: true });
		await distance.focus();
		const dragStart = Date.now();
		await page.keyboard.press('End');
		await page.waitForFunction(
			(first) =>
				document.querySelector<HTMLElement>('[data-testid="ranking-row"]')?.dataset.code !== first,
			before[0],
			{ timeout: 30_000 }
		);
		await waitForTable(page);
		metrics.reRankAfterSliderMs = Date.now() - dragStart;
		const after = await rowCodes(page);
		expect(after).not.toEqual(before);
		expect(await page.locator('output[for="ranking-weight-distance"]').innerText()).toBe('5');
		const newFirstScore = Number(
			(await page.locator('[data-testid="ranking-row"] .score-value').first().innerText()).replace(
				',',
				'.'
			)
		);
		// The map follows (throttled): once ready, the new first commune carries its new score.
		await waitForMapReady(page);
		expect(Number(await mapValue(page, after[0]))).toBeCloseTo(newFirstScore, 1);
		expect(await countFetches(page, 'communes.topo.json')).toBe(geometryFetches);
		metrics.rankingsReceived = await page.evaluate(
			() => performance.getEntriesByName('atlas:ranking-ready').length
		);

		// Keyboard on the rows: Tab into the table, arrow down, Enter selects and explains.
		await page.locator('[data-testid="ranking-row"]').first().focus();
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Enter');
		const explanation = page.getByTestId('ranking-explanation');
		await explanation.waitFor({ state: 'visible' });
		expect(await explanation.innerText()).toMatch(/Classée 2e du département/);
		await page.waitForURL((url) => url.searchParams.get('territoire') === `commune-${after[1]}`);
		expect(await explanation.getByRole('link').getAttribute('href')).toBe(
			`/territoire/commune/${after[1]}`
		);

		// Sorting by a header button.
		await page.getByRole('button', { name: /^Territoire/ }).click();
		await page.waitForFunction(
			() =>
				document.querySelector('th[aria-sort="ascending"]')?.textContent?.includes('Territoire') ??
				false
		);
		await waitForTable(page);
		const byName = await page.evaluate(() =>
			[...document.querySelectorAll('[data-testid="ranking-row"] .nom')].map(
				(n) => n.textContent ?? ''
			)
		);
		expect(byName).toEqual(
			[...byName].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base', numeric: true }))
		);
		await page.getByRole('button', { name: /^Rang/ }).click();
		await page.waitForFunction(
			() =>
				document.querySelector('th[aria-sort="ascending"]')?.textContent?.includes('Rang') ?? false
		);
		await waitForTable(page);

		// Export: the CSV of the view has its header and one row per commune of the Somme.
		const href = await page.getByTestId('ranking-export-csv').getAttribute('href');
		expect(href).toContain('departement=80');
		expect(href).toContain('poids=');
		const bytes = new Uint8Array(await (await fetch(`${baseUrl()}${href}`)).arrayBuffer());
		// UTF-8 BOM (Excel), which `Response.text()` would strip.
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const csv = new TextDecoder().decode(bytes);
		const lines = csv.split('\r\n').filter((l) => l !== '' && !l.startsWith('#'));
		expect(lines[0].split(';').slice(0, 5)).toEqual([
			'position',
			'rang',
			'rang_sur',
			'code',
			'nom'
		]);
		expect(lines.length - 1).toBe(COMMUNES_OF_80);
		// Same ranking as the table.
		const csvCodes = lines.slice(1, 11).map((l) => l.split(';')[3]);
		expect(csvCodes).toEqual(after.slice(0, 10));
		const comma = await page.getByTestId('ranking-export-csv-comma').getAttribute('href');
		expect(comma).toContain('separateur=,');

		// The URL reproduces the view.
		await page.waitForURL((url) => url.searchParams.get('poids')?.includes('distance:5') ?? false);
		const shared = page.url();
		expect(new URL(shared).searchParams.get('filtre_departement')).toBe('80');
		await page.screenshot({ path: new URL('ranking-after-slider.png', ARTIFACTS).pathname });

		// The detailed drawer, for a look.
		await page.getByRole('button', { name: 'Tableau détaillé' }).click();
		await page.screenshot({ path: new URL('ranking-detailed.png', ARTIFACTS).pathname });
		await closeAndCheckPage(test);

		const again = await openPage(suite.browser);
		await again.page.goto(shared);
		await waitForTable(again.page);
		expect(await rowCodes(again.page)).toEqual(after);
		await expect(
			again.page.locator('output[for="ranking-weight-distance"]').innerText()
		).resolves.toBe('5');
		await closeAndCheckPage(again);
	});

	it('keeps one analysis worker and one needs-model run per page, also after a fiche link and back', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		/** Analysis workers started and stopped (marks of ui/dashboard/analysis-worker.ts). */
		const workers = () =>
			page.evaluate(() => ({
				started: performance.getEntriesByName('atlas:analysis-worker-started').length,
				stopped: performance.getEntriesByName('atlas:analysis-worker-stopped').length
			}));
		const modelRuns = () => page.evaluate(() => document.documentElement.dataset.needsModelRuns);
		await page.goto(
			`${baseUrl()}/?onglet=classement&filtre_departement=80&territoire=departement-80`
		);
		await waitForTable(page);
		// The estimate layer (national headline) and the ranking come from one worker, one model run.
		await page.waitForFunction(() => document.documentElement.dataset.needsModelRuns !== undefined);
		expect(await workers()).toEqual({ started: 1, stopped: 0 });
		expect(await modelRuns()).toBe('1');

		// The details panel's fiche link (client-side navigation: the marks survive), then back.
		await page.getByRole('tab', { name: 'Carte' }).click();
		// The URL says « Carte » before leaving, so that coming back opens the map, not the ranking.
		await page.waitForURL((url) => !url.searchParams.has('onglet'));
		await page.getByRole('link', { name: /^Fiche territoire/ }).click();
		await page.waitForURL((url) => url.pathname === '/territoire/departement/80');
		await page.getByRole('heading', { level: 1 }).last().waitFor({ state: 'visible' });
		expect(await workers()).toEqual({ started: 1, stopped: 1 });
		await page.evaluate(() => document.documentElement.removeAttribute('data-needs-model-runs'));
		await page.goBack();
		// Back on the map, framed on the Somme: the commune table and the commune level's estimate
		// start a worker (the table's answer comes first, with no model run yet).
		await page.waitForFunction(
			() => (document.documentElement.dataset.needsModelRuns ?? '0') !== '0'
		);
		// The new page has its own worker; the first one was stopped: one live worker, not two.
		expect(await workers()).toEqual({ started: 2, stopped: 1 });
		expect(await modelRuns()).toBe('1');
		// Still one once everything is drawn.
		await waitForMapReady(page);
		expect(await modelRuns()).toBe('1');
		await closeAndCheckPage(test);
	});

	it('runs the needs model once for a page that ranks then simulates: the simulation gets its data from the analysis worker', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?onglet=classement&filtre_departement=80`);
		await waitForTable(page);
		await page.waitForFunction(() => document.documentElement.dataset.needsModelRuns === '1');

		await page.getByRole('tab', { name: 'Simulation' }).click();
		const panel = page.getByTestId('siting-panel');
		await panel.getByLabel('Niveau').selectOption('departement');
		await panel.getByLabel('Département', { exact: true }).selectOption('80');
		await panel.getByLabel('Nombre de nouveaux postes').fill('3');
		await panel.getByRole('button', { name: 'Lancer la simulation' }).click();
		await page.getByTestId('siting-figures').waitFor({ state: 'visible', timeout: 90_000 });
		await expect(page.getByTestId('siting-marker').count()).resolves.toBe(3);
		// One model run in all (the siting worker's runs are counted with the analysis worker's),
		// one download of each artifact of the analysis, by the analysis worker only.
		expect(await page.evaluate(() => document.documentElement.dataset.needsModelRuns)).toBe('1');
		expect(countRequests(test, 'communes.json')).toBe(1);
		expect(countRequests(test, 'mediateurs.geojson')).toBe(1);
		expect(await countFetches(page, 'communes.json')).toBe(0);
		expect(
			await page.evaluate(
				() => performance.getEntriesByName('atlas:analysis-worker-started').length
			)
		).toBe(1);
		await closeAndCheckPage(test);
	});

	it('falls back on bad URL values with French notices', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(
			`${baseUrl()}/?onglet=classement&classement_niveau=canton&poids=n%27importe&filtre_departement=96`
		);
		await waitForTable(page);
		const text = await page.locator('body').innerText();
		expect(text).toContain('Niveau de classement « canton » inconnu');
		expect(text).toContain("Poids « n'importe » inconnus");
		expect(text).toContain('Département « 96 » inconnu');
		await closeAndCheckPage(test);
	});

	it('shows tied territories with the same rank as their explanation (Mayotte: equal scores)', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		// Mayotte has no estimate: most of its communes get the same imputed values, hence equal scores.
		await page.goto(`${baseUrl()}/?onglet=classement&filtre_departement=976`);
		await waitForTable(page);
		const cells = await page.evaluate(() =>
			[...document.querySelectorAll('[data-testid="ranking-row"]')].map((row) => ({
				rank: row.querySelector('td')?.textContent?.trim(),
				score: row.querySelector('.score-value')?.textContent?.trim()
			}))
		);
		expect(cells.length).toBeGreaterThan(3);
		// Equal scores share one rank (the row order among them is only the code order).
		expect(cells[2].score).toBe(cells[1].score);
		expect(cells[2].rank).toBe(cells[1].rank);
		await page.locator('[data-testid="ranking-row"]').nth(2).click();
		const explanation = page.getByTestId('ranking-explanation');
		await explanation.waitFor({ state: 'visible' });
		expect(await explanation.innerText()).toMatch(new RegExp(`Classée ${cells[2].rank}e `));
		await closeAndCheckPage(test);
	});
});
