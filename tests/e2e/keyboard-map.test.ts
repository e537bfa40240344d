/**
 * Issue 15 (phone and accessibility): a territory can be selected on the map with the keyboard
 * alone. A few Tab presses reach the « Aller à la carte » skip link, Entrée on it gives the map
 * the keyboard, Entrée again selects the territory under the centre of the map, as a click there
 * would: the URL names it and its figures appear. No page error.
 */
import { describe, expect, it } from 'vitest';
import { baseUrl, closeAndCheckPage, openPage, useBrowser } from './browser';
import { waitForChoropleth, waitForMapReady } from './map-queries';

const suite = useBrowser({ metrics: 'keyboard-map' });
const { metrics } = suite;

/**
 * Key presses allowed from the top of the page to the map: the layout's « Aller au contenu »,
 * the header's three links, then « Aller à la carte » (there were 43 Tab presses without it).
 */
const MAX_KEY_PRESSES = 8;

describe('keyboard selection on the map', () => {
	it('reaches the map through its skip link and selects the Creuse under its centre with Entrée', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		// Centred on the Creuse (its centre is near 2.02° E, 46.09° N), at the département level.
		await page.goto(`${baseUrl()}/?niveau=departement&vue=2.02,46.09,7`);
		await waitForChoropleth(page, 'departement');

		// Tab until the « Aller à la carte » skip link, Entrée on it: the map canvas has the keyboard.
		let presses = 0;
		const focused = () =>
			page.evaluate(() => {
				const active = document.activeElement;
				if (active?.classList.contains('maplibregl-canvas')) return 'carte';
				return active?.textContent?.trim() === 'Aller à la carte' ? 'lien' : 'autre';
			});
		for (let where = await focused(); where !== 'carte'; where = await focused()) {
			expect(presses).toBeLessThan(MAX_KEY_PRESSES);
			await page.keyboard.press(where === 'lien' ? 'Enter' : 'Tab');
			presses++;
		}
		metrics.keyPressesToMap = presses;
		await page.keyboard.press('Enter');
		// The selection is page state the app writes to the URL (debounced), then shows.
		await page.waitForFunction(
			() => new URL(location.href).searchParams.get('territoire') === 'departement-23',
			undefined,
			{ timeout: 10_000 }
		);
		// Its figures need the commune table (fetched by the analysis worker once a territory is
		// chosen); the map is `loading` until it is there.
		await waitForMapReady(page);
		await expect(page.getByTestId('territory-details').innerText()).resolves.toContain('Creuse');
		await closeAndCheckPage(test);
	});
});
