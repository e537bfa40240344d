import { describe, expect, it } from 'vitest';
import { baseUrl, openPage, useBrowser, waitForHydration } from './browser';

const suite = useBrowser();

describe('every page opens without errors', () => {
	it.each([
		['/', 200, /Atlas de l’inclusion numérique/],
		['/sources', 200, /Sources/],
		['/cette-page-n-existe-pas', 404, /Page introuvable/]
	] as const)('%s answers %i in French', async (path, status, text) => {
		const test = await openPage(suite.browser, {
			// Chromium logs the 404 of the document itself as a console error.
			allowConsoleErrors: status === 404 ? [/status of 404/] : []
		});
		const response = await test.page.goto(`${baseUrl()}${path}`);
		expect(response?.status()).toBe(status);
		await waitForHydration(test.page);
		expect(await test.page.locator('html').getAttribute('lang')).toBe('fr');
		expect(await test.page.locator('body').innerText()).toMatch(text);
		if (status === 404) {
			await expect(
				test.page.getByRole('link', { name: 'Revenir à la carte' }).isVisible()
			).resolves.toBe(true);
		}
		const { errors, blocked } = test;
		await test.close();
		expect(errors).toEqual([]);
		expect(blocked).toEqual([]);
	});
});
