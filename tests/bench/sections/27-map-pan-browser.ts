/**
 * How smoothly the map pans, in the built app and Debian's headless Chromium (WebGL on SwiftShader,
 * 1280×800, no GPU, a fresh browser per view): once the view is ready, the map pans 300×120 px in
 * 2 s (linear), and this prints the intervals between the frames MapLibre draws (its `render`
 * events: median, 95th percentile, longest) and the main thread's long tasks (> 50 ms) meanwhile.
 * SwiftShader draws on the CPU, so these are an upper bound of what a user's GPU gives; they
 * compare views and versions on one machine. The browser tests used to record these pans; a
 * measurement belongs here, and the tests keep what they assert (what is drawn).
 */
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../e2e/browser';
import { startBuiltServer } from '../../server/built-server';
import { browserBenchReady, BENCH_VIEWPORT, formatMs as ms } from '../browser-bench';
import type { BenchSection } from '../section';

const PAN_MS = 2_000;

/** Views of the app, each a shared link, and the layer whose drawn features are counted. */
const VIEWS: { label: string; path: string; layers: string[] }[] = [
	{
		label: 'France, départements (fibre, sans lieux)',
		path: '/?indicateur=fibre-ftth&lieux=aucun',
		layers: ['choropleth-departement']
	},
	{
		label: 'Communes autour de Lille, zoom 8 (fibre, sans lieux)',
		path: '/?indicateur=fibre-ftth&lieux=aucun&vue=3.06,50.63,8',
		layers: ['choropleth-commune']
	},
	{
		label: 'Communes autour de Lille, zoom 8,5, tous les lieux de médiation',
		path: '/?vue=3.06,50.63,8.5',
		layers: ['choropleth-commune', 'mediators-points', 'mediators-clusters']
	},
	{
		label: 'Communes autour de Saint-Quentin, zoom 8, toutes les couches thématiques',
		path: '/?lieux=aucun&vue=3.29,49.85,8&couches=zones-blanches,qpv,frr,zrr&typologie=densite&seuil=80',
		layers: [
			'choropleth-commune',
			'thematic-category-commune',
			'thematic-white-zone-commune',
			'thematic-qpv-commune',
			'thematic-frr-hatch',
			'thematic-zrr-outline'
		]
	},
	{
		label: 'Les mêmes communes sans couche thématique',
		path: '/?lieux=aucun&vue=3.29,49.85,8',
		layers: ['choropleth-commune']
	}
];

interface Pan {
	readyMs: number;
	drawn: Record<string, number>;
	intervals: number[];
	longTasks: number[];
}

type WithMap = Window & {
	__map: {
		getLayer(id: string): unknown;
		queryRenderedFeatures(options: { layers: string[] }): unknown[];
	};
};

/**
 * Pans the map and collects the frame intervals and long tasks. A string, not a function: tsx
 * would wrap a function's inner names in a `__name` helper the page does not have. The pan lasts
 * its duration and at least three frames, as a SwiftShader frame can outlast the whole pan.
 */
const PAN_IN_PAGE = (duration: number) => `(async () => {
	const map = window.__map;
	const stamps = [];
	const longTasks = [];
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) longTasks.push(entry.duration);
	});
	observer.observe({ type: 'longtask', buffered: false });
	const onRender = () => stamps.push(performance.now());
	map.on('render', onRender);
	const began = performance.now();
	map.panBy([300, 120], { duration: ${duration}, easing: (t) => t });
	await new Promise((resolve) => {
		const check = () =>
			(performance.now() - began >= ${duration} + 200 && stamps.length >= 3) ||
			performance.now() - began > 120000
				? resolve()
				: setTimeout(check, 100);
		check();
	});
	map.off('render', onRender);
	observer.disconnect();
	return { intervals: stamps.slice(1).map((t, i) => t - stamps[i]), longTasks };
})()`;

async function mapReady(page: Page): Promise<void> {
	await page.waitForFunction(
		() => document.querySelector('[data-testid="map"]')?.getAttribute('data-state') === 'ready',
		undefined,
		{ timeout: 300_000, polling: 100 }
	);
}

async function pan(url: string, layers: string[]): Promise<Pan> {
	const browser = await launchBrowser();
	try {
		const page = await browser.newPage({ viewport: BENCH_VIEWPORT });
		await page.goto(url);
		await mapReady(page);
		const readyMs = await page.evaluate(() => performance.now());
		const drawn = await page.evaluate((ids) => {
			const map = (window as unknown as WithMap).__map;
			return Object.fromEntries(
				ids.map((id) => [
					id,
					map.getLayer(id) ? map.queryRenderedFeatures({ layers: [id] }).length : 0
				])
			);
		}, layers);
		const measured = (await page.evaluate(PAN_IN_PAGE(PAN_MS))) as {
			intervals: number[];
			longTasks: number[];
		};
		return { readyMs, drawn, ...measured };
	} finally {
		await browser.close();
	}
}

function longTasks(durations: number[]): string {
	if (durations.length === 0) return 'aucune tâche longue';
	const longest = ms(Math.max(...durations));
	return durations.length === 1
		? `1 tâche longue (${longest})`
		: `${durations.length} tâches longues (la plus longue ${longest})`;
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;
}

export default {
	name: `Fluidité de la carte : déplacement de 300×120 px en ${PAN_MS / 1000} s (Chromium sans GPU, SwiftShader, 1280×800)`,
	async run() {
		if (!browserBenchReady()) return;
		const app = await startBuiltServer();
		try {
			for (const view of VIEWS) {
				const result = await pan(`${app.base}${view.path}`, view.layers);
				const sorted = [...result.intervals].sort((a, b) => a - b);
				const drawn = Object.entries(result.drawn)
					.map(([id, n]) => `${id} ${n.toLocaleString('fr-FR')}`)
					.join(', ');
				console.log(
					`${view.label} : ${sorted.length + 1} images, intervalle médian ${ms(percentile(sorted, 0.5))}, p95 ${ms(percentile(sorted, 0.95))}, le plus long ${ms(sorted[sorted.length - 1] ?? NaN)} ; ${longTasks(result.longTasks)} ; prête à ${ms(result.readyMs)}`
				);
				console.log(`  ${view.path} — entités dessinées : ${drawn}`);
			}
		} finally {
			await app.stop();
		}
	}
} satisfies BenchSection;
