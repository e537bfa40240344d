/**
 * Issue 6, "the ranking and accessibility are updated with the proposed sites": after a Somme
 * simulation (5 posts), the « Classement » tab says it ranks with the scenario, a proposed commune
 * scores lower (less in need) than in the real situation, and the checkbox switches back. Issue 15:
 * the ranking marks where the posts fall, and a ranked territory opens the simulation on itself.
 * No page error.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, baseUrl, openPage, useBrowser } from './browser';
import { waitForChoropleth, waitForMapReady } from './map-queries';

const suite = useBrowser();

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

/** The score a commune is coloured by on the map (feature state), or undefined. */
function mapValue(page: Page, code: string): Promise<number | undefined> {
	return page.evaluate((id) => {
		const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
		return map.getFeatureState({ source: 'territories-commune', id }).value as number | undefined;
	}, code);
}

describe('ranking with a deployment scenario', () => {
	it('ranks with the simulated posts, says so, and switches back to the real situation', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?onglet=simulation`);
		await waitForChoropleth(page, 'departement');
		const siting = page.getByTestId('siting-panel');
		await siting.getByLabel('Niveau').selectOption('departement');
		await siting.getByLabel('Département', { exact: true }).selectOption('80');
		await siting.getByLabel('Nombre de nouveaux postes').fill('5');
		await siting.getByRole('button', { name: 'Lancer la simulation' }).click();
		await page.getByTestId('siting-figures').waitFor({ state: 'visible', timeout: 90_000 });
		await page.waitForFunction(() => new URL(location.href).searchParams.has('proposes'));
		const proposed = new URL(page.url()).searchParams.get('proposes')!.split(',');
		expect(proposed).toHaveLength(5);

		await page.getByRole('tab', { name: 'Classement' }).click();
		const panel = page.getByTestId('ranking-panel');
		await panel.getByLabel('Niveau').selectOption('commune');
		await panel
			.locator('.filters label', { hasText: /^\s*Département/ })
			.locator('select')
			.selectOption('80');
		await waitForTable(page);
		const note = page.getByTestId('ranking-scenario-note');
		await page.waitForFunction(
			() =>
				document
					.querySelector('[data-testid="ranking-scenario-note"]')
					?.textContent?.includes('Classement avec le scénario'),
			undefined,
			{ timeout: 60_000 }
		);
		await expect(note.innerText()).resolves.toContain(
			'Classement avec le scénario de déploiement : 5 postes ajoutés, 0 lieu retiré'
		);
		const toggle = page.getByTestId('ranking-scenario').getByRole('checkbox');
		await expect(toggle.isChecked()).resolves.toBe(true);
		await waitForChoropleth(page, 'commune', 90_000);
		const site = proposed[0];
		const withScenario = (await mapValue(page, site))!;
		expect(typeof withScenario).toBe('number');
		await page.getByTestId('ranking-scenario').screenshot({
			path: new URL('ranking-scenario.png', ARTIFACTS).pathname
		});
		await page.screenshot({ path: new URL('ranking-scenario-page.png', ARTIFACTS).pathname });

		// Back to the real situation: the proposed commune is more in need there.
		await toggle.uncheck();
		await expect(note.innerText()).resolves.toContain('situation actuelle');
		await waitForTable(page);
		await waitForMapReady(page, 90_000);
		const withoutScenario = (await mapValue(page, site))!;
		expect(withoutScenario).toBeGreaterThan(withScenario);

		// Where the simulation's posts fall (issue 15, « one story »): said, and marked on their rows.
		await expect(page.getByTestId('ranking-simulated-note').innerText()).resolves.toMatch(
			/^Les 5 postes de la simulation tombent dans [1-5] communes? \(lignes marquées « \+ postes simulés »\)\.$/
		);
		await panel.getByLabel('Niveau').selectOption('departement');
		await panel
			.locator('.filters label', { hasText: /^\s*Région/ })
			.locator('select')
			.selectOption('32');
		const somme = page.locator('[data-testid="ranking-row"][data-code="80"]');
		await somme.waitFor();
		await waitForTable(page);
		await expect(somme.getByTestId('ranking-simulated').innerText()).resolves.toBe(
			'+5 postes simulés'
		);
		expect(
			await page.locator('[data-testid="ranking-row"]:not([data-code="80"]) .simulated').count()
		).toBe(0);
		// …and a ranked territory opens the simulation on itself, the user choosing N.
		await somme.click();
		await page.getByTestId('ranking-simulate').click();
		await page.waitForURL((url) => url.searchParams.get('onglet') === 'simulation');
		await expect(siting.getByLabel('Département', { exact: true }).inputValue()).resolves.toBe(
			'80'
		);
		await expect(siting.innerText()).resolves.toContain(
			'Territoire repris du classement : Somme. Choisissez le nombre de postes, puis lancez la simulation.'
		);

		const { errors, blocked } = test;
		await test.close();
		expect(errors).toEqual([]);
		expect(blocked).toEqual([]);
	}, 240_000);
});
