/**
 * Issue 12 in the browser: drop a file of places, read the report, import, see the places with
 * their own ring and « données importées », undo; bad files get a French message and change
 * nothing; a saved scenario opens by its short link, duplicates, and brings its places back.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { baseUrl, closeAndCheckPage, openPage, useBrowser } from './browser';
import { waitForChoropleth, waitForMapReady } from './map-queries';

type WithMap = Window & { __map: MapLibreMap };

const EXAMPLE = readFileSync(
	new URL('../fixtures/places-import/exemple-valide.csv', import.meta.url)
);
// A real Aidants Connect structure of Saint-Vaury (Creuse) the national layer lacks (see README).
const CREUSE = readFileSync(
	new URL('../fixtures/places-import/creuse-aidants-connect.csv', import.meta.url)
);
// Real places of the Nord–Pas-de-Calais 2023 compilation (Les Assembleurs), as a plain CSV.
const LILLE_CSV = [
	'nom;latitude;longitude;code_insee;type',
	'"<img src=x onerror=""window.__pwned=1"">PARKOUR 59";50,690383;3,192008;59512;',
	'Lieu sans coordonnées;;;59350;France Services'
].join('\r\n');

const suite = useBrowser();

async function waitForImportState(page: Page, state: string): Promise<void> {
	await page.waitForSelector(`[data-testid="places-import"][data-state="${state}"]`, {
		timeout: 60_000
	});
}

async function pick(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
	await page.getByTestId('places-import-file').setInputFiles({ name, mimeType, buffer });
}

/** Imported rings drawn on the map, after its last repaint. */
async function renderedRings(page: Page): Promise<number> {
	return page.evaluate(
		() =>
			new Promise<number>((resolve) => {
				const map = (window as unknown as WithMap).__map;
				const count = () =>
					map.getLayer('mediators-imported-ring')
						? map.queryRenderedFeatures({ layers: ['mediators-imported-ring'] }).length
						: 0;
				map.once('idle', () => resolve(count()));
				map.triggerRepaint();
			})
	);
}

describe('import of places', () => {
	it('shows the report, imports with a ring and « données importées », and undoes in one click', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		// Zoomed in beyond the clusters (they stop at 12) on the Roubaix place.
		await page.goto(`${baseUrl()}/?vue=3.192,50.69,13`);
		await waitForImportState(page, 'idle');

		await pick(page, 'lieux.csv', 'text/csv', Buffer.from(LILLE_CSV, 'utf8'));
		await waitForImportState(page, 'report');
		const summary = page.getByTestId('places-import-summary');
		expect(await summary.textContent()).toMatch(/2\s+lignes lues\s*:\s*2 acceptés,\s*0 rejetés/u);
		// HTML in a name is shown as text, never markup.
		const report = page.getByTestId('places-import-report');
		expect(await report.locator('img').count()).toBe(0);
		expect(await report.textContent()).toContain(
			'<img src=x onerror="window.__pwned=1">PARKOUR 59'
		);
		// Nothing changed before « Importer ».
		expect(await page.getByTestId('places-import-count').count()).toBe(0);

		await page.getByTestId('places-import-confirm').click();
		await page.getByTestId('places-import-count').waitFor();
		expect(await page.getByTestId('places-import-count').textContent()).toMatch(
			/Lieux importés \(2\)/
		);
		await page.waitForFunction(
			() => (window as unknown as WithMap).__map.getLayer('mediators-imported-ring') !== undefined,
			undefined,
			{ timeout: 60_000 }
		);
		expect(await renderedRings(page)).toBeGreaterThan(0);
		expect(await page.getByTestId('mediator-attribution').textContent()).toContain(
			'données importées'
		);
		expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

		await page.getByTestId('places-import-undo').click();
		await page.getByTestId('places-import-count').waitFor({ state: 'detached' });
		expect(await renderedRings(page)).toBe(0);
		await closeAndCheckPage(test);
	});

	it('refuses a binary file and a file without required columns, changing nothing', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/`);
		await waitForImportState(page, 'idle');
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
		await pick(page, 'photo.csv', 'text/csv', png);
		const error = page.getByTestId('places-import-error');
		await error.waitFor();
		expect(await error.textContent()).toMatch(/n’est pas un fichier texte : c’est une image PNG/);
		const noPivot = EXAMPLE.toString('utf8').replace('"pivot",', '"pivot_absent",');
		await pick(page, 'standard.csv', 'text/csv', Buffer.from(noPivot, 'utf8'));
		await page.waitForFunction(
			() =>
				document
					.querySelector('[data-testid="places-import-error"]')
					?.textContent?.includes('pivot'),
			undefined,
			{ timeout: 60_000 }
		);
		expect(await page.getByTestId('places-import-count').count()).toBe(0);
		await closeAndCheckPage(test);
	});
});

/** Import the real Saint-Vaury Aidants Connect file and confirm its report. */
async function importCreuse(page: Page): Promise<void> {
	await pick(page, 'creuse-aidants-connect.csv', 'text/csv', CREUSE);
	await waitForImportState(page, 'report');
	await page.getByTestId('places-import-confirm').click();
	await page.getByTestId('places-import-count').waitFor();
}

/** Open the Classement tab and wait until its status note says it counts the imported places. */
async function openImportedRanking(page: Page): Promise<void> {
	await page.getByRole('tab', { name: 'Classement' }).click();
	await page.waitForFunction(
		() =>
			document
				.querySelector('[data-testid="ranking-scenario-note"]')
				?.textContent?.includes('Classement avec vos lieux importés'),
		undefined,
		{ timeout: 120_000, polling: 200 }
	);
}

async function waitForRanking(page: Page): Promise<void> {
	await page.waitForFunction(
		() =>
			document.querySelectorAll('[data-testid="ranking-row"]').length > 0 &&
			!document.querySelector('[data-testid="ranking-summary"]')?.textContent?.includes('calcul'),
		undefined,
		{ timeout: 120_000, polling: 200 }
	);
}

/** The ranking score a commune is coloured by on the map (feature state). */
function rankingScore(page: Page, code: string): Promise<number | undefined> {
	return page.evaluate((id) => {
		const map = (window as unknown as WithMap).__map;
		return map.getFeatureState({ source: 'territories-commune', id }).value as number | undefined;
	}, code);
}

describe('imported places in the analysis', () => {
	it('change the ranking of the commune they serve, say « données importées », and undo restores it', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/?classement_niveau=commune&filtre_departement=23`);
		await waitForImportState(page, 'idle');

		// The national ranking of the Creuse communes first.
		await page.getByRole('tab', { name: 'Classement' }).click();
		await waitForRanking(page);
		await waitForChoropleth(page, 'commune', 120_000);
		const national = await rankingScore(page, '23247');
		expect(typeof national).toBe('number');
		expect(await page.getByTestId('ranking-scenario').count()).toBe(0);

		await page.getByRole('tab', { name: 'Carte' }).click();
		await importCreuse(page);
		expect(await page.getByTestId('places-import-counting').innerText()).toMatch(
			/Aidants\s+Connect et autre lieu 0,5/
		);

		await openImportedRanking(page);
		expect(await page.getByTestId('ranking-scenario-note').innerText()).toContain(
			'Classement avec vos lieux importés : 1 lieu importé (données importées)'
		);
		expect(await page.getByTestId('ranking-imported-source').innerText()).toMatch(
			/ANCT.*données importées/
		);
		await waitForRanking(page);
		await waitForMapReady(page, 120_000);
		// Saint-Vaury gains an Aidants Connect structure: better served, less of a priority.
		const withImport = (await rankingScore(page, '23247'))!;
		expect(withImport).toBeLessThan(national!);

		await page.getByRole('tab', { name: 'Carte' }).click();
		await page.getByTestId('places-import-undo').click();
		await page.getByTestId('places-import-count').waitFor({ state: 'detached' });
		await page.getByRole('tab', { name: 'Classement' }).click();
		await waitForRanking(page);
		expect(await page.getByTestId('ranking-scenario').count()).toBe(0);
		await waitForMapReady(page, 120_000);
		expect(await rankingScore(page, '23247')).toBe(national);
		await closeAndCheckPage(test);
	}, 420_000);

	it('show the territory’s accessibility « avec les lieux importés » and download the ranking the table shows', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(
			`${baseUrl()}/?territoire=commune-23247&classement_niveau=commune&filtre_departement=23`
		);
		await waitForImportState(page, 'idle');
		expect(await page.getByTestId('details-imported-access').count()).toBe(0);
		await importCreuse(page);

		// The details panel of Saint-Vaury: its accessibility counted with the imported place.
		await page.waitForSelector('[data-testid="details-imported-access"][data-state="ready"]', {
			timeout: 120_000
		});
		const panel = page.getByTestId('details-imported-access');
		expect(await panel.innerText()).toContain('Accessibilité (E2SFCA) avec les lieux importés');
		expect(await panel.innerText()).toContain('1 lieu importé (données importées)');
		expect(await panel.innerText()).toMatch(/Source : ANCT.*données importées/);
		const shown = await page.getByTestId('details-imported-access-value').innerText();
		expect(shown).toMatch(/^\d+,\d équivalents conseiller pour 10 000 personnes éloignées$/);

		// The ranking tab's CSV is written in the browser from the table with the imported place.
		await openImportedRanking(page);
		await waitForRanking(page);
		await page.getByTestId('ranking-export-scenario-note').waitFor();
		const downloadText = async (testId: string) => {
			const [download] = await Promise.all([
				page.waitForEvent('download', { timeout: 120_000 }),
				page.getByTestId(testId).click()
			]);
			return {
				name: download.suggestedFilename(),
				text: readFileSync((await download.path())!, 'utf8')
			};
		};
		const csv = await downloadText('ranking-export-csv-comma');
		expect(csv.name).toBe('classement-commune-departement-23-equilibre-avec-lieux-importes.csv');
		const rows = csv.text.split('\r\n');
		const header = rows[0].split(',');
		const column = header.indexOf('acces_equivalents_conseiller_pour_10000');
		const accessOf = (lines: string[]) =>
			Number(
				lines.find((l) => l.split(',')[header.indexOf('code')] === '23247')!.split(',')[column]
			);
		// The figure of the details panel, and more than in the national ranking of the API.
		expect(accessOf(rows).toFixed(1).replace('.', ',')).toBe(shown.split(' ')[0]);
		const national = await page.evaluate(async () =>
			(await fetch('/api/classement?niveau=commune&departement=23&format=csv&sep=,')).text()
		);
		expect(accessOf(rows)).toBeGreaterThan(accessOf(national.split('\r\n')));
		// The first rows are the table's (same order, same codes).
		const tableCodes = await page
			.getByTestId('ranking-row')
			.evaluateAll((trs) => trs.slice(0, 5).map((tr) => tr.getAttribute('data-code')));
		const fileCodes = rows.slice(1, 6).map((l) => l.split(',')[header.indexOf('code')]);
		expect(fileCodes).toEqual(tableCodes);

		// Its companion says which places it counts, and from which file.
		const metadata = JSON.parse((await downloadText('ranking-export-metadata')).text) as {
			metadonnees: { scenario: { description: string }; attribution: string };
		};
		expect(metadata.metadonnees.scenario.description).toBe(
			'Lieux importés (fichier « creuse-aidants-connect.csv ») : 1 lieu importé (données importées)'
		);
		expect(metadata.metadonnees.attribution).toContain('données importées');
		await closeAndCheckPage(test);
	}, 420_000);
});

describe('saved scenarios', () => {
	it('saves with imported places, opens read-only by its link, duplicates, and reopens on the map', async () => {
		const test = await openPage(suite.browser);
		const { page } = test;
		await page.goto(`${baseUrl()}/`);
		await waitForImportState(page, 'idle');
		await pick(page, 'exemple-valide.csv', 'text/csv', EXAMPLE);
		await waitForImportState(page, 'report');
		expect(await page.getByTestId('places-import-report').textContent()).toMatch(
			/km du centre de Reims/
		);
		await page.getByTestId('places-import-confirm').click();
		await page.getByTestId('places-import-count').waitFor();

		await page.getByTestId('scenario-name').fill('Lieux financés 2026');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		const saved = page.getByTestId('scenario-saved');
		await saved.waitFor({ timeout: 60_000 });
		const link = await saved.locator('a').getAttribute('href');
		expect(link).toMatch(/^\/scenario\/[A-Za-z0-9_-]{22}$/);

		await page.goto(`${baseUrl()}${link}`);
		await page.getByTestId('scenario-page').waitFor();
		expect(
			await page.getByTestId('scenario-page').getByRole('heading', { level: 1 }).textContent()
		).toBe('Lieux financés 2026');
		expect(await page.getByTestId('scenario-places').textContent()).toContain('Anonymal');

		// Its fiche territoire counts the imported place and says so.
		const id = link!.split('/').pop()!;
		await page.goto(`${baseUrl()}/territoire/departement/13?scenario=${id}`);
		expect(await page.getByTestId('saved-scenario-note').innerText()).toContain(
			'Scénario « Lieux financés 2026 » : 1 lieu importé (données importées)'
		);
		// Its downloads are the scenario's too: the links carry it, the CSV says it on its first line.
		for (const [testId, file] of [
			['report-csv', 'donnees.csv'],
			['report-xlsx', 'donnees.xlsx']
		]) {
			// The resolved address: the server writes it relative, the hydrated page absolute.
			expect(
				await page.getByTestId(testId).evaluate((link) => (link as HTMLAnchorElement).href)
			).toBe(`${baseUrl()}/territoire/departement/13/${file}?scenario=${id}`);
		}
		const csv = await page.evaluate(
			async (href) => (await fetch(href)).text(),
			`/territoire/departement/13/donnees.csv?scenario=${id}`
		);
		expect(csv.split('\r\n')[1]).toContain(
			'Scénario « Lieux financés 2026 » : 1 lieu importé (données importées)'
		);
		await page.goto(`${baseUrl()}${link}`);
		await page.getByTestId('scenario-page').waitFor();

		await page.getByTestId('scenario-duplicate').click();
		await page.waitForURL((url) => url.pathname.startsWith('/scenario/') && url.pathname !== link);
		await page.getByRole('heading', { level: 1, name: 'Copie de Lieux financés 2026' }).waitFor();

		// Without JavaScript (or clicked before the page hydrates), « Dupliquer » is a plain form.
		const noScript = await openPage(suite.browser, { javaScriptEnabled: false });
		await noScript.page.goto(`${baseUrl()}${link}`);
		await noScript.page.getByTestId('scenario-duplicate').click();
		await noScript.page.waitForURL(
			(url) => url.pathname.startsWith('/scenario/') && url.pathname !== link
		);
		await noScript.page
			.getByRole('heading', { level: 1, name: 'Copie de Lieux financés 2026' })
			.waitFor();
		await closeAndCheckPage(noScript);

		await page.getByTestId('scenario-open-map').click();
		await page.waitForURL((url) => url.searchParams.has('scenario'));
		await page.getByTestId('places-import-count').waitFor({ timeout: 60_000 });
		expect(await page.getByTestId('places-import-count').textContent()).toMatch(
			/Lieux importés \(1\)/
		);
		await closeAndCheckPage(test);
	});

	it('answers a French 404 page for an unknown scenario', async () => {
		const test = await openPage(suite.browser, { allowConsoleErrors: [/404/] });
		const { page } = test;
		const response = await page.goto(`${baseUrl()}/scenario/AAAAAAAAAAAAAAAAAAAAAA`);
		expect(response?.status()).toBe(404);
		expect(await page.textContent('body')).toMatch(/Aucun scénario enregistré/);
		await closeAndCheckPage(test);
	});
});
