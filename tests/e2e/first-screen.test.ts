import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	ARTIFACTS,
	baseUrl,
	closeAndCheckPage,
	countRequests,
	openPage,
	useBrowser,
	type TestPage
} from './browser';
import {
	countFetches,
	projectToPage,
	queryRendered,
	readCamera,
	readFraming,
	waitForChoropleth,
	waitForMapReady
} from './map-queries';

// Points well inside two départements and one commune (town-hall coordinates, WGS84).
const LILLE = { lon: 3.0635, lat: 50.6305 };
const AMIENS = { lon: 2.2957, lat: 49.8942 };

const suite = useBrowser({ metrics: 'first-screen' });
const { metrics } = suite;

type Viewport = { width: number; height: number };

const DESKTOP: Viewport = { width: 1440, height: 900 };
const PHONE: Viewport = { width: 390, height: 844 };

/**
 * A page at `viewport`, opened before the enclosing block's tests on the bare `/` with its
 * départements drawn, and closed after them (failing on any page error left).
 */
function openFirstScreen(viewport: Viewport): { readonly test: TestPage; readonly page: Page } {
	let test: TestPage | undefined;
	beforeAll(async () => {
		test = await openPage(suite.browser, { viewport });
		await test.page.goto(`${baseUrl()}/`);
		await waitForChoropleth(test.page, 'departement');
	});
	afterAll(async () => {
		if (test) await closeAndCheckPage(test);
	});
	return {
		get test() {
			if (!test) throw new Error('The first screen did not open (see beforeAll).');
			return test;
		},
		get page() {
			return this.test.page;
		}
	};
}

/** No page error, console error or outside request in this shared page so far. */
function expectNoPageErrorSoFar(test: TestPage): void {
	expect(test.errors).toEqual([]);
	expect(test.blocked).toEqual([]);
}

/** The bare first screen answers at once: need painted, places on, headline in view, priorities. */
async function answersAtOnce(test: TestPage, name: string, viewport: Viewport): Promise<void> {
	const { page } = test;
	// The national total of the estimate, as the API publishes it (sum of the régions).
	const response = await fetch(`${baseUrl()}/api/estimations?niveau=region`);
	const { territoires } = (await response.json()) as { territoires: { eloignes: number }[] };
	const total = territoires.reduce((sum, r) => sum + r.eloignes, 0);
	const expected = `≈ ${(Math.round(total / 100_000) / 10).toFixed(1).replace('.', ',')} millions`;

	await waitForChoropleth(page, 'departement');
	// First-screen work only (issue 14): the estimate comes from the pipeline's files, so no
	// commune table (by the page or a worker), no analysis worker and no needs-model run before
	// the user asks for more.
	expect(countRequests(test, 'communes.json')).toBe(0);
	expect(await countFetches(page, 'estimations/departements.json')).toBe(1);
	expect(
		await page.evaluate(() => ({
			workers: performance.getEntriesByName('atlas:analysis-worker-started').length,
			modelRuns: document.documentElement.dataset.needsModelRuns ?? null
		}))
	).toEqual({ workers: 0, modelRuns: null });
	expect(await page.getByLabel('Indicateur', { exact: true }).inputValue()).toBe('eloignes-part');
	const legend = (await page.getByTestId('legend').innerText()).replace(/\s+/g, ' ');
	expect(legend).toContain('Personnes éloignées du numérique (estimation)');

	// The headline: the real total, its band and its source, above the fold.
	const figure = page.getByTestId('need-headline-figure');
	await figure.waitFor({ state: 'visible', timeout: 60_000 });
	const figureText = (await figure.innerText()).replace(/\s+/g, ' ');
	expect(figureText).toContain(expected);
	expect(figureText).toMatch(/entre \d+,\d et \d+,\d millions/);
	await expect(page.getByTestId('need-headline').innerText()).resolves.toMatch(
		/INSEE, enquêtes TIC-ménages 2017 \(outre-mer\), 2019 et 2021/
	);
	const box = (await page.getByTestId('need-headline').boundingBox())!;
	expect(box.y).toBeGreaterThanOrEqual(0);
	expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
	metrics[`headlineBottomPx_${name}`] = Math.round(box.y + box.height);
	// The search stays above the fold too (the phone's attribution starts folded).
	const search = (await page.getByRole('combobox').first().boundingBox())!;
	expect(search.y + search.height).toBeLessThanOrEqual(viewport.height);
	metrics[`searchBottomPx_${name}`] = Math.round(search.y + search.height);

	// The mediation places are on and drawn (the map is ready once their layer is added).
	await waitForMapReady(page);
	await expect(
		page.evaluate(
			() =>
				(window as unknown as { __map: import('maplibre-gl').Map }).__map.queryRenderedFeatures({
					layers: ['mediators-clusters']
				}).length
		)
	).resolves.toBeGreaterThan(0);
	// Names, région borders and the land come right after the first paint (issue 14): the
	// régions' polygons are requested once the map is painted, and all are drawn by `ready`.
	const secondWave = await page.evaluate(() => {
		const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
		const painted = performance.getEntriesByName('atlas:map-painted')[0]?.startTime;
		const regions = performance
			.getEntriesByType('resource')
			.filter((e) => e.name.endsWith('regions.topo.json'));
		return {
			painted: painted !== undefined,
			regionRequests: regions.length,
			requestedAfterPaint: regions.every((e) => painted !== undefined && e.startTime >= painted),
			regionBorders: Boolean(map.getLayer('basemap-region-borders')),
			names: map.queryRenderedFeatures({ layers: ['labels-region', 'labels-departement'] }).length
		};
	});
	expect(secondWave).toMatchObject({
		painted: true,
		regionRequests: 1,
		requestedAfterPaint: true,
		regionBorders: true
	});
	expect(secondWave.names).toBeGreaterThan(0);

	// The priorities of the view: five départements, most people first.
	const priorities = page.getByTestId('view-priorities');
	await page.waitForFunction(
		() => document.querySelectorAll('[data-testid="view-priorities"] li').length === 5,
		undefined,
		{ timeout: 60_000, polling: 250 }
	);
	const items = await priorities.locator('li').allInnerTexts();
	expect(items[0]).toMatch(/^Nord/);
	const counts = items.map((t) =>
		Number(/environ ([\d\s\u202f]+) personnes/.exec(t)![1].replace(/\D/g, ''))
	);
	expect([...counts].sort((a, b) => b - a)).toEqual(counts);
	await page.screenshot({
		path: new URL(`first-screen-answers-${name}.png`, ARTIFACTS).pathname
	});
}

/** A searched territory is framed on the map, its key figures at the top of the panel. */
async function bringsSearchedTerritoryIntoView(page: Page, name: string): Promise<void> {
	await waitForMapReady(page);
	const search = page.getByRole('combobox').first();
	await search.fill('Guéret');
	await page.getByRole('option').first().waitFor({ state: 'visible' });
	await search.press('Enter');
	await page.waitForFunction(
		() => document.querySelector('[data-testid="territory-details"] h2')?.textContent === 'Guéret'
	);
	// Framed: the camera goes to Guéret's centre at a commune zoom.
	await page.waitForURL((url) => url.searchParams.get('territoire') === 'commune-23096');
	await waitForMapReady(page);
	// Guéret's centre.
	const camera = await readFraming(page, 1.87, 46.17);
	expect(camera.zoom).toBeGreaterThanOrEqual(9);
	expect(camera.inView).toBe(true);
	// Compared side by side with its EPCI and its département, figures computed.
	const comparison = page.getByTestId('details-comparison');
	await page.waitForFunction(
		() =>
			!document
				.querySelector('[data-testid="details-comparison"]')
				?.textContent?.includes('calcul'),
		undefined,
		{ timeout: 60_000, polling: 250 }
	);
	const text = (await comparison.innerText()).replace(/\s+/g, ' ');
	expect(text).toContain('Creuse');
	expect(text).toMatch(/EPCI CA du Grand Guéret/);
	expect(text).toMatch(/\d+,\d %/);
	// Offset of the key figures' bottom from the top of the panel.
	const panel = (await page.getByRole('complementary').boundingBox())!;
	const figures = (await comparison.boundingBox())!;
	const value = (await page.getByTestId('details-value').boundingBox())!;
	const offset = Math.round(Math.max(figures.y + figures.height, value.y + value.height) - panel.y);
	metrics[`selectedFiguresBottomInPanelPx_${name}`] = offset;
	expect(offset).toBeLessThanOrEqual(600);
	await page.screenshot({
		path: new URL(`first-screen-search-${name}.png`, ARTIFACTS).pathname
	});
	// Its neighbours, side by side with the same indicator; one click selects one of them.
	const neighbours = page.getByTestId('details-neighbours');
	await neighbours.waitFor({ state: 'visible', timeout: 60_000 });
	expect((await neighbours.locator('p').innerText()).replace(/\s+/g, ' ')).toMatch(
		/^Communes voisines \(7\) · /
	);
	expect((await neighbours.getByRole('button').allInnerTexts()).sort()).toEqual([
		'La Chapelle-Taillefert',
		'Saint-Christophe',
		'Saint-Fiel',
		'Saint-Léger-le-Guérétois',
		'Saint-Sulpice-le-Guérétois',
		'Sainte-Feyre',
		'Savennes'
	]);
	await neighbours.getByRole('button', { name: 'Sainte-Feyre' }).click();
	await page.waitForURL((url) => url.searchParams.get('territoire') === 'commune-23193');
	await page.waitForFunction(
		() =>
			document.querySelector('[data-testid="territory-details"] h2')?.textContent === 'Sainte-Feyre'
	);
}

describe('first screen /', () => {
	it('draws the départements with a legend, credits, hover and click details, then communes when zoomed in', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		const started = Date.now();
		// The fibre indicator and no mediation places, set explicitly: the bare `/` shows the
		// estimate and the places (tested below), whose clusters would catch this test's clicks.
		await page.goto(`${baseUrl()}/?indicateur=fibre-ftth&lieux=aucun`);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
			'Atlas de l’inclusion numérique'
		);
		await waitForChoropleth(page, 'departement');
		metrics.firstScreenMs = Date.now() - started;

		// Real départements are drawn, with their names and values joined by feature state.
		const departements = await queryRendered(page, 'departement');
		const names = departements.map((d) => d.nom);
		expect(names).toEqual(expect.arrayContaining(['Nord', 'Somme', 'Gironde', 'Corse-du-Sud']));
		expect(departements.length).toBeGreaterThanOrEqual(94);
		const nord = departements.find((d) => d.code === '59')!;
		expect(nord.nom).toBe('Nord');
		expect(typeof nord.value).toBe('number');
		metrics.departementsDrawn = departements.length;

		// The legend is HTML with French class limits, the aggregation and the credits.
		const legend = page.getByTestId('legend');
		await expect(legend.isVisible()).resolves.toBe(true);
		const legendText = (await legend.innerText()).replace(/\s+/g, ' ');
		expect(legendText).toContain('Part des locaux raccordables à la fibre');
		expect(legendText).toMatch(/de \d+,\d à \d+,\d %/);
		expect(legendText).toContain('pondérée par leur nombre de locaux');
		expect(legendText).toMatch(/ARCEP, 20\d\d/);
		const attribution = page.locator('.maplibregl-ctrl-attrib-inner');
		await expect(attribution.isVisible()).resolves.toBe(true);
		await expect(attribution.innerText()).resolves.toMatch(/ARCEP, 20\d\d/);
		await expect(attribution.innerText()).resolves.toMatch(/IGN/);
		await expect(
			page.getByRole('link', { name: 'Sources et méthode' }).first().isVisible()
		).resolves.toBe(true);

		await page.screenshot({ path: new URL('first-screen.png', ARTIFACTS).pathname });

		// Hover shows a tooltip, click fills the details panel and the URL.
		const amiens = await projectToPage(page, AMIENS.lon, AMIENS.lat);
		await page.mouse.move(amiens.x, amiens.y);
		const tooltip = page.getByTestId('map-tooltip');
		await tooltip.waitFor({ state: 'visible' });
		await expect(tooltip.innerText()).resolves.toContain('Somme');
		const lille = await projectToPage(page, LILLE.lon, LILLE.lat);
		await page.mouse.move(lille.x, lille.y);
		await page.waitForFunction(() =>
			document.querySelector('[data-testid="map-tooltip"]')?.textContent?.includes('Nord')
		);
		await page.mouse.click(lille.x, lille.y);
		const details = page.getByTestId('territory-details');
		await page.waitForFunction(
			() => document.querySelector('[data-testid="territory-details"] h2')?.textContent === 'Nord'
		);
		const detailsText = (await details.innerText()).replace(/\s+/g, ' ');
		expect(detailsText).toContain('Département');
		expect(detailsText).toContain('59');
		expect(detailsText).toContain('Hauts-de-France');
		expect(detailsText).toMatch(/Population \d{1,3}( \d{3})+ hab\./);
		expect(await page.getByTestId('details-value').innerText()).toMatch(/^\d+,\d\s%$/);
		await page.waitForURL((url) => url.searchParams.get('territoire') === 'departement-59');

		// Zooming in (the mouse wheel over Lille: no click, so the selection stays the Nord)
		// switches to communes, fetched once.
		expect(await countFetches(page, 'communes.topo.json')).toBe(0);
		const zoomStart = Date.now();
		// Each wheel turn zooms in around the pointer, once the previous zoom has been drawn.
		await page.mouse.move(lille.x, lille.y);
		for (let i = 0; i < 12 && (await readCamera(page)).zoom < 8; i++) {
			const zoomBefore = (await readCamera(page)).zoom;
			await page.mouse.wheel(0, -600);
			await page.waitForFunction(
				(z) =>
					(window as unknown as { __map: import('maplibre-gl').Map }).__map.getZoom() > z + 0.1,
				zoomBefore
			);
			await waitForMapReady(page);
		}
		expect((await readCamera(page)).zoom).toBeGreaterThanOrEqual(7);
		await waitForChoropleth(page, 'commune');
		metrics.communeSwitchMs = Date.now() - zoomStart;
		const communes = await queryRendered(page, 'commune');
		expect(communes.map((c) => c.nom)).toEqual(expect.arrayContaining(['Lille', 'Roubaix']));
		expect(communes.find((c) => c.code === '59350')?.nom).toBe('Lille');
		metrics.communesDrawn = communes.length;
		await page.screenshot({ path: new URL('first-screen-communes.png', ARTIFACTS).pathname });
		const legendNow = (await page.getByTestId('legend').innerText()).replace(/\s+/g, ' ');
		expect(legendNow).toContain('Communes');
		await page.waitForURL((url) => Number(url.searchParams.get('vue')?.split(',')[2]) >= 7);
		metrics.communeGeometryMarks = await page.evaluate(() =>
			performance
				.getEntriesByType('mark')
				.map((m) => ({ name: m.name, at: Math.round(m.startTime) }))
		);

		// Switching the indicator recolours without fetching or replacing any geometry.
		const sourceBefore = await page.evaluate(() => {
			const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
			(window as unknown as { __source: unknown }).__source = map.getSource('territories-commune');
			return true;
		});
		expect(sourceBefore).toBe(true);
		await page.getByLabel('Indicateur', { exact: true }).selectOption('ifn-total');
		await page.waitForFunction(() =>
			document
				.querySelector('[data-testid="legend"] h2')
				?.textContent?.includes('fragilité numérique')
		);
		await expect(page.getByTestId('legend-attribution').innerText()).resolves.toMatch(/MedNum/);
		await waitForChoropleth(page, 'commune');
		const sameSource = await page.evaluate(() => {
			const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
			return (
				(window as unknown as { __source: unknown }).__source ===
				map.getSource('territories-commune')
			);
		});
		expect(sameSource).toBe(true);
		expect(await countFetches(page, 'communes.topo.json')).toBe(1);
		expect(await countFetches(page, 'departements.topo.json')).toBe(1);
		await page.waitForURL((url) => url.searchParams.get('indicateur') === 'ifn-total');
		const sharedUrl = page.url();
		const [lon, lat, zoom] = new URL(sharedUrl).searchParams.get('vue')!.split(',').map(Number);
		const camera = await readCamera(page);
		expect(camera.zoom).toBeCloseTo(zoom, 1);
		await closeAndCheckPage(test);

		// The URL reproduces the view: same camera, level, indicator and selection.
		const again = await openPage(suite.browser);
		await again.page.goto(sharedUrl);
		await waitForChoropleth(again.page, 'commune');
		const restored = await readCamera(again.page);
		expect(restored.zoom).toBeCloseTo(zoom, 2);
		expect(restored.lon).toBeCloseTo(lon, 3);
		expect(restored.lat).toBeCloseTo(lat, 3);
		expect(restored.lon).toBeCloseTo(camera.lon, 2);
		await again.page.waitForFunction(
			() => document.querySelector('[data-testid="territory-details"] h2')?.textContent === 'Nord'
		);
		expect(await again.page.getByTestId('legend').innerText()).toContain('fragilité numérique');
		expect((await queryRendered(again.page, 'commune')).some((c) => c.nom === 'Lille')).toBe(true);
		await closeAndCheckPage(again);
	});

	it('shows a French notice for bad URL parameters and still draws the map', async () => {
		const test = await openPage(suite.browser);
		await test.page.goto(`${baseUrl()}/?niveau=canton&indicateur=inconnu&vue=2,46`);
		const notices = test.page.getByTestId('notices');
		await notices.waitFor({ state: 'visible' });
		const text = await notices.innerText();
		expect(text).toContain('Niveau « canton » inconnu');
		expect(text).toContain('Indicateur « inconnu » inconnu');
		expect(text).toContain('Vue de carte « 2,46 » invalide');
		await waitForChoropleth(test.page, 'departement');
		// The bad values are dropped from the address.
		await test.page.waitForURL((url) => url.search === '');
		// A link to the page with another state (the header's « Carte ») resets the view.
		await test.page.getByLabel('Indicateur', { exact: true }).selectOption('densite-population');
		await test.page.waitForURL(
			(url) => url.searchParams.get('indicateur') === 'densite-population'
		);
		await test.page.getByRole('link', { name: 'Carte', exact: true }).click();
		await test.page.waitForFunction(() =>
			document.querySelector('[data-testid="legend"] h2')?.textContent?.includes('éloignées')
		);
		expect(await test.page.getByLabel('Indicateur', { exact: true }).inputValue()).toBe(
			'eloignes-part'
		);
		await closeAndCheckPage(test);
	});

	it('says in French when the data cannot be loaded, without crashing', async () => {
		const test = await openPage(suite.browser, { allowConsoleErrors: [/status of 404/] });
		await test.page.route('**/data/communes.json', (route) =>
			route.fulfill({ status: 404, body: '' })
		);
		// An indicator computed from the commune table (the first screen's estimate is not).
		await test.page.goto(`${baseUrl()}/?indicateur=fibre-ftth`);
		const alert = test.page.getByTestId('load-error');
		await alert.waitFor({ state: 'visible' });
		const text = await alert.innerText();
		expect(text).toContain('Impossible de télécharger');
		expect(text).toContain('communes.json');
		expect(text).toContain('erreur HTTP 404');
		// The page still works: header, controls and the map canvas are there.
		await expect(test.page.getByLabel('Indicateur', { exact: true }).isEnabled()).resolves.toBe(
			true
		);
		await test.page.waitForFunction(() =>
			Boolean((window as unknown as { __map?: unknown }).__map)
		);
		await closeAndCheckPage(test);
	});

	// The checks below start from the bare first screen. On each screen size they follow one
	// another in one page, loaded once, as a user would go on (booting the map is most of a test's
	// time); each leaves a state the next one's waits cannot mistake for its own (the postcode
	// search comes before the search by name, which would already have selected Guéret). Each
	// fails on a page error seen so far; the last ones are checked when the page closes.
	describe('on a desktop, one load of the first screen', () => {
		const shared = openFirstScreen(DESKTOP);

		it('answers at once on a desktop: need painted, places on, headline in view, priorities of the view', async () => {
			await answersAtOnce(shared.test, 'desktop', DESKTOP);
			expectNoPageErrorSoFar(shared.test);
		});

		it('finds communes by postcode: every commune of 23000, the postcode shown, Guéret reached; 99999 answered in French', async () => {
			const { page } = shared;

			await waitForMapReady(page);
			// The postcode table is not part of the first screen: fetched once a postcode is typed.
			expect(await countFetches(page, 'codes-postaux.json')).toBe(0);
			const search = page.getByRole('combobox').first();
			await search.fill('23000');
			const options = page
				.getByRole('listbox', { name: 'Territoires trouvés' })
				.getByRole('option');
			await options.filter({ hasText: 'Guéret — 23000' }).waitFor({ state: 'visible' });
			expect(await countFetches(page, 'codes-postaux.json')).toBe(1);
			// The search asked for the commune table: fetched once, by the analysis worker only (the
			// main thread gets it decoded, issue 14).
			expect(countRequests(shared.test, 'communes.json')).toBe(1);
			expect(await countFetches(page, 'communes.json')).toBe(0);
			const texts = (await options.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
			// The 15 communes of the postcode, Guéret (the most populated) first, each labelled.
			expect(texts).toHaveLength(15);
			expect(texts[0]).toMatch(/^Guéret — 23000 Commune · code postal 23000 · Creuse \(23\)/);
			expect(texts.every((t) => t.includes('code postal 23000'))).toBe(true);
			expect(texts.some((t) => t.startsWith('Sainte-Feyre — 23000'))).toBe(true);
			await search.press('Enter');
			await page.waitForFunction(
				() =>
					document.querySelector('[data-testid="territory-details"] h2')?.textContent === 'Guéret'
			);
			await page.waitForURL((url) => url.searchParams.get('territoire') === 'commune-23096');
			await waitForMapReady(page);

			// A postcode no commune has: the French sentence, and the selection is kept.
			await search.fill('99999');
			await page
				.getByText('Aucune commune n’a le code postal 99999.')
				.waitFor({ state: 'visible' });
			expect(await options.count()).toBe(0);
			expect(new URL(page.url()).searchParams.get('territoire')).toBe('commune-23096');

			// A Corsican postcode (20xxx) leads to a 2A commune, picked with the mouse.
			await search.fill('20000');
			const ajaccio = options.filter({ hasText: 'Ajaccio — 20000' });
			await ajaccio.waitFor({ state: 'visible' });
			await ajaccio.click();
			await page.waitForURL((url) => url.searchParams.get('territoire') === 'commune-2A004');
			await page.waitForFunction(
				() =>
					document.querySelector('[data-testid="territory-details"] h2')?.textContent === 'Ajaccio'
			);
			await waitForMapReady(page);
			expect(await countFetches(page, 'codes-postaux.json')).toBe(1);
			expectNoPageErrorSoFar(shared.test);
		});

		it('brings a searched territory into view on a desktop: framed on the map, key figures at the top of the panel beside its EPCI and département', async () => {
			await bringsSearchedTerritoryIntoView(shared.page, 'desktop');
			expectNoPageErrorSoFar(shared.test);
		});

		it('reaches the five DROM with the quick buttons', async () => {
			const { page } = shared;
			await waitForMapReady(page);
			for (const [label, code] of [
				['Guadeloupe', '971'],
				['Martinique', '972'],
				['Guyane', '973'],
				['La Réunion', '974'],
				['Mayotte', '976']
			] as const) {
				await page.getByRole('button', { name: label, exact: true }).click();
				await waitForMapReady(page);
				await expect(
					page.evaluate(
						(c) =>
							(window as unknown as { __map: import('maplibre-gl').Map }).__map
								.queryRenderedFeatures({
									// The commune layer exists once its geometry has arrived.
									layers: ['choropleth-departement', 'choropleth-commune'].filter((id) =>
										(window as unknown as { __map: import('maplibre-gl').Map }).__map.getLayer(id)
									)
								})
								.some((f) => String(f.properties.code).startsWith(c)),
						code
					)
				).resolves.toBe(true);
			}
			await page.getByRole('button', { name: 'France métropolitaine' }).click();
			await waitForMapReady(page);
			expect((await readCamera(page)).zoom).toBeLessThan(7);
			expectNoPageErrorSoFar(shared.test);
		});
	});

	describe('on a phone, one load of the first screen', () => {
		const shared = openFirstScreen(PHONE);

		it('answers at once on a phone: need painted, places on, headline in view, priorities of the view', async () => {
			await answersAtOnce(shared.test, 'phone', PHONE);
			expectNoPageErrorSoFar(shared.test);
		});

		it('brings a searched territory into view on a phone: framed on the map, key figures at the top of the panel beside its EPCI and département', async () => {
			await bringsSearchedTerritoryIntoView(shared.page, 'phone');
			expectNoPageErrorSoFar(shared.test);
		});

		it('is usable on a narrow screen', async () => {
			const { page } = shared;
			await waitForMapReady(page);
			const mapBox = await page.getByRole('region', { name: /Carte de France/ }).boundingBox();
			expect(mapBox!.width).toBeGreaterThan(350);
			expect(mapBox!.height).toBeGreaterThan(300);
			await page.getByTestId('legend').scrollIntoViewIfNeeded();
			await expect(page.getByTestId('legend').isVisible()).resolves.toBe(true);
			await page.screenshot({
				path: new URL('first-screen-narrow.png', ARTIFACTS).pathname,
				fullPage: true
			});
			expectNoPageErrorSoFar(shared.test);
		});
	});
});
