/**
 * Headless Chromium for the browser tests (playwright-core, Debian's /usr/bin/chromium): WebGL 2
 * through SwiftShader so MapLibre can draw without a GPU, no network beyond the server under test,
 * and every page error or console error collected so a test can fail on it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	// MapLibre 6 needs WebGL 2: in headless mode without a GPU that means ANGLE on SwiftShader,
	// which Chromium only enables on request.
	'--enable-unsafe-swiftshader',
	'--use-gl=angle',
	'--use-angle=swiftshader',
	'--ignore-gpu-blocklist',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-default-apps',
	'--no-first-run',
	'--no-default-browser-check'
];

/** Start headless Chromium (one per test file; close it in `afterAll`). */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Where browser tests leave their screenshots and metrics (tests/e2e/artifacts/). */
export const ARTIFACTS = new URL('./artifacts/', import.meta.url);

export interface BrowserSuite {
	/** The file's Chromium, launched before its first test. */
	readonly browser: Browser;
	/** Figures the file's tests record, written to artifacts/<name>-metrics.json after them. */
	readonly metrics: Record<string, unknown>;
}

/**
 * The set-up every browser test file shares: Chromium launched before the file's tests and closed
 * after them, the artifacts folder created, and, when `metrics` names the file, the figures its
 * tests put in `metrics` written to artifacts/<metrics>-metrics.json (and printed with `log`).
 */
export function useBrowser(options: { metrics?: string; log?: boolean } = {}): BrowserSuite {
	let browser: Browser | undefined;
	const metrics: Record<string, unknown> = {};
	beforeAll(async () => {
		mkdirSync(ARTIFACTS, { recursive: true });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		if (options.metrics) {
			const json = JSON.stringify(metrics, null, 2);
			writeFileSync(new URL(`${options.metrics}-metrics.json`, ARTIFACTS), `${json}\n`);
			if (options.log) console.log(`${options.metrics} metrics`, json);
		}
		await browser?.close();
	});
	return {
		get browser() {
			if (!browser) throw new Error('The browser is launched in beforeAll: use it inside a test.');
			return browser;
		},
		metrics
	};
}

/** Base URL of the server started by global-setup.ts. */
export function baseUrl(): string {
	return inject('baseUrl');
}

export interface TestPage {
	page: Page;
	context: BrowserContext;
	/** Uncaught exceptions and console errors, in order. */
	errors: string[];
	/** Requests refused because they left 127.0.0.1. */
	blocked: string[];
	/**
	 * URLs of every request of the page, its Web Workers' included (the page's own resource timing
	 * sees only its main thread's: `map-queries.ts: countFetches`).
	 */
	requested: string[];
	close(): Promise<void>;
}

export interface OpenOptions {
	viewport?: { width: number; height: number };
	/** Console errors to accept (e.g. the 404 of a page expected to be missing). */
	allowConsoleErrors?: RegExp[];
	/** false: the page as a browser without JavaScript gets it (server-rendered, native forms). */
	javaScriptEnabled?: boolean;
}

/**
 * A fresh page in its own context (1280×800 by default) that refuses any request not addressed to
 * 127.0.0.1, and records page errors and console errors.
 */
export async function openPage(browser: Browser, options: OpenOptions = {}): Promise<TestPage> {
	const context = await browser.newContext({
		viewport: options.viewport ?? { width: 1280, height: 800 },
		locale: 'fr-FR',
		timezoneId: 'Europe/Paris',
		javaScriptEnabled: options.javaScriptEnabled ?? true
	});
	const errors: string[] = [];
	const blocked: string[] = [];
	const requested: string[] = [];
	await context.route('**/*', (route) => {
		const url = new URL(route.request().url());
		if (url.hostname === '127.0.0.1' || url.protocol === 'blob:' || url.protocol === 'data:') {
			return route.continue();
		}
		blocked.push(url.href);
		return route.abort('blockedbyclient');
	});
	const page = await context.newPage();
	page.on('request', (request) => requested.push(request.url()));
	page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() !== 'error') return;
		const text = message.text();
		if (options.allowConsoleErrors?.some((pattern) => pattern.test(text))) return;
		errors.push(`console.error: ${text}`);
	});
	page.on('crash', () => errors.push('page crashed'));
	return {
		page,
		context,
		errors,
		blocked,
		requested,
		close: () => context.close()
	};
}

/**
 * Wait until the page has hydrated (the root layout sets `data-hydrated` on <html> when mounted):
 * before that, a click on a button of the server-rendered page does nothing.
 */
export async function waitForHydration(page: Page, timeout = 30_000): Promise<void> {
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout });
}

/**
 * Close a page and fail the test on any page error, console error or request outside 127.0.0.1
 * collected while it was open. Every browser test ends its pages with this.
 */
export async function closeAndCheckPage(test: TestPage): Promise<void> {
	const { errors, blocked } = test;
	await test.close();
	expect(errors).toEqual([]);
	expect(blocked).toEqual([]);
}

/** How many requests for `fileName` the page and its Web Workers made so far. */
export function countRequests(test: TestPage, fileName: string): number {
	return test.requested.filter((url) => new URL(url).pathname.endsWith(`/${fileName}`)).length;
}
