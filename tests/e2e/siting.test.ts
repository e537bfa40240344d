/**
 * Issue 6, "done when": a simulation for a real département (Somme, 5 posts) shows its progress
 * bar, numbered markers and before/after figures; a post added by clicking the map (at the Somme
 * commune farthest from any mediation place) changes the figures; the scenario is in the URL; a
 * click in "Retirer un lieu" mode takes the site out again. No page error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import { ARTIFACTS, baseUrl, closeAndCheckPage, openPage, useBrowser } from './browser';
import { projectToPage, queryRendered, waitForChoropleth, waitForMapReady } from './map-queries';

const DATA = new URL('../../static/data/', import.meta.url);

const suite = useBrowser({ metrics: 'siting' });
const { metrics } = suite;

/** Great-circle distance, km (mean Earth radius 6371 km). */
function haversineKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
	const rad = Math.PI / 180;
	const a =
		Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
		Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
	return 2 * 6371 * Math.asin(Math.sqrt(a));
}

/** The Somme commune whose centre is farthest from every mediation place and from `sites` (real artifacts). */
function farthestSommeCommune(sites: string[]): {
	code: string;
	nom: string;
	lon: number;
	lat: number;
	km: number;
} {
	const communes = decodeCommuneTable(
		JSON.parse(readFileSync(new URL('communes.json', DATA), 'utf8'))
	);
	const mediators = JSON.parse(readFileSync(new URL('mediateurs.geojson', DATA), 'utf8')) as {
		features: { geometry: { coordinates: [number, number] } }[];
	};
	const byCode = new Map(communes.map((c) => [c.code, c]));
	const points = [
		...mediators.features.map((f) => f.geometry.coordinates),
		...sites.map((code) => [byCode.get(code)!.lon!, byCode.get(code)!.lat!] as [number, number])
	].filter(([lon, lat]) => lon > 0.5 && lon < 4.5 && lat > 48.8 && lat < 51);
	let best = { code: '', nom: '', lon: 0, lat: 0, km: -1 };
	for (const c of communes) {
		if (c.dep !== '80' || c.lon === null || c.lat === null) continue;
		let nearest = Infinity;
		for (const [lon, lat] of points)
			nearest = Math.min(nearest, haversineKm(c.lon, c.lat, lon, lat));
		if (nearest > best.km) best = { code: c.code, nom: c.nom, lon: c.lon, lat: c.lat, km: nearest };
	}
	return best;
}

/** The "Après" column of the figures table, by figure key. */
function readAfter(page: Page): Promise<Record<string, string>> {
	return page.evaluate(() => {
		const out: Record<string, string> = {};
		for (const row of document.querySelectorAll('[data-testid="siting-figures"] tbody tr')) {
			const key = row.getAttribute('data-figure')!;
			out[key] = row.querySelectorAll('td')[1]?.textContent?.trim() ?? '';
		}
		return out;
	});
}

describe('simulation tab', () => {
	it('runs a simulation for the Somme, shows progress, markers and figures, then follows hand edits', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?onglet=simulation`);
		await waitForChoropleth(page, 'departement');

		const panel = page.getByTestId('siting-panel');
		await expect(
			panel.getByRole('heading', { name: 'Simuler un déploiement' }).isVisible()
		).resolves.toBe(true);
		await panel.getByLabel('Niveau').selectOption('departement');
		await panel.getByLabel('Département', { exact: true }).selectOption('80');
		await panel.getByLabel('Nombre de nouveaux postes').fill('5');

		const started = Date.now();
		await panel.getByRole('button', { name: 'Lancer la simulation' }).click();
		// The progress bar is there while the worker loads the data and computes.
		await page.getByRole('progressbar').waitFor({ state: 'visible', timeout: 10_000 });
		await page.getByTestId('siting-figures').waitFor({ state: 'visible', timeout: 90_000 });
		metrics.firstRunMs = Date.now() - started;
		await expect(page.getByRole('progressbar').count()).resolves.toBe(0);

		// Five numbered markers on the map, five sites in the list, five points in the map source.
		await expect(page.getByTestId('siting-marker').count()).resolves.toBe(5);
		await expect(page.getByTestId('siting-marker').allTextContents()).resolves.toEqual([
			'1',
			'2',
			'3',
			'4',
			'5'
		]);
		await expect(page.getByTestId('siting-sites').getByRole('listitem').count()).resolves.toBe(5);
		const rendered = await page.evaluate(() => {
			const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
			return map.getLayoutProperty('siting-sites', 'visibility');
		});
		expect(rendered).toBe('visible');

		const figures = page.getByTestId('siting-figures');
		const text = (await figures.innerText()).replace(/\s+/g, ' ');
		expect(text).toContain('Part des personnes éloignées à moins de 10 km d’un lieu');
		expect(text).toMatch(/\d+,\d %/);
		expect(text).toContain('Distance moyenne au lieu le plus proche');
		expect(text).toContain('Communes à plus de 10 km de tout lieu');
		const before = await readAfter(page);
		metrics.after5 = before;

		// The scenario is in the URL (shared link), with its 5 proposed communes.
		// The URL is written 250 ms after the state stops changing (the camera's last frame
		// included): on a busy 2-core machine that can take seconds, so the bound is generous.
		await page.waitForFunction(
			() => new URL(location.href).searchParams.has('proposes'),
			undefined,
			{ timeout: 60_000 }
		);
		const url = new URL(page.url());
		expect(url.searchParams.get('simulation')).toBe('departement-80');
		expect(url.searchParams.get('postes')).toBe('5');
		const proposed = url.searchParams.get('proposes')!.split(',');
		expect(proposed).toHaveLength(5);
		expect(proposed.every((code) => code.startsWith('80'))).toBe(true);
		const report = await panel
			.getByRole('link', { name: 'Voir la fiche du territoire avec ce scénario' })
			.getAttribute('href');
		expect(report).toMatch(
			/^\/territoire\/departement\/80\?simulation=departement-80&postes=5&objectif=capacite&proposes=/
		);

		// Add a post by clicking the commune farthest from any place.
		const far = farthestSommeCommune(proposed);
		metrics.addedCommune = far;
		expect(far.km).toBeGreaterThan(5);
		await panel.getByLabel('Ajouter un poste').check();
		await page.evaluate(
			([lon, lat]) => {
				const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
				map.jumpTo({ center: [lon, lat], zoom: 9 });
			},
			[far.lon, far.lat] as const
		);
		await waitForMapReady(page);
		const point = await projectToPage(page, far.lon, far.lat);
		const evaluateStarted = Date.now();
		await page.mouse.click(point.x, point.y);
		await expect(page.getByTestId('siting-last-action').innerText()).resolves.toContain(
			'Poste ajouté'
		);
		await page.waitForFunction(
			() => document.querySelectorAll('[data-testid="siting-sites"] li').length === 6,
			undefined,
			{ timeout: 60_000 }
		);
		metrics.whatIfMs = Date.now() - evaluateStarted;
		const after = await readAfter(page);
		metrics.afterAdd = after;
		expect(after).not.toEqual(before);
		// One more place in the territory; the mean distance cannot grow with a new post.
		expect(after.lieux).not.toBe(before.lieux);
		await expect(page.getByTestId('siting-sites').innerText()).resolves.toContain(
			'ajouté à la main'
		);
		await page.waitForFunction(() => new URL(location.href).searchParams.has('ajouts'), undefined, {
			timeout: 60_000
		});
		const added = new URL(page.url()).searchParams.get('ajouts');
		expect(added).toBe(far.code);
		await expect(page.getByTestId('siting-marker').count()).resolves.toBe(6);
		await page.screenshot({ path: new URL('siting.png', ARTIFACTS).pathname });
		await page.getByTestId('siting-result').screenshot({
			path: new URL('siting-result.png', ARTIFACTS).pathname
		});

		// Remove it again by clicking it in « Retirer un lieu » mode.
		await panel.getByLabel('Retirer un lieu').check();
		await waitForMapReady(page);
		const site = await projectToPage(page, far.lon, far.lat);
		await page.mouse.click(site.x, site.y);
		await page.waitForFunction(
			() => document.querySelectorAll('[data-testid="siting-sites"] li').length === 5,
			undefined,
			{ timeout: 60_000 }
		);
		await expect(readAfter(page)).resolves.toEqual(before);

		await closeAndCheckPage(test);
	});

	it('cancels a run when an input changes and runs again with the new value', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?onglet=simulation`);
		await waitForChoropleth(page, 'departement');
		const panel = page.getByTestId('siting-panel');
		await panel.getByLabel('Niveau').selectOption('region');
		await panel.getByLabel('Région', { exact: true }).selectOption('32');
		await panel.getByLabel('Nombre de nouveaux postes').fill('30');
		await panel.getByRole('button', { name: 'Lancer la simulation' }).click();
		await page.getByRole('progressbar').waitFor({ state: 'visible', timeout: 10_000 });
		await expect(panel.getByRole('button', { name: 'Annuler' }).isVisible()).resolves.toBe(true);
		// A new input while the worker loads or computes: the run starts again with 12 posts.
		await panel.getByLabel('Nombre de nouveaux postes').fill('12');
		await page.getByTestId('siting-figures').waitFor({ state: 'visible', timeout: 90_000 });
		await page.waitForFunction(
			() => new URL(location.href).searchParams.has('proposes'),
			undefined,
			{
				timeout: 60_000
			}
		);
		const url = new URL(page.url());
		expect(url.searchParams.get('simulation')).toBe('region-32');
		expect(url.searchParams.get('postes')).toBe('12');
		const sites = await page.getByTestId('siting-sites').getByRole('listitem').count();
		expect(sites).toBeGreaterThan(0);
		expect(sites).toBeLessThanOrEqual(12);
		await expect(page.getByTestId('siting-result').innerText()).resolves.toContain(
			'Hauts-de-France'
		);
		await page.screenshot({ path: new URL('siting-region.png', ARTIFACTS).pathname });
		await closeAndCheckPage(test);
	});

	it('says so when there is nothing useful to propose (Métropole européenne de Lille)', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?onglet=simulation`);
		await waitForChoropleth(page, 'departement');
		const panel = page.getByTestId('siting-panel');
		await panel.getByLabel('Niveau').selectOption('epci');
		await panel.getByLabel('Intercommunalité (EPCI)', { exact: true }).selectOption('200093201');
		await panel.getByLabel('Nombre de nouveaux postes').fill('5');
		// Coverage saturates there; the capacity objective (the default) always has posts to place.
		await panel.getByLabel('Couvrir le plus de personnes éloignées').check();
		await panel.getByRole('button', { name: 'Lancer la simulation' }).click();
		await page.getByTestId('siting-figures').waitFor({ state: 'visible', timeout: 90_000 });
		await expect(page.getByTestId('siting-message').innerText()).resolves.toMatch(
			/^Rien d’utile à proposer/
		);
		await expect(page.getByTestId('siting-sites').count()).resolves.toBe(0);
		await expect(page.getByTestId('siting-marker').count()).resolves.toBe(0);
		const part = await page
			.locator('[data-testid="siting-figures"] tr[data-figure="part"] td')
			.allTextContents();
		expect(part.slice(0, 2).map((t) => t.replace(/\s/g, ' '))).toEqual(['100,0 %', '100,0 %']);
		await closeAndCheckPage(test);
	});

	it('reproduces a shared scenario link', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(
			`${baseUrl()}/?onglet=simulation&simulation=departement-80&postes=5&proposes=80021,80001`
		);
		await page.getByTestId('siting-figures').waitFor({ state: 'visible', timeout: 90_000 });
		await expect(page.getByTestId('siting-sites').getByRole('listitem').count()).resolves.toBe(2);
		await expect(page.getByTestId('siting-sites').innerText()).resolves.toMatch(
			/Amiens[\s\S]*Abbeville/
		);
		await expect(page.getByTestId('siting-marker').count()).resolves.toBe(2);
		await expect(page.getByLabel('Nombre de nouveaux postes').inputValue()).resolves.toBe('5');
		await closeAndCheckPage(test);
	});

	it('follows a corrected number of conseillers at an existing place (issue 11)', async () => {
		// A real Somme place with no other place within 2 km, so a click on it picks it.
		const mediators = JSON.parse(readFileSync(new URL('mediateurs.geojson', DATA), 'utf8')) as {
			features: {
				properties: { id: string; nom: string; commune: string | null };
				geometry: { coordinates: [number, number] };
			}[];
		};
		const all = mediators.features;
		const place = all.find(
			(f) =>
				f.properties.commune?.startsWith('80') &&
				all.every(
					(g) => g === f || haversineKm(...f.geometry.coordinates, ...g.geometry.coordinates) > 2
				)
		)!;
		expect(place).toBeDefined();
		const [lon, lat] = place.geometry.coordinates;

		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(
			`${baseUrl()}/?onglet=simulation&simulation=departement-80&postes=2&objectif=capacite&proposes=80021,80001`
		);
		await page.getByTestId('siting-figures').waitFor({ state: 'visible', timeout: 90_000 });
		const before = await readAfter(page);
		const panel = page.getByTestId('siting-panel');
		await panel.getByLabel('Corriger les conseillers d’un lieu').check();
		await page.evaluate(
			([lon, lat]) => {
				const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
				map.jumpTo({ center: [lon, lat], zoom: 9 });
			},
			[lon, lat] as const
		);
		await page.waitForFunction(
			() => (window as unknown as { __map: import('maplibre-gl').Map }).__map.loaded(),
			undefined,
			{ timeout: 20_000 }
		);
		const point = await projectToPage(page, lon, lat);
		await page.mouse.click(point.x, point.y);
		const form = page.getByTestId('siting-capacity-form');
		await form.waitFor({ state: 'visible', timeout: 10_000 });
		await form.getByRole('spinbutton').fill('10');
		await form.getByRole('button', { name: 'Appliquer' }).click();
		await page.getByTestId('siting-corrected').waitFor({ state: 'visible', timeout: 60_000 });
		await expect(page.getByTestId('siting-corrected').innerText()).resolves.toContain(
			place.properties.nom
		);
		await page.waitForFunction(
			() => new URL(location.href).searchParams.has('conseillers'),
			undefined,
			{ timeout: 60_000 }
		);
		expect(new URL(page.url()).searchParams.get('conseillers')).toBe(`${place.properties.id}:10`);
		const after = await readAfter(page);
		expect(after.accessibilite).not.toBe(before.accessibilite);
		await closeAndCheckPage(test);
	});

	it('reads on a map of need: opening the tab switches fibre to the need estimate, a shared link keeps its indicator', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?indicateur=fibre-ftth`);
		await waitForChoropleth(page, 'departement');
		// Paris has no fibre figure (no FttH row in the ARCEP file) but has a need estimate: it tells
		// the two maps apart.
		const paris = async () =>
			(await queryRendered(page, 'departement')).find((t) => t.code === '75')?.value;
		expect(typeof (await paris())).not.toBe('number');
		await page.getByRole('tab', { name: 'Simulation' }).click();
		await page.waitForFunction(
			() => new URL(location.href).searchParams.get('onglet') === 'simulation',
			undefined,
			{ timeout: 10_000 }
		);
		const url = new URL(page.url());
		expect(url.searchParams.get('indicateur') ?? 'eloignes-part').toBe('eloignes-part');
		await expect(page.getByTestId('notices').innerText()).resolves.toContain(
			'Fond de carte de la simulation'
		);
		// The URL has followed the switch; the map says when the need values are drawn.
		await waitForChoropleth(page, 'departement');
		expect(typeof (await paris())).toBe('number');
		const drawn = await queryRendered(page, 'departement');
		expect(drawn.filter((t) => typeof t.value === 'number').length).toBeGreaterThan(50);
		await closeAndCheckPage(test);

		// A link that names both keeps what it names.
		const shared = await openPage(suite.browser);
		await shared.page.goto(`${baseUrl()}/?indicateur=fibre-ftth&onglet=simulation`);
		await waitForChoropleth(shared.page, 'departement');
		expect(new URL(shared.page.url()).searchParams.get('indicateur')).toBe('fibre-ftth');
		await expect(
			shared.page.getByText('Fond de carte de la simulation', { exact: false }).count()
		).resolves.toBe(0);
		await closeAndCheckPage(shared);
	});
});
