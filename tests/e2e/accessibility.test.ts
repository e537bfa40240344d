/**
 * axe-core on every page at desktop (1440×900) and phone (390×844) sizes: any serious or critical
 * violation fails. axe is read from node_modules and evaluated in the page (nothing downloaded;
 * `page.evaluate` is not subject to the page's Content-Security-Policy). Also checks that no page
 * is wider than the screen.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, closeAndCheckPage, launchBrowser, openPage } from './browser';
import { waitForMapReady } from './map-queries';

const ARTIFACTS = new URL('./artifacts/', import.meta.url);
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

/** Every route of the app, with what tells that the page is ready to be audited. */
const ROUTES: { path: string; ready: (page: Page) => Promise<void>; status?: number }[] = [
	{ path: '/', ready: (page) => waitForMapReady(page) },
	{ path: '/?onglet=classement', ready: (page) => waitForMapReady(page) },
	{ path: '/?onglet=simulation', ready: (page) => waitForMapReady(page) },
	{ path: '/sources', ready: (page) => page.waitForLoadState('networkidle') },
	{ path: '/recherche?q=Gueret', ready: (page) => page.waitForLoadState('networkidle') },
	{ path: '/recherche?q=01400', ready: (page) => page.waitForLoadState('networkidle') },
	{ path: '/territoire/epci/200093201', ready: (page) => page.waitForLoadState('networkidle') },
	{ path: '/territoire/commune/23096', ready: (page) => page.waitForLoadState('networkidle') },
	{
		path: '/cette-page-n-existe-pas',
		ready: (page) => page.waitForLoadState('networkidle'),
		status: 404
	}
];

const SIZES = [
	['desktop', { width: 1440, height: 900 }],
	['phone', { width: 390, height: 844 }]
] as const;

let browser: Browser;
const metrics: Record<string, unknown> = {};

beforeAll(async () => {
	mkdirSync(ARTIFACTS, { recursive: true });
	browser = await launchBrowser();
});

afterAll(async () => {
	writeFileSync(
		new URL('accessibility-metrics.json', ARTIFACTS),
		`${JSON.stringify(metrics, null, 2)}\n`
	);
	await browser?.close();
});

describe('accessibility (axe-core) on every page', () => {
	for (const [size, viewport] of SIZES) {
		it.each(ROUTES)(`$path at ${size} size has no serious or critical violation`, async (route) => {
			const test = await openPage(browser, {
				viewport,
				allowConsoleErrors: route.status === 404 ? [/status of 404/] : []
			});
			const { page } = test;
			const response = await page.goto(`${baseUrl()}${route.path}`);
			expect(response?.status()).toBe(route.status ?? 200);
			await route.ready(page);
			await page.evaluate(AXE_SOURCE);
			const audit = await page.evaluate(async () => {
				const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe;
				const result = (await axe.run({
					runOnly: {
						type: 'tag',
						values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']
					}
				})) as { violations: AxeViolation[]; passes: unknown[] };
				return {
					passes: result.passes.length,
					list: result.violations.map((v) => ({
						id: v.id,
						impact: v.impact,
						help: v.help,
						nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' '))
					}))
				};
			});
			const violations = audit.list;
			// axe did audit the page (a run that checked nothing would pass any page).
			expect(audit.passes).toBeGreaterThan(10);
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
			metrics[`${route.path} ${size}`] = {
				violations: violations.map((v) => `${v.impact}: ${v.id} (${v.nodes.length})`),
				axePasses: audit.passes,
				horizontalOverflowPx: width.scroll - width.client
			};
			const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
			expect(blocking).toEqual([]);
			// Nothing wider than the screen.
			expect(width.scroll).toBeLessThanOrEqual(width.client);
			await closeAndCheckPage(test);
		});
	}
});
