/**
 * The first screen in a browser (issue 14, « the first screen does first-screen work only »): the
 * built app opened at `/` (national view, départements) against a bare MapLibre page drawing the
 * same `departements.topo.json` with the app's camera, colours and values (tests/bench/reference-map/),
 * both in Debian's headless Chromium on SwiftShader, 1280×800, a fresh browser per load.
 * Printed: time from navigation to the national map painted (the app's `data-painted`, set with
 * the `atlas:map-painted` mark once everything but the places, which come second, is drawn; the
 * reference's first `idle`), their ratio (target ≤ 1,5), the same until `data-state="ready"`
 * (places included), the bytes received until each (compressed bodies, workers' requests
 * included; target ≤ 600 kB until painted) with the largest files, and how many needs-model runs the page made (`data-needs-model-runs` on <html>;
 * 0 when no analysis worker started).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../e2e/browser';
import { freePort, HOST, startBuiltServer } from '../../server/built-server';
import { browserBenchReady, BENCH_VIEWPORT, median, formatMs as ms } from '../browser-bench';
import type { BenchSection } from '../section';

/** Loads of each page (median printed: five, as single loads on SwiftShader vary by ±20 %); BENCH_FIRST_SCREEN_RUNS overrides it. */
const RUNS = Math.max(1, Number(process.env.BENCH_FIRST_SCREEN_RUNS) || 5);
const ROOT = process.cwd();
const TOPOLOGY = join(ROOT, 'static', 'data', 'geo', 'departements.topo.json');
const SOURCE_ID = 'territories-departement';
const FILL_LAYER = 'choropleth-departement';
const OUTLINE_LAYER = 'outline-departement';

interface Load {
	/** The national map painted: the app's `atlas:map-painted` (the places come second), the reference's first idle. */
	paintedMs: number;
	/** Everything on the map (`data-state="ready"`, places included). */
	readyMs: number;
	/** Bytes received until painted, and until ready. */
	bytes: number;
	bytesReady: number;
	largest: { url: string; bytes: number }[];
	modelRuns: string | null;
}

/** What the reference page needs to draw what the app drew. */
interface ReferenceConfig {
	center: [number, number];
	zoom: number;
	background: string;
	fillColor: unknown;
	fillOpacity: unknown;
	fillAntialias: unknown;
	lineColor: unknown;
	lineWidth: unknown;
	states: Record<string, Record<string, unknown>>;
}

type WithMap = Window & {
	__readyAt?: number;
	__paintedAt?: number;
	__map?: {
		getCenter(): { lng: number; lat: number };
		getZoom(): number;
		getStyle(): { layers: { id: string; type: string; paint?: Record<string, unknown> }[] };
		getPaintProperty(layer: string, name: string): unknown;
		getLayoutProperty(layer: string, name: string): unknown;
		getFeatureState(feature: { source: string; id: string }): Record<string, unknown>;
	};
};

/**
 * Records, in page time, when the map element first says `data-painted` (the app: its national
 * map drawn, the places to come) and `data-state="ready"` (everything drawn; the reference sets
 * only this one, at its first idle, which is then both). A string, not a function: tsx would wrap
 * a function's inner names in a `__name` helper the page does not have.
 */
const RECORD_FIRST_READY = `(() => {
	const check = () => {
		const map = document.querySelector('[data-testid="map"]');
		const ready = map?.getAttribute('data-state') === 'ready';
		if ((ready || map?.hasAttribute('data-painted')) && window.__paintedAt === undefined)
			window.__paintedAt = performance.now();
		if (ready && window.__readyAt === undefined) window.__readyAt = performance.now();
	};
	new MutationObserver(check).observe(document, {
		subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'data-painted']
	});
})();`;

/**
 * Open `url` in a fresh browser. Bytes are the compressed bodies received, requests of the page's
 * workers included (MapLibre's worker script, a worker's data): Playwright reports those too, but
 * without a size, so their `content-length` (the compressed length, as sent) stands in.
 */
async function load(url: string, afterReady?: (page: Page) => Promise<void>): Promise<Load> {
	const browser = await launchBrowser();
	try {
		const page = await browser.newPage({ viewport: BENCH_VIEWPORT });
		// `startedAt`: when the request started (epoch ms); counted « until painted » when it started
		// before the paint, in the page's clock (polling for the paint would count late ones too).
		const received: { url: string; bytes: number; startedAt: number }[] = [];
		const pending: Promise<void>[] = [];
		let done = false;
		page.on('requestfinished', (request) => {
			if (done || request.url().startsWith('data:')) return;
			const startedAt = request.timing().startTime;
			pending.push(
				(async () => {
					const { responseBodySize } = await request.sizes();
					const response = await request.response();
					const length = Number((await response?.allHeaders())?.['content-length'] ?? 0);
					received.push({ url: request.url(), bytes: responseBodySize || length, startedAt });
				})()
			);
		});
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		page.on('console', (message) => {
			if (message.type() === 'error') errors.push(message.text());
		});
		await page.addInitScript(RECORD_FIRST_READY);
		await page.goto(url);
		const waitFor = (what: '__paintedAt' | '__readyAt') =>
			page
				.waitForFunction((key) => (window as WithMap)[key] !== undefined, what, {
					timeout: 300_000,
					polling: 50
				})
				.catch((error: Error) => {
					throw new Error(
						`${url} : carte jamais ${what === '__readyAt' ? 'prête' : 'peinte'} (${error.message}) ; erreurs : ${errors.join(' | ')}`
					);
				});
		await waitFor('__paintedAt');
		await waitFor('__readyAt');
		done = true;
		await Promise.all(pending);
		// The app's own mark when it has one: the observer runs a moment after it, when the places
		// may already be on their way.
		const { paintedMs, readyMs, origin } = await page.evaluate(() => ({
			paintedMs:
				performance.getEntriesByName('atlas:map-painted')[0]?.startTime ??
				(window as WithMap).__paintedAt!,
			readyMs: (window as WithMap).__readyAt!,
			origin: performance.timeOrigin
		}));
		// The needs-model runs the analysis worker counted; none when no analysis worker started.
		const modelRuns = await page.evaluate(() =>
			performance.getEntriesByName('atlas:analysis-worker-started').length === 0
				? '0'
				: (document.documentElement.dataset.needsModelRuns ?? null)
		);
		await afterReady?.(page);
		const atPaint = received.filter((r) => r.startedAt < origin + paintedMs);
		const largest = [...atPaint].sort((a, b) => b.bytes - a.bytes).slice(0, 8);
		return {
			paintedMs,
			readyMs,
			bytes: atPaint.reduce((sum, r) => sum + r.bytes, 0),
			bytesReady: received.reduce((sum, r) => sum + r.bytes, 0),
			largest,
			modelRuns
		};
	} finally {
		await browser.close();
	}
}

/** The app's camera, colours and values once its first screen is ready. */
async function readAppMap(page: Page, codes: string[]): Promise<ReferenceConfig> {
	return page.evaluate(
		({ codes, source, fill, outline }) => {
			const map = (window as WithMap).__map!;
			if (map.getLayoutProperty(fill, 'visibility') === 'none') {
				throw new Error(`la couche ${fill} n’est pas affichée au premier écran`);
			}
			const background = map.getStyle().layers.find((l) => l.type === 'background');
			const states: Record<string, Record<string, unknown>> = {};
			for (const code of codes) states[code] = map.getFeatureState({ source, id: code });
			const center = map.getCenter();
			return {
				center: [center.lng, center.lat] as [number, number],
				zoom: map.getZoom(),
				background: String(background?.paint?.['background-color'] ?? '#ffffff'),
				fillColor: map.getPaintProperty(fill, 'fill-color'),
				fillOpacity: map.getPaintProperty(fill, 'fill-opacity') ?? 1,
				fillAntialias: map.getPaintProperty(fill, 'fill-antialias') ?? true,
				lineColor: map.getPaintProperty(outline, 'line-color') ?? '#ffffff',
				lineWidth: map.getPaintProperty(outline, 'line-width') ?? 1,
				states
			};
		},
		{ codes, source: SOURCE_ID, fill: FILL_LAYER, outline: OUTLINE_LAYER }
	);
}

/** Serves the reference page, MapLibre's own build, topojson-client and the topology. */
async function startReferenceServer(
	config: ReferenceConfig
): Promise<{ base: string; server: Server }> {
	const html = readFileSync(join(import.meta.dirname, '..', 'reference-map', 'index.html'), 'utf8')
		// The config is JSON inside a <script type="application/json">: only `<` could end it early.
		.replace('__CONFIG__', JSON.stringify(config).replaceAll('<', '\\u003c'));
	const files: Record<string, [string, string]> = {
		'/departements.topo.json': [TOPOLOGY, 'application/json'],
		'/topojson-client.min.js': [
			join(ROOT, 'node_modules', 'topojson-client', 'dist', 'topojson-client.min.js'),
			'text/javascript'
		]
	};
	const maplibreDist = join(ROOT, 'node_modules', 'maplibre-gl', 'dist');
	const server = createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://x').pathname;
		if (path === '/favicon.ico') {
			response.writeHead(204).end();
			return;
		}
		if (path === '/') {
			response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			response.end(html);
			return;
		}
		const maplibreFile = path.startsWith('/maplibre/') ? path.slice('/maplibre/'.length) : null;
		const file =
			maplibreFile && /^[\w.-]+$/.test(maplibreFile)
				? ([
						join(maplibreDist, maplibreFile),
						maplibreFile.endsWith('.css') ? 'text/css' : 'text/javascript'
					] as [string, string])
				: files[path];
		if (!file || !existsSync(file[0])) {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, { 'content-type': file[1] });
		response.end(readFileSync(file[0]));
	});
	const port = await freePort();
	await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
	return { base: `http://${HOST}:${port}`, server };
}

const kb = (bytes: number) => `${Math.round(bytes / 1000).toLocaleString('fr-FR')} ko`;

export default {
	name: 'Premier écran dans le navigateur : application vs page MapLibre nue (Chromium sans GPU, 1280×800)',
	async run() {
		if (!browserBenchReady()) return;
		const topology = JSON.parse(readFileSync(TOPOLOGY, 'utf8')) as {
			objects: Record<string, { geometries: { properties?: { code?: string } }[] }>;
		};
		const codes = Object.values(topology.objects)[0].geometries.flatMap((g) =>
			g.properties?.code ? [g.properties.code] : []
		);

		// App and reference loads alternate (after the first app load, which gives the reference its
		// camera and colours), so a machine that gets busier or quieter during the section weighs on
		// both medians alike.
		const app = await startBuiltServer();
		const appLoads: Load[] = [];
		const referenceLoads: Load[] = [];
		let reference: { base: string; server: Server } | undefined;
		try {
			let config: ReferenceConfig | undefined;
			appLoads.push(
				await load(`${app.base}/`, async (page) => {
					config = await readAppMap(page, codes);
				})
			);
			reference = await startReferenceServer(config!);
			for (let run = 0; run < RUNS; run++) {
				referenceLoads.push(await load(`${reference.base}/`));
				if (run < RUNS - 1) appLoads.push(await load(`${app.base}/`));
			}
		} finally {
			await app.stop();
			reference?.server.close();
		}

		const appMs = median(appLoads.map((l) => l.paintedMs));
		const referenceMs = median(referenceLoads.map((l) => l.paintedMs));
		const ratio = appMs / referenceMs;
		const appBytes = median(appLoads.map((l) => l.bytes));
		const list = (loads: Load[], key: 'paintedMs' | 'readyMs') =>
			loads.map((l) => ms(l[key])).join(', ');
		console.log(
			`application (/) → carte nationale peinte (atlas:map-painted) : médiane ${ms(appMs)} (${list(appLoads, 'paintedMs')})`
		);
		console.log(
			`page de référence (MapLibre seul, mêmes départements et couleurs, premier idle) : médiane ${ms(referenceMs)} (${list(referenceLoads, 'paintedMs')})`
		);
		console.log(
			`rapport application / référence : ${ratio.toFixed(2).replace('.', ',')} (objectif ≤ 1,5 : ${ratio <= 1.5 ? 'atteint' : 'non atteint'})`
		);
		console.log(
			`octets reçus jusqu’à la carte peinte (corps compressés, workers compris) : application ${kb(appBytes)} (objectif ≤ 600 ko : ${appBytes <= 600_000 ? 'atteint' : 'non atteint'}), référence ${kb(median(referenceLoads.map((l) => l.bytes)))}`
		);
		for (const { url, bytes } of appLoads[appLoads.length - 1].largest) {
			console.log(`  ${kb(bytes).padStart(9)}  ${new URL(url).pathname}`);
		}
		console.log(
			`puis lieux de médiation compris (data-state="ready") : médiane ${ms(median(appLoads.map((l) => l.readyMs)))} (${list(appLoads, 'readyMs')}), ${kb(median(appLoads.map((l) => l.bytesReady)))} reçus en tout`
		);
		const runs = appLoads.map((l) => l.modelRuns);
		console.log(
			runs.every((r) => r === null)
				? 'exécutions du modèle de besoins par chargement : compteur absent (data-needs-model-runs non posé par la page)'
				: `exécutions du modèle de besoins par chargement (à la carte prête ; 0 : aucun worker d’analyse démarré) : ${runs.map((r) => r ?? '?').join(', ')}`
		);
	}
} satisfies BenchSection;
