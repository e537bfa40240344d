import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { ARTIFACTS, baseUrl, closeAndCheckPage, openPage, useBrowser } from './browser';
import {
	countFetches,
	projectToPage,
	readCamera,
	waitForChoropleth,
	waitForMapReady
} from './map-queries';

type WithMap = Window & { __map: MapLibreMap };

// Real records of static/data/mediateurs.geojson (from the ANCT France services list of
// 1 August 2024, and the centre of Lille where its Aidants Connect structures are placed).
const FRANCE_SERVICES_LILLE = {
	id: 'fs-1933',
	nom: 'France services Interfaces Lille Faubourg de Béthune',
	lon: 3.044642,
	lat: 50.622455
};
const LILLE_CENTRE = { lon: 3.0468, lat: 50.6311 };
/** Its position in the file: the points the map draws carry that index, not the id. */
const FRANCE_SERVICES_LILLE_INDEX = (
	JSON.parse(
		readFileSync(new URL('../../static/data/mediateurs.geojson', import.meta.url), 'utf8')
	) as { features: { properties: { id: string } }[] }
).features.findIndex((f) => f.properties.id === FRANCE_SERVICES_LILLE.id);

/** The points the map draws (issue 14: the first screen's file) and the places' details. */
const POINTS_FILE = 'mediateurs-points.json';
const DETAILS_FILE = 'mediateurs.geojson';

const suite = useBrowser({ metrics: 'mediators-layer' });
const { metrics } = suite;

/** Wait until the mediator layer is on the map, shown, and the map ready (points drawn). */
async function waitForMediators(page: Page, layer: 'clusters' | 'points'): Promise<void> {
	await page.waitForFunction(
		(id) => {
			const map = (window as unknown as WithMap).__map;
			return Boolean(
				document.querySelector('[data-testid="map"]')?.getAttribute('data-state') === 'ready' &&
				map.getLayer(id) &&
				map.getLayoutProperty(id, 'visibility') !== 'none'
			);
		},
		`mediators-${layer}`,
		{ timeout: 60_000, polling: 100 }
	);
}

/** Positions in mediateurs.geojson and types of the points drawn. */
function renderedPoints(page: Page): Promise<{ index: number; type: string }[]> {
	return page.evaluate(() => {
		const map = (window as unknown as WithMap).__map;
		return map.queryRenderedFeatures({ layers: ['mediators-points'] }).map((f) => ({
			index: Number(f.properties.index),
			type: String(f.properties.type)
		}));
	});
}

/** The details card once it lists its places (the first click fetches them). */
async function waitForDetails(page: Page) {
	const details = page.getByTestId('mediator-details');
	await details.getByRole('heading', { level: 3 }).first().waitFor({ state: 'visible' });
	return details;
}

describe('mediators layer', () => {
	it('is not fetched while off, then draws clusters that zoom in on click', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		// Off through the URL: the bare `/` shows every place (first-screen.test.ts).
		await page.goto(`${baseUrl()}/?lieux=aucun`);
		await waitForChoropleth(page, 'departement');
		expect(await countFetches(page, POINTS_FILE)).toBe(0);
		expect(await countFetches(page, DETAILS_FILE)).toBe(0);

		const controls = page.getByTestId('mediator-controls');
		const started = Date.now();
		await controls.getByLabel('Afficher les lieux de médiation').check();
		await waitForMediators(page, 'clusters');
		metrics.switchOnToClustersMs = Date.now() - started;
		// The points only: the places' details wait for a click.
		expect(await countFetches(page, POINTS_FILE)).toBe(1);
		expect(await countFetches(page, DETAILS_FILE)).toBe(0);
		// Every type is the default: the parameter leaves the address.
		await page.waitForURL((url) => !url.searchParams.has('lieux'));

		// Legend: one symbol per type (five shapes), counts from the data, credits of the lists.
		const symbols = await controls
			.locator('svg[data-symbol]')
			.evaluateAll((svgs) => svgs.map((s) => s.getAttribute('data-symbol')));
		expect(new Set(symbols).size).toBe(5);
		const controlsText = (await controls.innerText()).replace(/\s+/g, ' ');
		expect(controlsText).toMatch(/France services \(2 8\d\d\)/);
		expect(controlsText).toContain('placés au centre de leur commune');
		await expect(page.getByTestId('mediator-attribution').innerText()).resolves.toContain(
			'ANCT, France services, août 2024'
		);
		await expect(page.locator('.maplibregl-ctrl-attrib-inner').innerText()).resolves.toMatch(
			/Lieux : ANCT, France services, août 2024/
		);

		// Clusters carry their count per type; the tooltip tells it.
		const cluster = await page.evaluate(() => {
			const map = (window as unknown as WithMap).__map;
			const features = map.queryRenderedFeatures({ layers: ['mediators-clusters'] });
			const biggest = features.sort(
				(a, b) => Number(b.properties.point_count) - Number(a.properties.point_count)
			)[0];
			const [lon, lat] = (biggest.geometry as GeoJSON.Point).coordinates;
			return { lon, lat, count: Number(biggest.properties.point_count), drawn: features.length };
		});
		metrics.clustersDrawnAtFranceScale = cluster.drawn;
		expect(cluster.count).toBeGreaterThan(10);
		const at = await projectToPage(page, cluster.lon, cluster.lat);
		await page.mouse.move(at.x, at.y);
		const tooltip = page.getByTestId('mediator-tooltip');
		await tooltip.waitFor({ state: 'visible' });
		expect((await tooltip.innerText()).replace(/\s+/g, ' ')).toMatch(/\d+ lieux .*· /);
		await page.screenshot({ path: new URL('mediators-clusters.png', ARTIFACTS).pathname });

		const zoomBefore = (await readCamera(page)).zoom;
		await page.mouse.click(at.x, at.y);
		await page.waitForFunction(
			(z) => (window as unknown as WithMap).__map.getZoom() > z + 0.5,
			zoomBefore
		);
		await waitForMapReady(page);
		expect(await countFetches(page, POINTS_FILE)).toBe(1);
		expect(await countFetches(page, DETAILS_FILE)).toBe(0);
		await closeAndCheckPage(test);
	});

	it('shows a France services’ details, filters by type without fetching again, and says when a point sits at its commune centre', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		const { lon, lat } = FRANCE_SERVICES_LILLE;
		await page.goto(`${baseUrl()}/?lieux=tous&vue=${lon},${lat},13.5`);
		await waitForMediators(page, 'points');
		const points = await renderedPoints(page);
		metrics.pointsDrawnInLilleAtZoom13_5 = points.length;
		expect(points.some((p) => p.index === FRANCE_SERVICES_LILLE_INDEX)).toBe(true);
		expect(await countFetches(page, DETAILS_FILE)).toBe(0);
		expect(new Set(points.map((p) => p.type))).toEqual(
			new Set([
				'france-services',
				'conseiller-numerique-lieu',
				'conseiller-numerique-poste',
				'aidants-connect',
				'autre-lieu-mediation'
			])
		);

		// Click on the France services: the card says the details are coming (held here until it
		// does), then shows them, with its hours and source; the tooltip gets the name too.
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route(`**/${DETAILS_FILE}`, async (route) => {
			await held;
			await route.fallback();
		});
		const fs = await projectToPage(page, lon, lat);
		await page.mouse.click(fs.x, fs.y);
		await page
			.getByTestId('mediator-details')
			.getByRole('status')
			.filter({ hasText: 'Chargement des lieux…' })
			.waitFor({ state: 'visible' });
		release();
		const details = await waitForDetails(page);
		expect(await countFetches(page, DETAILS_FILE)).toBe(1);
		await expect(page.getByTestId('mediator-tooltip').innerText()).resolves.toContain(
			FRANCE_SERVICES_LILLE.nom
		);
		const text = (await details.innerText()).replace(/\s+/g, ' ');
		expect(text).toContain(FRANCE_SERVICES_LILLE.nom);
		expect(text).toContain('France services');
		expect(text).toContain('Liste des structures France services (ANCT, 1er août 2024)');
		expect(text).toMatch(/Labellisée le \d/);
		expect(text).not.toContain('centre de la commune');
		await page.screenshot({ path: new URL('mediators-details.png', ARTIFACTS).pathname });
		await details.getByRole('button', { name: 'Fermer les détails du lieu' }).click();
		await details.waitFor({ state: 'detached' });

		// Untick France services: none left on the map, the file is not fetched again.
		const filterStarted = Date.now();
		await page
			.getByTestId('mediator-controls')
			.getByRole('checkbox', { name: /^France services/ })
			.uncheck();
		await waitForMapReady(page);
		metrics.typeFilterToIdleMs = Date.now() - filterStarted;
		const after = await renderedPoints(page);
		expect(after.length).toBeGreaterThan(0);
		expect(after.some((p) => p.type === 'france-services')).toBe(false);
		expect(await countFetches(page, POINTS_FILE)).toBe(1);
		await page.waitForURL(
			(url) =>
				url.searchParams.get('lieux') ===
				'conseiller-numerique-lieu,conseiller-numerique-poste,aidants-connect,autre-lieu-mediation'
		);

		// Untick a source: its points go too.
		await page.getByText('Filtrer par source').click();
		await page
			.getByTestId('mediator-controls')
			.getByRole('checkbox', { name: /Lieux de médiation numérique du Nord/ })
			.uncheck();
		await waitForMapReady(page);
		await expect(
			page.evaluate(() =>
				(window as unknown as WithMap).__map
					.queryRenderedFeatures({ layers: ['mediators-points'] })
					.filter((f) => f.properties.source === 'lieux-npdc-2023')
					.map((f) => f.properties.id)
			)
		).resolves.toEqual([]);
		await page.waitForURL(
			(url) => url.searchParams.get('lieux_sources')?.includes('aidants') ?? false
		);
		expect(await countFetches(page, POINTS_FILE)).toBe(1);

		// The centre of Lille holds the Aidants Connect structures and conseiller numérique posts.
		const centre = await projectToPage(page, LILLE_CENTRE.lon, LILLE_CENTRE.lat);
		await page.mouse.click(centre.x, centre.y);
		await waitForDetails(page);
		const centreText = (await details.innerText()).replace(/\s+/g, ' ');
		expect(centreText).toMatch(/\d+ lieux à cet endroit/);
		expect(centreText).toContain(
			'Placé au centre de la commune (adresse exacte non géolocalisée).'
		);
		expect(centreText).toMatch(/aidants? habilités?/);
		await page.screenshot({ path: new URL('mediators-commune-centre.png', ARTIFACTS).pathname });
		await closeAndCheckPage(test);
	});

	it('reads the filter from the URL, tells about bad values, and draws every point at commune level', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?lieux=france-services,bibliotheques&vue=3.06,50.63,8.5`);
		await waitForMediators(page, 'clusters');
		const notices = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
		expect(notices).toContain('« bibliotheques » inconnu');
		const box = page
			.getByTestId('mediator-controls')
			.getByRole('checkbox', { name: /^France services/ });
		await expect(box.isChecked()).resolves.toBe(true);
		const aidants = await page.evaluate(() => {
			const map = (window as unknown as WithMap).__map;
			const clusters = map.queryRenderedFeatures({ layers: ['mediators-clusters'] });
			return clusters.map((c) => Number(c.properties.count_aidants_connect));
		});
		expect(aidants.length).toBeGreaterThan(0);
		expect(aidants.every((n) => n === 0)).toBe(true);

		// Every point and every commune drawn together (how fast the map pans there is measured by
		// `npm run bench`, « Fluidité de la carte »).
		await page
			.getByTestId('mediator-controls')
			.getByLabel('Afficher les lieux de médiation')
			.check();
		await waitForChoropleth(page, 'commune');
		await waitForMediators(page, 'points');
		await waitForMapReady(page);
		const drawn = await page.evaluate(() => {
			const map = (window as unknown as WithMap).__map;
			return {
				clusters: map.queryRenderedFeatures({ layers: ['mediators-clusters'] }).length,
				points: map.queryRenderedFeatures({ layers: ['mediators-points'] }).length,
				communes: map.queryRenderedFeatures({ layers: ['choropleth-commune'] }).length
			};
		});
		metrics.drawnAtZoom8_5 = drawn;
		expect(drawn.communes).toBeGreaterThan(500);
		expect(drawn.clusters + drawn.points).toBeGreaterThan(0);
		expect(await countFetches(page, POINTS_FILE)).toBe(1);
		expect(await countFetches(page, DETAILS_FILE)).toBe(0);
		await page.screenshot({ path: new URL('mediators-commune-level.png', ARTIFACTS).pathname });
		await closeAndCheckPage(test);
	});
});
