import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	ARTIFACTS,
	baseUrl,
	closeAndCheckPage,
	openPage,
	useBrowser,
	waitForHydration
} from './browser';
import { readFraming, waitForMapReady } from './map-queries';

const EPCI = '/territoire/epci/200093201';

const suite = useBrowser({ metrics: 'territory-report' });
const { metrics } = suite;

describe('territory report /territoire/<niveau>/<code>', () => {
	it('renders its figures, charts and map, then prints as a clean A4 document', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		const started = Date.now();
		const response = await page.goto(`${baseUrl()}${EPCI}`);
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('heading', { level: 1 }).last().textContent()).resolves.toBe(
			'Métropole Européenne de Lille'
		);
		metrics.reportFirstLoadMs = Date.now() - started;

		// Charts: one per compared figure, plus the score's composition, each with bars and labels.
		const charts = page.getByTestId('bar-chart');
		expect(await charts.count()).toBeGreaterThanOrEqual(9);
		expect(await charts.first().locator('rect').count()).toBe(4);
		await expect(page.getByTestId('comparison-part').textContent()).resolves.toContain('France');
		// The map: the 95 communes shaded, numbered priorities, the places with their symbols.
		const map = page.getByTestId('report-map');
		expect(await map.locator('svg path.shape').count()).toBeGreaterThan(90);
		expect(await map.locator('svg path.place').count()).toBeGreaterThan(100);
		expect(await map.locator('svg g.label').count()).toBe(5);
		await expect(map.textContent()).resolves.toContain('France services');
		// Key figures, each with its source.
		await expect(page.getByTestId('figure-eloignes').textContent()).resolves.toMatch(/personnes/);
		await expect(page.getByTestId('figure-4g').textContent()).resolves.toMatch(/^score \d,\d\/10$/);
		expect(await page.getByTestId('priorities').locator('li').count()).toBe(5);

		// Controls are there on screen (the print button once the page is interactive)…
		const controls = page.getByTestId('report-controls');
		const print = page.getByRole('button', { name: 'Imprimer / Enregistrer en PDF' });
		await print.waitFor({ state: 'visible' });
		expect(
			await page.getByRole('link', { name: 'Télécharger les données (CSV)' }).getAttribute('href')
		).toBe(`${EPCI}/donnees.csv`);
		// …and gone on paper, with the site header; the report flows over the whole page height.
		// The printable width of an A4 sheet with the report's margins: 210 − 2 × 12 mm ≈ 703 px.
		await page.setViewportSize({ width: 703, height: 1000 });
		await page.emulateMedia({ media: 'print' });
		expect(await controls.isVisible()).toBe(false);
		expect(await print.isVisible()).toBe(false);
		expect(await page.locator('.site-header').isVisible()).toBe(false);
		const heights = await page.evaluate(() => ({
			document: document.documentElement.scrollHeight,
			report: document.querySelector('[data-testid="territory-report"]')!.scrollHeight
		}));
		expect(heights.document).toBeGreaterThanOrEqual(heights.report);
		// The one-page summary (title, key figures) fits the first sheet: its end, where the print
		// style breaks the page, lies within the printable height of A4 with the report's margins
		// (297 − 14 − 16 mm = 267 mm ≈ 1 009 px at 96 px per inch).
		const summaryEnd = await page.evaluate(
			() => document.querySelector('.summary-end')!.getBoundingClientRect().bottom + window.scrollY
		);
		metrics.summaryEndPx = Math.round(summaryEnd);
		expect(summaryEnd).toBeGreaterThan(300);
		expect(summaryEnd).toBeLessThanOrEqual((267 / 25.4) * 96);
		await page.screenshot({
			path: new URL('territory-report-print.png', ARTIFACTS).pathname,
			fullPage: true
		});
		const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
		writeFileSync(new URL('territory-report.pdf', ARTIFACTS), pdf);
		const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
		metrics.reportPdfPages = pages;
		expect(pages).toBeGreaterThanOrEqual(3);
		expect(pages).toBeLessThanOrEqual(14);
		// A4 portrait: 595 × 842 points (the `@page { size: A4 }` of the report).
		const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
		expect(box).not.toBeNull();
		expect(Math.abs(Number(box![1]) - 595)).toBeLessThan(2);
		expect(Math.abs(Number(box![2]) - 842)).toBeLessThan(2);
		await closeAndCheckPage(test);
	});

	it('is readable without JavaScript (server-rendered figures and map)', async () => {
		const context = await suite.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
		const page = await context.newPage();
		await page.goto(`${baseUrl()}/territoire/commune/62765`);
		// 'commit' is before the report is drawn: wait for its title, then read it.
		const title = page.getByRole('heading', { level: 1 }).filter({ hasText: 'Saint-Omer' }).last();
		// Reached by the client router: its data comes as JSON (see the server test on the page cache).
		await title.waitFor({ state: 'visible' });
		await expect(title.textContent()).resolves.toBe('Saint-Omer');
		await expect(page.getByTestId('figure-nearest').textContent()).resolves.toMatch(/km/);
		expect(await page.getByTestId('report-map').locator('path.highlight').count()).toBe(1);
		expect(await page.getByTestId('bar-chart').count()).toBeGreaterThanOrEqual(9);
		// Without JavaScript the print button would do nothing: it is not offered.
		expect(await page.getByRole('button', { name: 'Imprimer / Enregistrer en PDF' }).count()).toBe(
			0
		);
		await context.close();
	});

	it('is fit for a funder in the Creuse: no impossible figure, conventions and gaps said, no internal notes', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		// Guéret: outside the Nord and the Pas-de-Calais, the only départements of the « other places » list.
		await page.goto(`${baseUrl()}/territoire/commune/23096`);
		await waitForHydration(page);
		const gap = page.getByTestId('coverage-gap');
		await expect(gap.textContent()).resolves.toBe(
			'données disponibles seulement pour le Nord et le Pas-de-Calais'
		);
		await expect(page.getByTestId('supply-convention').textContent()).resolves.toMatch(
			/Chaque France services compte pour 2 conseillers/
		);
		const body = await page.locator('body').innerText();
		for (const internal of [
			/à vérifier avant publication/,
			/vivrea/i,
			/grist/i,
			/métabase/i,
			/à confirmer/
		])
			expect(body).not.toMatch(internal);
		// Printed: the summary stands on its own first sheet, the date on every sheet.
		await page.emulateMedia({ media: 'print' });
		await expect(page.locator('.print-footer').isVisible()).resolves.toBe(true);
		await expect(page.locator('.print-footer').textContent()).resolves.toMatch(/fiche du \d/);
		await closeAndCheckPage(test);
	});

	it('opens the map on its territory from « Voir ce territoire sur la carte »', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/territoire/commune/23096`);
		await waitForHydration(page);
		await Promise.all([
			page.waitForURL(
				(url) => url.pathname === '/' && url.searchParams.get('territoire') === 'commune-23096'
			),
			page.getByRole('link', { name: /Voir ce territoire sur la carte/ }).click()
		]);
		// The camera frames Guéret (its centre in view, commune zoom), not the whole of France.
		await page.waitForFunction(
			() => document.querySelector('[data-testid="territory-details"] h2')?.textContent === 'Guéret'
		);
		await page.waitForFunction(
			() =>
				((window as unknown as { __map?: import('maplibre-gl').Map }).__map?.getZoom() ?? 0) >= 9,
			undefined,
			{ timeout: 60_000, polling: 100 }
		);
		await waitForMapReady(page);
		// Guéret's centre.
		const camera = await readFraming(page, 1.87, 46.17);
		expect(camera.zoom).toBeGreaterThanOrEqual(9);
		expect(camera.inView).toBe(true);
		await page.waitForFunction(
			() => document.querySelector('[data-testid="territory-details"] h2')?.textContent === 'Guéret'
		);
		await closeAndCheckPage(test);
	});

	it('answers an unknown code with a French 404 and a search box that leads to the report', async () => {
		const test = await openPage(suite.browser, { allowConsoleErrors: [/status of 404/] });
		const { page } = test;
		const response = await page.goto(`${baseUrl()}/territoire/commune/99999`);
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1 }).last().textContent()).resolves.toBe(
			'Territoire introuvable'
		);
		// Let the page hydrate first, so the submit is not caught halfway by the client router.
		await waitForHydration(page);
		const box = page.getByRole('searchbox');
		await box.fill('st omer');
		await Promise.all([
			page.waitForURL(/\/recherche\?q=st\+omer/, { waitUntil: 'commit' }),
			box.press('Enter')
		]);
		const results = page.getByTestId('search-results');
		await expect(results.locator('a').first().textContent()).resolves.toBe('Saint-Omer');
		await Promise.all([
			page.waitForURL(/\/territoire\/commune\/62765$/, { waitUntil: 'commit' }),
			results.locator('a').first().click()
		]);
		// 'commit' is before the report is drawn: wait for its title, then read it.
		const title = page.getByRole('heading', { level: 1 }).filter({ hasText: 'Saint-Omer' }).last();
		// Reached by the client router: its data comes as JSON (see the server test on the page cache).
		await title.waitFor({ state: 'visible' });
		await expect(title.textContent()).resolves.toBe('Saint-Omer');
		await closeAndCheckPage(test);
	});

	it('searches by postcode on /recherche: INSEE code and postcode told apart, arrondissements explained, unknown postcode said', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		// 01400: Seillonnaz's INSEE code and the postcode of 10 other communes.
		await page.goto(`${baseUrl()}/recherche?q=01400`);
		const items = (await page.getByTestId('search-results').locator('li').allInnerTexts()).map(
			(t) => t.replace(/\s+/g, ' ')
		);
		expect(items).toHaveLength(11);
		expect(items[0]).toMatch(/^Seillonnaz Commune · code INSEE 01400 · Ain \(01\)/);
		expect(items[1]).toMatch(/^Châtillon-sur-Chalaronne — 01400 Commune · code postal 01400/);
		expect(await page.getByText('Sources de la recherche').innerText()).toContain(
			'La Poste, codes postaux 2026'
		);
		// A Paris postcode leads to the commune, the arrondissement named and explained.
		await page.goto(`${baseUrl()}/recherche?q=75011`);
		const paris = page.getByTestId('search-results').locator('li');
		expect((await paris.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))).toEqual([
			expect.stringMatching(
				/^Paris — 75011 Commune · code postal 75011 \(Paris 11e Arrondissement\)/
			)
		]);
		await expect(page.getByText('le code postal d’un arrondissement mène').count()).resolves.toBe(
			1
		);
		// Unknown postcode: the French sentence.
		await page.goto(`${baseUrl()}/recherche?q=99999`);
		await expect(page.getByTestId('search-unknown-postcode').innerText()).resolves.toBe(
			'Aucune commune n’a le code postal 99999.'
		);
		await closeAndCheckPage(test);
	});
});
