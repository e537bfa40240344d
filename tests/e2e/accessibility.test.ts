/**
 * axe-core on every page at desktop (1440×900) and phone (390×844) sizes: any serious or critical
 * violation fails. axe is read from node_modules and evaluated in the page (nothing downloaded;
 * `page.evaluate` is not subject to the page's Content-Security-Policy). Also checks that no page
 * is wider than the screen. The map page's three tabs are audited on one load of the app per size,
 * each tab opened as a user does (its tab button), since booting the map is most of this file's time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
	baseUrl,
	closeAndCheckPage,
	openPage,
	useBrowser,
	type TestPage,
	waitForHydration
} from './browser';
import { waitForMapReady } from './map-queries';

const AXE_SOURCE = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[] }[];
}

/**
 * The map page and its tabs: the first state is loaded, the others reached from it with the tab
 * button, then audited once the URL says the tab is open, the tab's own content is there (`ready`)
 * and the map is ready.
 */
const MAP_STATES: { path: string; tab?: string; ready?: (page: Page) => Promise<void> }[] = [
	{ path: '/' },
	// Simulation before Classement: the ranking's commune map then cannot weigh on it.
	{
		path: '/?onglet=simulation',
		tab: 'Simulation',
		ready: (page) => page.getByTestId('siting-panel').waitFor({ state: 'visible' })
	},
	{
		path: '/?onglet=classement',
		tab: 'Classement',
		// The table has its rows and no ranking is running.
		ready: (page) =>
			page
				.waitForFunction(
					() =>
						document.querySelectorAll('[data-testid="ranking-row"]').length > 0 &&
						!document
							.querySelector('[data-testid="ranking-summary"]')
							?.textContent?.includes('calcul'),
					undefined,
					{ timeout: 90_000, polling: 200 }
				)
				.then(() => undefined)
	}
];

/** Every other route of the app, each loaded in its own page, ready once the network is idle. */
const ROUTES: { path: string; status?: number }[] = [
	{ path: '/sources' },
	{ path: '/recherche?q=Gueret' },
	{ path: '/recherche?q=01400' },
	{ path: '/territoire/epci/200093201' },
	{ path: '/territoire/commune/23096' },
	{ path: '/cette-page-n-existe-pas', status: 404 }
];

const SIZES = [
	['desktop', { width: 1440, height: 900 }],
	['phone', { width: 390, height: 844 }]
] as const;

const suite = useBrowser({ metrics: 'accessibility' });
const { metrics } = suite;

/**
 * Run axe on the page as it is, record what it found and fail on any serious or critical
 * violation, or on a page wider than the screen.
 */
async function audit(page: Page, key: string): Promise<void> {
	await page.evaluate(AXE_SOURCE);
	const result = await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe;
		const run = (await axe.run({
			runOnly: {
				type: 'tag',
				values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']
			}
		})) as { violations: AxeViolation[]; passes: unknown[] };
		return {
			passes: run.passes.length,
			list: run.violations.map((v) => ({
				id: v.id,
				impact: v.impact,
				help: v.help,
				nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' '))
			}))
		};
	});
	const violations = result.list;
	// axe did audit the page (a run that checked nothing would pass any page).
	expect(result.passes).toBeGreaterThan(10);
	// The app scrolls inside <main>: an overflow may hide there rather than on <html>.
	const width = await page.evaluate(() =>
		[document.documentElement, document.querySelector('main')!].reduce(
			(worst, el) => ({
				scroll: Math.max(worst.scroll, el.scrollWidth - el.clientWidth + worst.client),
				client: worst.client
			}),
			{
				scroll: document.documentElement.clientWidth,
				client: document.documentElement.clientWidth
			}
		)
	);
	metrics[key] = {
		violations: violations.map((v) => `${v.impact}: ${v.id} (${v.nodes.length})`),
		axePasses: result.passes,
		horizontalOverflowPx: width.scroll - width.client
	};
	const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(blocking).toEqual([]);
	// Nothing wider than the screen.
	expect(width.scroll).toBeLessThanOrEqual(width.client);
}

describe.each(SIZES)('accessibility (axe-core) on every page at %s size', (size, viewport) => {
	describe('the map page, one load of the app for its three tabs', () => {
		let test: TestPage;

		beforeAll(async () => {
			test = await openPage(suite.browser, { viewport });
			const response = await test.page.goto(`${baseUrl()}${MAP_STATES[0].path}`);
			expect(response?.status()).toBe(200);
		});

		// Also fails on a page error or outside request made after the last audit.
		afterAll(async () => {
			if (test) await closeAndCheckPage(test);
		});

		it.each(MAP_STATES)(
			`$path at ${size} size has no serious or critical violation`,
			async (state) => {
				const { page } = test;
				// The server answers the state's own address too (a shared link opens it directly).
				expect((await fetch(`${baseUrl()}${state.path}`)).status).toBe(200);
				if (state.tab) {
					const tab = new URL(state.path, baseUrl()).searchParams.get('onglet');
					await page.getByRole('tab', { name: state.tab, exact: true }).click();
					await page.waitForURL((url) => url.searchParams.get('onglet') === tab);
					await page.locator(`#atlas-tabpanel-${tab}`).waitFor({ state: 'visible' });
					await expect(
						page.getByRole('tab', { name: state.tab, exact: true }).getAttribute('aria-selected')
					).resolves.toBe('true');
				}
				await state.ready?.(page);
				await waitForMapReady(page);
				await audit(page, `${state.path} ${size}`);
				// No page error nor outside request so far.
				expect(test.errors).toEqual([]);
				expect(test.blocked).toEqual([]);
			}
		);
	});

	it.each(ROUTES)(`$path at ${size} size has no serious or critical violation`, async (route) => {
		const test = await openPage(suite.browser, {
			viewport,
			allowConsoleErrors: route.status === 404 ? [/status of 404/] : []
		});
		const { page } = test;
		const response = await page.goto(`${baseUrl()}${route.path}`);
		expect(response?.status()).toBe(route.status ?? 200);
		await waitForHydration(page);
		await audit(page, `${route.path} ${size}`);
		await closeAndCheckPage(test);
	});
});
