/**
 * Work kept off the page's main thread (issue 14): the built app in Debian's headless Chromium on
 * SwiftShader, 1280×800, a fresh browser per load. Printed for pages that need the commune table
 * (`/?indicateur=fibre-ftth`, an indicator computed from it; `/?niveau=commune`): the main thread's
 * long tasks (PerformanceObserver « longtask », > 50 ms) until the map is ready, and in the one in
 * which the table arrived, the time from its start to `atlas:communes-ready` (the page's parse and
 * decode before issue 14, the structured clone from the analysis worker after; what the new table
 * sets off — values, colours, the map's feature state — runs after the mark, in the same task,
 * and is given as the task's whole length). Then a shared simulation link that
 * evaluates one scenario: its needs-model runs (`data-needs-model-runs`, every worker of the page:
 * one since the siting worker gets its dataset from the analysis worker), how many times
 * `communes.json` was fetched, when the figures were shown and the main thread's long tasks.
 */
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../e2e/browser';
import { startBuiltServer } from '../../server/built-server';
import { browserBenchReady, BENCH_VIEWPORT, median, formatMs as ms } from '../browser-bench';
import type { BenchSection } from '../section';

const RUNS = 3;
const SIMULATION = '/?onglet=simulation&simulation=departement-80&postes=5&proposes=80021,80001';

/** Collects the main thread's long tasks from the start. A string: see 25-first-screen-browser.ts. */
const RECORD_LONG_TASKS = `(() => {
	window.__longTasks = [];
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
	}).observe({ type: 'longtask', buffered: true });
})();`;

interface Load {
	/** From navigation until ready (page clock), ms. */
	readyMs: number;
	/** Long tasks until the page was ready: count, total and longest, ms. */
	count: number;
	totalMs: number;
	longestMs: number;
	/** The long task during which `atlas:communes-ready` was set (0: none over 50 ms)… */
	tableTaskMs: number;
	/** …and the part of it before the mark: receiving the table (0: no such long task). */
	tableReadyMs: number;
	modelRuns: string | null;
	/** Requests for communes.json: all, and those of the page's own thread (resource timing). */
	tableRequests: number;
	tableRequestsMainThread: number;
}

async function load(url: string, ready: (page: Page) => Promise<void>): Promise<Load> {
	const browser = await launchBrowser();
	try {
		const page = await browser.newPage({ viewport: BENCH_VIEWPORT });
		let tableRequests = 0;
		page.on('request', (request) => {
			if (new URL(request.url()).pathname.endsWith('/communes.json')) tableRequests++;
		});
		await page.addInitScript(RECORD_LONG_TASKS);
		await page.goto(url);
		await ready(page);
		const measured = await page.evaluate(() => {
			const tasks = (window as unknown as { __longTasks: [number, number][] }).__longTasks;
			const mark = performance.getEntriesByName('atlas:communes-ready')[0]?.startTime;
			const table =
				mark === undefined ? undefined : tasks.find(([s, d]) => s <= mark && mark <= s + d);
			return {
				readyMs: performance.now(),
				count: tasks.length,
				totalMs: tasks.reduce((sum, [, d]) => sum + d, 0),
				longestMs: Math.max(0, ...tasks.map(([, d]) => d)),
				tableTaskMs: table?.[1] ?? 0,
				tableReadyMs: table && mark !== undefined ? mark - table[0] : 0,
				modelRuns: document.documentElement.dataset.needsModelRuns ?? null,
				tableRequestsMainThread: performance
					.getEntriesByType('resource')
					.filter((e) => e.name.endsWith('/communes.json')).length
			};
		});
		return { ...measured, tableRequests };
	} finally {
		await browser.close();
	}
}

/** The map is ready after the commune table arrived. */
async function tableAndMapReady(page: Page): Promise<void> {
	await page.waitForFunction(
		() =>
			performance.getEntriesByName('atlas:communes-ready').length > 0 &&
			document.querySelector('[data-testid="map"]')?.getAttribute('data-state') === 'ready',
		undefined,
		{ timeout: 300_000, polling: 100 }
	);
}

/** The simulation's figures are shown. */
async function simulated(page: Page): Promise<void> {
	await page.getByTestId('siting-figures').waitFor({ state: 'visible', timeout: 300_000 });
}

export default {
	name: 'Fil principal du navigateur : tâches longues et exécutions du modèle (Chromium sans GPU, 1280×800)',
	async run() {
		if (!browserBenchReady()) return;
		const app = await startBuiltServer();
		try {
			for (const path of ['/?indicateur=fibre-ftth', '/?niveau=commune']) {
				const loads: Load[] = [];
				for (let run = 0; run < RUNS; run++) {
					loads.push(await load(`${app.base}${path}`, tableAndMapReady));
				}
				const list = (key: 'tableReadyMs' | 'tableTaskMs' | 'totalMs') =>
					loads.map((l) => ms(l[key])).join(', ');
				console.log(
					`${path} → table des communes prête sur le fil principal (du début de sa tâche à atlas:communes-ready) : médiane ${ms(median(loads.map((l) => l.tableReadyMs)))} (${list('tableReadyMs')}), tâche entière ${ms(median(loads.map((l) => l.tableTaskMs)))} (${list('tableTaskMs')}) ; tâches longues jusqu’à la carte prête : médiane ${ms(median(loads.map((l) => l.totalMs)))} au total (${list('totalMs')}), ${median(loads.map((l) => l.count))} tâches, la plus longue ${ms(median(loads.map((l) => l.longestMs)))}`
				);
				console.log(
					`  communes.json demandé ${loads[0].tableRequests} fois, dont ${loads[0].tableRequestsMainThread} par le fil principal`
				);
			}
			const started = Date.now();
			const simulation = await load(`${app.base}${SIMULATION}`, simulated);
			console.log(
				`${SIMULATION} (une simulation évaluée au chargement) → exécutions du modèle de besoins : ${simulation.modelRuns ?? 'compteur absent (data-needs-model-runs non posé)'} ; communes.json demandé ${simulation.tableRequests} fois ; résultats affichés à ${ms(simulation.readyMs)} ; tâches longues ${ms(simulation.totalMs)} au total, la plus longue ${ms(simulation.longestMs)} (${Math.round((Date.now() - started) / 1000)} s de banc)`
			);
		} finally {
			await app.stop();
		}
	}
} satisfies BenchSection;
