/**
 * The map layer « Personnes éloignées du numérique (estimation) » (issue 3): switched on from the
 * Carte tab, computed by its Web Worker, drawn as a choropleth of the share and as proportional
 * circles, with a legend, credits, and a tooltip and details for Amiens that match what
 * `GET /api/estimations` publishes (and, for the drivers, the model run here in Node).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, baseUrl, openPage, useBrowser } from './browser';
import { projectToPage, waitForChoropleth, waitForMapReady } from './map-queries';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { TerritoryIndex } from '$lib/territory/artifacts';
import { estimateRemotePopulation } from '$lib/needs/model';
import { remoteLayerValues } from '$lib/needs/aggregate';
import { describeRemoteEstimate } from '$lib/needs/layer';

// Amiens (Somme, Hauts-de-France): commune centre from the commune table, WGS84.
const AMIENS_CODE = '80021';

interface ApiRow {
	code: string;
	nom: string;
	eloignes: number;
	eloignes_bas: number;
	eloignes_haut: number;
	part_eloignes: number | null;
}

const suite = useBrowser({ metrics: 'estimate-layer' });
const { metrics } = suite;
let drivers: string[];
let amiens: { lon: number; lat: number };

beforeAll(async () => {
	// The drivers are not in the API: compute them with the model, as the worker does.
	const communes = decodeCommuneTable(
		JSON.parse(readFileSync(join('static', 'data', 'communes.json'), 'utf8'))
	);
	const territories: TerritoryIndex = JSON.parse(
		readFileSync(join('static', 'data', 'territoires.json'), 'utf8')
	);
	const somme = communes.filter((c) => c.dep === '80');
	const record = somme.find((c) => c.code === AMIENS_CODE)!;
	amiens = { lon: record.lon!, lat: record.lat! };
	const set = estimateRemotePopulation(communes);
	drivers = remoteLayerValues(set, communes, 'commune', territories).find(
		(v) => v.code === AMIENS_CODE
	)!.drivers;
});

async function fetchApiRow(niveau: string, filter: string, code: string): Promise<ApiRow> {
	const response = await fetch(`${baseUrl()}/api/estimations?niveau=${niveau}&${filter}`);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { territoires: ApiRow[] };
	const rows = body.territoires;
	const row = rows.find((r) => r.code === code);
	expect(row).toBeDefined();
	return row!;
}

/** Whitespace folded to one space (French numbers hold narrow no-break spaces). */
const fold = (value: string) => value.replace(/\s+/g, ' ');

const text = async (page: Page, testId: string) => fold(await page.getByTestId(testId).innerText());

function markTime(page: Page, name: string): Promise<number | null> {
	return page.evaluate((n) => performance.getEntriesByName(n, 'mark')[0]?.startTime ?? null, name);
}

describe('estimate layer « Personnes éloignées du numérique »', () => {
	it('shows the share and the number, with legend, credits, tooltip and details for Amiens', async () => {
		const api = await fetchApiRow('commune', 'departement=80', AMIENS_CODE);
		expect(api.nom).toBe('Amiens');
		const expected = describeRemoteEstimate({
			code: api.code,
			eloignes: api.eloignes,
			bas: api.eloignes_bas,
			haut: api.eloignes_haut,
			part: api.part_eloignes,
			fiabilite: 'estime',
			drivers
		});
		expect(drivers.length).toBeGreaterThanOrEqual(2);
		expect(drivers.length).toBeLessThanOrEqual(3);

		const test = await openPage(suite.browser);
		const { page } = test;
		// Another indicator first, so that switching the share on is tested (it is the default).
		await page.goto(`${baseUrl()}/?indicateur=fibre-ftth&vue=${amiens.lon},${amiens.lat},10`);
		await waitForChoropleth(page, 'commune');

		// Switch the share view on: the worker computes while the panel says so. Long main-thread
		// tasks meanwhile are recorded (a measurement: the estimate itself runs in the worker).
		await page.evaluate(() => {
			const w = window as unknown as { __longTasks: number[] };
			w.__longTasks = [];
			new PerformanceObserver((list) => {
				for (const entry of list.getEntries()) w.__longTasks.push(Math.round(entry.duration));
			}).observe({ type: 'longtask' });
		});
		const switchedAt = Date.now();
		await page.getByLabel('Part des 15 ans et plus (aplat de couleurs)').check();
		await page.getByTestId('estimate-computing').waitFor({ state: 'visible', timeout: 10_000 });
		await page.waitForFunction(
			() => performance.getEntriesByName('atlas:estimate-commune', 'mark').length > 0,
			undefined,
			{ timeout: 60_000, polling: 200 }
		);
		metrics.communeEstimateMs = Date.now() - switchedAt;
		metrics.mainThreadLongTasksMs = await page.evaluate(
			() => (window as unknown as { __longTasks: number[] }).__longTasks
		);
		await page.getByTestId('estimate-computing').waitFor({ state: 'detached' });
		// The share is the default indicator: it leaves the address.
		await page.waitForURL((url) => !url.searchParams.has('indicateur'));

		// Legend: title, French class limits, the model's credits.
		await page.waitForFunction(() =>
			/de \d+,\d à \d+,\d\s%/.test(
				document.querySelector('[data-testid="legend"]')?.textContent?.replace(/\s+/g, ' ') ?? ''
			)
		);
		await waitForMapReady(page);
		const legend = await text(page, 'legend');
		expect(legend).toContain('Personnes éloignées du numérique (estimation)');
		for (const credit of [
			'INSEE, COG 2026',
			'La MedNum / ANCT, IFN 2023',
			'INSEE-DGFiP, Filosofi 2021',
			'INSEE, grille communale de densité 2025'
		])
			expect(legend).toContain(credit);
		const attribution = await text(page, 'estimate-attribution');
		expect(attribution).toContain('La MedNum / ANCT, IFN 2023');
		await expect(
			page.getByRole('link', { name: 'Méthode de l’estimation' }).getAttribute('href')
		).resolves.toMatch(/\/sources#estimation$/);

		// Amiens is coloured by its share, the same as the API's (which rounds to 0.1 point).
		const share = await page.evaluate((code) => {
			const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
			return map.getFeatureState({ source: 'territories-commune', id: code }).value as number;
		}, AMIENS_CODE);
		expect(Math.abs(share - api.part_eloignes!)).toBeLessThanOrEqual(0.05 + 1e-9);

		// Number view: proportional circles at the commune centres, and their legend.
		await page.getByLabel('Nombre de personnes (cercles proportionnels)').check();
		await page.getByTestId('circle-legend').waitFor({ state: 'visible' });
		const circleLegend = await text(page, 'circle-legend');
		expect(circleLegend).toMatch(/\d personnes/);
		expect(circleLegend).toContain('surface des cercles proportionnelle');
		const references = await page.getByTestId('circle-legend-svg').locator('text').allInnerTexts();
		expect(references.length).toBeGreaterThanOrEqual(2);
		expect(references.length).toBeLessThanOrEqual(3);
		await page.waitForURL((url) => url.searchParams.get('symboles') === 'eloignes');
		await waitForMapReady(page);
		await expect(
			page.evaluate(() =>
				(window as unknown as { __map: import('maplibre-gl').Map }).__map.getLayoutProperty(
					'remote-circles-commune',
					'visibility'
				)
			)
		).resolves.toBe('visible');
		const circles = await page.evaluate(() => {
			const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
			return map
				.queryRenderedFeatures({ layers: ['remote-circles-commune'] })
				.map((f) => ({ code: String(f.properties.code), eloignes: Number(f.properties.eloignes) }));
		});
		metrics.communeCirclesDrawn = circles.length;
		expect(circles.find((c) => c.code === AMIENS_CODE)?.eloignes).toBe(api.eloignes);

		// Hover: the tooltip tells the estimate, its band, the share and the drivers in French.
		const point = await projectToPage(page, amiens.lon, amiens.lat);
		await page.mouse.move(point.x, point.y);
		await page.waitForFunction(() =>
			document.querySelector('[data-testid="map-tooltip"]')?.textContent?.includes('Amiens')
		);
		const tooltip = await text(page, 'map-tooltip');
		expect(tooltip).toContain(fold(`Estimation : ${expected.estimate}`));
		expect(tooltip).toContain(fold(`Fourchette : ${expected.band}`));
		expect(tooltip).toContain(fold(expected.share.replace(/^soit /, '')));
		for (const d of drivers) expect(tooltip).toContain(fold(d));

		// Click: the details panel gives the same figures as the API, and the model's drivers.
		await page.mouse.click(point.x, point.y);
		const details = page.getByTestId('estimate-details');
		await details.waitFor({ state: 'visible' });
		await page.getByTestId('estimate-value').waitFor({ state: 'visible' });
		await expect(page.getByTestId('estimate-value').getAttribute('data-eloignes')).resolves.toBe(
			String(api.eloignes)
		);
		await expect(page.getByTestId('estimate-band').getAttribute('data-bas')).resolves.toBe(
			String(api.eloignes_bas)
		);
		await expect(page.getByTestId('estimate-band').getAttribute('data-haut')).resolves.toBe(
			String(api.eloignes_haut)
		);
		const detailsText = fold(await details.innerText());
		expect(detailsText).toContain('Amiens');
		expect(detailsText).toContain(fold(expected.estimate));
		expect(detailsText).toContain(fold(expected.band));
		expect(detailsText).toContain(fold(expected.share));
		await expect(
			page.getByTestId('estimate-drivers').locator('li').allInnerTexts()
		).resolves.toEqual(drivers);
		await page.screenshot({ path: new URL('estimate-layer-communes.png', ARTIFACTS).pathname });
		await page
			.getByTestId('estimate-layer')
			.screenshot({ path: new URL('estimate-layer-panel.png', ARTIFACTS).pathname });

		// Hiding and showing the circles keeps the same source: nothing is uploaded again.
		await page.evaluate(() => {
			const w = window as unknown as { __map: import('maplibre-gl').Map; __circles: unknown };
			w.__circles = w.__map.getSource('remote-circles-source-commune');
		});
		const numberView = page.getByLabel('Nombre de personnes (cercles proportionnels)');
		await numberView.uncheck();
		await page.waitForURL((url) => url.searchParams.get('symboles') === null);
		await numberView.check();
		await page.waitForURL((url) => url.searchParams.get('symboles') === 'eloignes');
		await expect(
			page.evaluate(() => {
				const w = window as unknown as { __map: import('maplibre-gl').Map; __circles: unknown };
				return (
					w.__circles === w.__map.getSource('remote-circles-source-commune') &&
					w.__map.getLayoutProperty('remote-circles-commune', 'visibility') === 'visible'
				);
			})
		).resolves.toBe(true);

		// Another level: the départements, aggregated as sums (the circle legend and wording follow).
		await page.getByLabel('Niveau', { exact: true }).selectOption('departement');
		await page.waitForFunction(
			() => performance.getEntriesByName('atlas:estimate-departement', 'mark').length > 0,
			undefined,
			{ timeout: 60_000, polling: 200 }
		);
		await page.evaluate(() => {
			const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
			map.jumpTo({ center: [2.4, 46.6], zoom: 4.8 });
		});
		await waitForMapReady(page);
		await expect(
			page.evaluate(() => {
				const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
				return {
					departement: map.getLayoutProperty('remote-circles-departement', 'visibility'),
					commune: map.getLayoutProperty('remote-circles-commune', 'visibility')
				};
			})
		).resolves.toEqual({ departement: 'visible', commune: 'none' });
		expect(
			await page.evaluate(
				() =>
					new Set(
						(window as unknown as { __map: import('maplibre-gl').Map }).__map
							.queryRenderedFeatures({ layers: ['remote-circles-departement'] })
							.map((f) => f.properties.code)
					).size
			)
		).toBeGreaterThanOrEqual(90);
		const somme = await fetchApiRow('departement', 'region=32', '80');
		const sommeCircle = await page.evaluate(() => {
			const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
			return map
				.queryRenderedFeatures({ layers: ['remote-circles-departement'] })
				.find((f) => f.properties.code === '80')?.properties.eloignes;
		});
		expect(sommeCircle).toBe(somme.eloignes);
		const panel = await text(page, 'estimate-layer');
		expect(panel).toContain('somme des estimations communales ; part = rapport des sommes');
		expect(panel).toContain('Cercles au centre de population');
		metrics.marks = {
			commune: await markTime(page, 'atlas:estimate-commune'),
			departement: await markTime(page, 'atlas:estimate-departement')
		};
		await page.screenshot({ path: new URL('estimate-layer-departements.png', ARTIFACTS).pathname });

		const { errors, blocked } = test;
		await test.close();
		expect(errors).toEqual([]);
		expect(blocked).toEqual([]);
	});
});
