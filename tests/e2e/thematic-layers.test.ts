import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import { ARTIFACTS, baseUrl, closeAndCheckPage, openPage, useBrowser } from './browser';
import { countFetches, readCamera, waitForChoropleth, waitForMapReady } from './map-queries';

const GEOMETRY_FILES = [
	'regions.topo.json',
	'departements.topo.json',
	'epci.topo.json',
	'communes.topo.json'
];

type WithMap = Window & { __map: import('maplibre-gl').Map };

const suite = useBrowser({ metrics: 'thematic-layers', log: true });
const { metrics } = suite;
let communes: Map<string, CommuneRecord>;

beforeAll(async () => {
	const table = JSON.parse(
		readFileSync(new URL('../../static/data/communes.json', import.meta.url), 'utf8')
	);
	communes = new Map(decodeCommuneTable(table).map((c) => [c.code, c]));
});

/** Rendered features of one layer: code → feature state (one entry per code). */
function queryLayer(
	page: Page,
	layer: string
): Promise<{ code: string; state: Record<string, unknown> }[]> {
	return page.evaluate((id) => {
		const map = (window as unknown as WithMap).__map;
		if (!map.getLayer(id)) return [];
		const seen = new Map<string, Record<string, unknown>>();
		for (const f of map.queryRenderedFeatures({ layers: [id] })) {
			const code = String(f.properties.code);
			if (!seen.has(code)) seen.set(code, (f.state ?? {}) as Record<string, unknown>);
		}
		return [...seen].map(([code, state]) => ({ code, state }));
	}, layer);
}

function visibility(page: Page, layer: string): Promise<string | null> {
	return page.evaluate((id) => {
		const map = (window as unknown as WithMap).__map;
		return map.getLayer(id) ? (map.getLayoutProperty(id, 'visibility') as string) : null;
	}, layer);
}

/** Wait until `layer` is shown and the map is ready (its values joined and drawn). */
async function waitForLayerReady(page: Page, layer: string): Promise<void> {
	await page.waitForFunction(
		(id) => {
			const map = (window as unknown as WithMap).__map;
			return Boolean(
				document.querySelector('[data-testid="map"]')?.getAttribute('data-state') === 'ready' &&
				map.getLayer(id) &&
				map.getLayoutProperty(id, 'visibility') === 'visible'
			);
		},
		layer,
		{ timeout: 60_000, polling: 100 }
	);
}

async function geometryFetches(page: Page): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const file of GEOMETRY_FILES) counts[file] = await countFetches(page, file);
	return counts;
}

const text = async (page: Page, testId: string) =>
	(await page.getByTestId(testId).innerText()).replace(/\s+/g, ' ');

describe('thematic layers on the map /', () => {
	it('draws white zones, 4G, QPV, typologies and zonings at every level without reloading geometry', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/`);
		await waitForChoropleth(page, 'departement');
		const layers = page.getByTestId('thematic-layers');

		// 1. Fibre white zones at département level: threshold moves recolour, nothing is fetched.
		await layers.getByLabel('Entourer les zones blanches').check();
		await waitForLayerReady(page, 'thematic-white-zone-departement');
		const before = await geometryFetches(page);
		expect(before['departements.topo.json']).toBe(1);
		const threshold = page.getByTestId('white-zone-threshold');
		await threshold.fill('95');
		await threshold.press('Enter');
		await page.waitForFunction(() =>
			/\d+\s+départements sous le seuil/.test(
				document.querySelector('[data-testid="white-zone-count"]')?.textContent ?? ''
			)
		);
		const deps = await queryLayer(page, 'thematic-white-zone-departement');
		const under = deps.filter((d) => (d.state['thematic-eligible'] as number) < 95);
		expect(under.length).toBeGreaterThan(0);
		const countText = await text(page, 'white-zone-count');
		expect(Number(countText.match(/^(\d+)/)![1])).toBeGreaterThanOrEqual(under.length);
		await expect(
			page.evaluate(() =>
				JSON.stringify(
					(window as unknown as WithMap).__map.getPaintProperty(
						'thematic-white-zone-departement',
						'line-opacity'
					)
				)
			)
		).resolves.toContain('95');
		expect(await text(page, 'layer-fibre')).toMatch(/ARCEP, 20\d\d/);
		expect(await text(page, 'layer-fibre')).toContain('Paris, Lyon et Marseille');

		// 2. 4G: the IFN score becomes the background choropleth, labelled as a score with its year.
		await page.getByTestId('layer-4g').getByRole('checkbox').check();
		await page.waitForFunction(() =>
			document.querySelector('[data-testid="legend"] h2')?.textContent?.includes('score IFN 2023')
		);
		await waitForChoropleth(page, 'departement');
		const legend = await text(page, 'legend');
		expect(legend).toContain('Absence de couverture 4G (score IFN 2023, 0–10)');
		expect(legend).toContain('pondérée par la population');
		expect(legend).toMatch(/MedNum/);
		await page.waitForURL((url) => url.searchParams.get('indicateur') === 'absence-4g-ifn');

		// 3. QPV: the list is fetched once; the Somme and the Nord host QPV.
		await layers.getByLabel('Entourer les territoires qui accueillent un QPV').check();
		await waitForLayerReady(page, 'thematic-qpv-departement');
		const qpvDeps = await queryLayer(page, 'thematic-qpv-departement');
		const qpvByDep = new Map(qpvDeps.map((d) => [d.code, d.state['thematic-qpv']]));
		expect(qpvByDep.get('80')).toBeGreaterThan(0);
		expect(qpvByDep.get('59')).toBeGreaterThan(10);
		expect(await text(page, 'qpv-count')).toMatch(/\d+ départements avec au moins un QPV 2024/);
		expect(await text(page, 'layer-qpv')).toContain('ANCT, QPV 2024');

		// 4. Typologies: density grid, then rurality, with dominant classes above the commune.
		await layers.getByLabel('Typologie', { exact: true }).selectOption('densite');
		await waitForLayerReady(page, 'thematic-category-departement');
		let typology = await text(page, 'typology-legend');
		expect(typology).toContain('1. Grands centres urbains');
		expect(await text(page, 'layer-rural')).toContain('plus grande part de la population');
		expect(await text(page, 'layer-rural')).toContain('INSEE, grille communale de densité');
		const paris = (await queryLayer(page, 'thematic-category-departement')).find(
			(d) => d.code === '75'
		);
		expect(paris?.state['thematic-category']).toBe(0);
		await layers.getByLabel('Typologie', { exact: true }).selectOption('ruralite');
		await page.waitForFunction(() =>
			document.querySelector('[data-testid="typology-legend"]')?.textContent?.includes('ruralités')
		);
		typology = await text(page, 'typology-legend');
		expect(typology).toMatch(/Les ruralités/);
		await layers.getByLabel('Opacité de la typologie').fill('0.5');

		// FRR and ZRR: drawn on the commune polygons, a hint says so before they are loaded.
		await layers.getByLabel('France Ruralités Revitalisation (FRR 2025)').check();
		await layers.getByLabel('Anciennes ZRR (2021), pour comparer').check();
		const zoning = await text(page, 'zoning-legend');
		expect(zoning).toContain('FRR socle');
		expect(zoning).toContain('FRR+');
		expect(zoning).toContain('sans libellé publié — à vérifier');
		expect(zoning).toContain('ZRR 2021');
		expect(await text(page, 'zoning-hint')).toContain('communes');

		// The layers are in the URL (a shareable view).
		await page.waitForURL(
			(url) =>
				url.searchParams.get('couches') === 'zones-blanches,qpv,frr,zrr' &&
				url.searchParams.get('typologie') === 'ruralite' &&
				url.searchParams.get('seuil') === '95'
		);

		// Toggling and thresholds fetched no geometry.
		expect(await geometryFetches(page)).toEqual(before);

		// Régions level: every layer redraws from the région source already loaded.
		await page.getByLabel('Niveau', { exact: true }).selectOption('region');
		await waitForChoropleth(page, 'region');
		await waitForLayerReady(page, 'thematic-category-region');
		await waitForLayerReady(page, 'thematic-qpv-region');
		expect(await text(page, 'qpv-count')).toMatch(/1[38] régions avec au moins un QPV 2024/);
		expect(await visibility(page, 'thematic-white-zone-region')).toBe('visible');
		expect(await geometryFetches(page)).toEqual(before);
		await page.screenshot({ path: new URL('thematic-regions.png', ARTIFACTS).pathname });

		// EPCI level (its geometry is fetched once, for the level, not for a layer).
		await page.getByLabel('Niveau', { exact: true }).selectOption('epci');
		await waitForChoropleth(page, 'epci');
		await waitForLayerReady(page, 'thematic-category-epci');
		await waitForLayerReady(page, 'thematic-qpv-epci');
		const amiensMetropole = (await queryLayer(page, 'thematic-qpv-epci')).find(
			(d) => d.code === '248000531'
		);
		expect(amiensMetropole?.state['thematic-qpv']).toBe(communes.get('80021')!.qpvCount);
		await closeAndCheckPage(test);
	});

	// Each scenario starts from a shared link (the URL holds the layers), so that each has the
	// whole per-test budget on a busy machine.
	it('finds a commune by name and by code, with QPV, FRR and ZRR at commune level, without reloading geometry', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?couches=zones-blanches,qpv,frr,zrr&typologie=ruralite&seuil=95`);
		await waitForChoropleth(page, 'departement');
		const layers = page.getByTestId('thematic-layers');
		const threshold = page.getByTestId('white-zone-threshold');

		// Search « st quentin »: Saint-Quentin (02691) first, chosen with the keyboard.
		const search = page.getByRole('combobox', { name: 'Rechercher un territoire' });
		await search.fill('st quentin');
		const listbox = page.getByRole('listbox', { name: 'Territoires trouvés' });
		await listbox.waitFor({ state: 'visible' });
		const firstOption = page.getByRole('option').first();
		expect(await firstOption.innerText()).toContain('Saint-Quentin');
		expect(await firstOption.innerText()).toContain('02691');
		await search.press('ArrowDown');
		await expect(search.getAttribute('aria-activedescendant')).resolves.toBe(
			'atlas-search-option-0'
		);
		await search.press('Enter');
		await page.waitForFunction(
			() =>
				document.querySelector('[data-testid="territory-details"] h2')?.textContent ===
				'Saint-Quentin'
		);
		await page.waitForURL((url) => url.searchParams.get('territoire') === 'commune-02691');
		await waitForMapReady(page);
		const camera = await readCamera(page);
		const sq = communes.get('02691')!;
		expect(camera.zoom).toBeGreaterThanOrEqual(9);
		expect(camera.lon).toBeCloseTo(sq.lon!, 1);
		expect(camera.lat).toBeCloseTo(sq.lat!, 1);
		await waitForChoropleth(page, 'commune');
		const reportLink = page.getByRole('link', { name: /Fiche territoire/ });
		await expect(reportLink.getAttribute('href')).resolves.toBe('/territoire/commune/02691');

		// Commune level: QPV of Saint-Quentin listed with their codes; zonings drawn.
		await waitForLayerReady(page, 'thematic-qpv-commune');
		const sqQpv = (await queryLayer(page, 'thematic-qpv-commune')).find((d) => d.code === '02691');
		expect(sqQpv?.state['thematic-qpv']).toBe(sq.qpvCount);
		await page.waitForFunction(() =>
			/QN\d+/.test(document.querySelector('[data-testid="details-qpv"]')?.textContent ?? '')
		);
		expect(await text(page, 'details-qpv')).toMatch(new RegExp(`^${sq.qpvCount} :`));
		await waitForLayerReady(page, 'thematic-frr-hatch');
		await waitForLayerReady(page, 'thematic-zrr-outline');
		const frrDrawn = await queryLayer(page, 'thematic-frr-hatch');
		for (const { code } of frrDrawn) expect(communes.get(code)!.frr).toBeGreaterThan(0);
		const zrrDrawn = await queryLayer(page, 'thematic-zrr-outline');
		for (const { code } of zrrDrawn) expect(['C', 'PC']).toContain(communes.get(code)!.zrr);
		expect(frrDrawn.length).toBeGreaterThan(0);
		expect(zrrDrawn.length).toBeGreaterThan(0);
		await waitForLayerReady(page, 'thematic-category-commune');
		await waitForLayerReady(page, 'thematic-white-zone-commune');

		// A FRR and ZRR commune found by its code: its details say so.
		const frrCommune = frrDrawn
			.map(({ code }) => communes.get(code)!)
			.find((c) => c.frr === 4 && c.zrr === 'C')!;
		expect(frrCommune).toBeDefined();
		await search.fill(frrCommune.code);
		await page.getByRole('option').first().waitFor();
		expect(await page.getByRole('option').first().innerText()).toContain(frrCommune.nom);
		await search.press('Enter');
		await page.waitForFunction(
			(nom) => document.querySelector('[data-testid="territory-details"] h2')?.textContent === nom,
			frrCommune.nom
		);
		expect(await text(page, 'details-frr')).toBe('FRR socle');
		expect(await text(page, 'details-zrr')).toBe('Classée en ZRR (2021)');
		await waitForMapReady(page);

		// Threshold and toggles at commune level: same sources, no new fetch.
		const fetchesAtCommune = await geometryFetches(page);
		expect(fetchesAtCommune['communes.topo.json']).toBe(1);
		await page.evaluate(() => {
			const map = (window as unknown as WithMap).__map;
			(window as unknown as { __communeSource: unknown }).__communeSource =
				map.getSource('territories-commune');
		});
		await threshold.fill('80');
		await threshold.press('Enter');
		await layers.getByLabel('Entourer les zones blanches').uncheck();
		await page.waitForFunction(
			() =>
				(window as unknown as WithMap).__map.getLayoutProperty(
					'thematic-white-zone-commune',
					'visibility'
				) === 'none'
		);
		await layers.getByLabel('Entourer les zones blanches').check();
		await layers.getByLabel('Typologie', { exact: true }).selectOption('densite');
		await layers.getByLabel('Débit ≥ 100 Mbit/s (ARCEP, 2022)').check();
		await waitForLayerReady(page, 'thematic-white-zone-commune');
		expect(await geometryFetches(page)).toEqual(fetchesAtCommune);
		await expect(
			page.evaluate(() => {
				const map = (window as unknown as WithMap).__map;
				return (
					(window as unknown as { __communeSource: unknown }).__communeSource ===
					map.getSource('territories-commune')
				);
			})
		).resolves.toBe(true);
		expect(await countFetches(page, 'qpv.json')).toBe(1);

		await closeAndCheckPage(test);
	});

	it('draws every overlay at commune level around Saint-Quentin, then the choropleth alone once they are off', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		// Saint-Quentin's shared link frames the commune; then zoom 8 shows its surroundings.
		await page.goto(
			`${baseUrl()}/?territoire=commune-02691&couches=zones-blanches,qpv,frr,zrr&typologie=densite&seuil=80`
		);
		const layers = page.getByTestId('thematic-layers');
		await waitForChoropleth(page, 'commune');
		// A block body: an arrow returning zoomTo's result would hand the whole Map to Playwright to
		// serialise (it took a minute here).
		await page.evaluate(() => {
			(window as unknown as WithMap).__map.zoomTo(8, { duration: 0 });
		});
		await waitForChoropleth(page, 'commune');
		await waitForLayerReady(page, 'thematic-white-zone-commune');
		await waitForLayerReady(page, 'thematic-frr-hatch');

		// Every layer on draws its features around Saint-Quentin (how fast the map pans there is
		// measured by `npm run bench`, « Fluidité de la carte »).
		await waitForMapReady(page);
		const overlays = [
			'thematic-category-commune',
			'thematic-white-zone-commune',
			'thematic-qpv-commune',
			'thematic-frr-hatch',
			'thematic-zrr-outline'
		];
		const countDrawn = async () => {
			const counted: Record<string, number> = {};
			for (const layer of ['choropleth-commune', ...overlays]) {
				counted[layer] = (await queryLayer(page, layer)).length;
			}
			return counted;
		};
		const counted = await countDrawn();
		expect(counted['choropleth-commune']).toBeGreaterThan(500);
		for (const layer of overlays) expect(counted[layer], layer).toBeGreaterThan(0);
		metrics.featuresDrawnAtZoom8 = counted;
		metrics.renderedFeaturesAllLayers = await page.evaluate(
			() => (window as unknown as WithMap).__map.queryRenderedFeatures().length
		);
		await page.screenshot({ path: new URL('thematic-communes.png', ARTIFACTS).pathname });
		// Every overlay off: the choropleth alone is drawn, from the same geometry.
		await layers.getByLabel('Entourer les zones blanches').uncheck();
		await layers.getByLabel('Entourer les territoires qui accueillent un QPV').uncheck();
		await layers.getByLabel('Typologie', { exact: true }).selectOption('aucune');
		await layers.getByLabel('France Ruralités Revitalisation (FRR 2025)').uncheck();
		await layers.getByLabel('Anciennes ZRR (2021), pour comparer').uncheck();
		await waitForMapReady(page);
		const alone = await countDrawn();
		expect(alone['choropleth-commune']).toBeGreaterThan(500);
		for (const layer of overlays) expect(alone[layer], layer).toBe(0);
		expect(await countFetches(page, 'communes.topo.json')).toBe(1);
		await page.getByTestId('thematic-layers').screenshot({
			path: new URL('thematic-panel.png', ARTIFACTS).pathname
		});
		await closeAndCheckPage(test);
	});

	it('restores the layers of a shared link, with a notice for a bad value', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?couches=qpv,frr,routes&typologie=densite&seuil=70`);
		await waitForChoropleth(page, 'departement');
		const layers = page.getByTestId('thematic-layers');
		await expect(
			layers.getByLabel('Entourer les territoires qui accueillent un QPV').isChecked()
		).resolves.toBe(true);
		await expect(
			layers.getByLabel('France Ruralités Revitalisation (FRR 2025)').isChecked()
		).resolves.toBe(true);
		await expect(layers.getByLabel('Entourer les zones blanches').isChecked()).resolves.toBe(false);
		await expect(page.getByTestId('white-zone-threshold').inputValue()).resolves.toBe('70');
		await waitForLayerReady(page, 'thematic-qpv-departement');
		await waitForLayerReady(page, 'thematic-category-departement');
		expect(await text(page, 'typology-legend')).toContain('Grands centres urbains');
		expect((await page.locator('body').innerText()).replace(/\s+/g, ' ')).toContain(
			'Couche « routes » inconnue'
		);
		await closeAndCheckPage(test);
	});
});
