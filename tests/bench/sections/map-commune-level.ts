/**
 * The map at commune level over France, in the built app and Debian's headless Chromium (WebGL on
 * SwiftShader, 1280×800, no GPU): how much geometry MapLibre sends to the GPU (vertex and index
 * buffers, counted at `bufferData`), how many vertices its line and fill buckets hold, and the time
 * from navigation to the map's `data-state="ready"`. SwiftShader draws on the CPU, so the time is
 * the browser tests' cost rather than a user's; the buffer volume is what any user's GPU receives.
 */
import { launchBrowser } from '../../e2e/browser';
import { startBuiltServer } from '../../server/built-server';
import { browserBenchReady, BENCH_VIEWPORT } from '../browser-bench';
import type { BenchSection } from '../section';

const RUNS = 3;

interface MapLoad {
	readyMs: number;
	uploadedMb: number;
	vertices: Record<string, number>;
}

type Counted = Window & {
	__uploadedBytes?: number;
	__map?: {
		getLayer(id: string): { type: string } | undefined;
		style: {
			tileManagers: Record<
				string,
				{ getRenderableIds(): string[]; getTileByID(id: string): { buckets?: object } }
			>;
		};
	};
};

async function loadCommuneLevel(base: string): Promise<MapLoad> {
	const browser = await launchBrowser();
	try {
		const page = await browser.newPage({ viewport: BENCH_VIEWPORT });
		await page.addInitScript(() => {
			const counted = window as Counted;
			counted.__uploadedBytes = 0;
			const prototype = WebGL2RenderingContext.prototype;
			const bufferData = prototype.bufferData as (...args: unknown[]) => void;
			prototype.bufferData = function (this: WebGL2RenderingContext, ...args: unknown[]) {
				const data = args[1] as { byteLength?: number } | number;
				if (typeof data === 'object' && data?.byteLength)
					counted.__uploadedBytes! += data.byteLength;
				return bufferData.apply(this, args);
			} as typeof prototype.bufferData;
		});
		const started = performance.now();
		await page.goto(`${base}/?niveau=commune`);
		await page.waitForFunction(
			() => document.querySelector('[data-testid="map"]')?.getAttribute('data-state') === 'ready',
			undefined,
			{ timeout: 300_000, polling: 100 }
		);
		const readyMs = performance.now() - started;
		const { uploaded, vertices } = await page.evaluate(() => {
			const counted = window as Counted;
			const manager = counted.__map!.style.tileManagers['territories-commune'];
			const byKind: Record<string, number> = {};
			const seen = new Set<object>();
			for (const id of manager.getRenderableIds()) {
				const buckets = (manager.getTileByID(id).buckets ?? {}) as Record<
					string,
					{ layoutVertexArray?: { length: number }; constructor: { name: string } }
				>;
				for (const [layer, bucket] of Object.entries(buckets)) {
					// Layers with the same layout share one bucket: count it once.
					if (seen.has(bucket)) continue;
					seen.add(bucket);
					const kind = counted.__map!.getLayer(layer)?.type ?? layer;
					byKind[kind] = (byKind[kind] ?? 0) + (bucket.layoutVertexArray?.length ?? 0);
				}
			}
			return { uploaded: counted.__uploadedBytes ?? 0, vertices: byKind };
		});
		return { readyMs, uploadedMb: uploaded / 1e6, vertices };
	} finally {
		await browser.close();
	}
}

export default {
	name: 'Carte au niveau commune, France entière (Chromium sans GPU, 1280×800)',
	async run() {
		if (!browserBenchReady()) return;
		const server = await startBuiltServer();
		try {
			const loads: MapLoad[] = [];
			for (let run = 0; run < RUNS; run++) loads.push(await loadCommuneLevel(server.base));
			const ready = loads.map((l) => l.readyMs).sort((a, b) => a - b);
			const last = loads[loads.length - 1];
			const format = (n: number) => Math.round(n).toLocaleString('fr-FR');
			console.log(
				`données envoyées au GPU : ${last.uploadedMb.toFixed(1).replace('.', ',')} Mo (tampons de sommets et d’indices)`
			);
			const kinds: Record<string, string> = { fill: 'surfaces', line: 'lignes' };
			for (const [kind, count] of Object.entries(last.vertices)) {
				console.log(
					`sommets des ${kinds[kind] ?? kind} des communes (tuiles visibles) : ${format(count)}`
				);
			}
			console.log(
				`navigation → carte prête : médiane ${format(ready[Math.floor(RUNS / 2)])} ms (min ${format(ready[0])}, max ${format(ready[RUNS - 1])}, ${RUNS} chargements, navigateur neuf à chaque fois)`
			);
		} finally {
			await server.stop();
		}
	}
} satisfies BenchSection;
