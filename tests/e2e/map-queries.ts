/**
 * Functions evaluated in the page against `window.__map` (the MapLibre instance exposed by
 * Map.svelte), shared by the browser tests.
 */
import type { Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';

type WithMap = Window & { __map?: MapLibreMap };

/**
 * Wait until the map says it shows what the page asked for: `data-state="ready"` on the map
 * element, set by the app once no data is awaited and MapLibre has fired `idle` after the last
 * change (src/lib/map/map-readiness.svelte.ts). Call it after the UI reflects an action (a legend,
 * the URL…), so the wait cannot end on the state from before the action.
 */
export async function waitForMapReady(page: Page, timeout = 60_000): Promise<void> {
	await page.waitForFunction(
		() => document.querySelector('[data-testid="map"]')?.getAttribute('data-state') === 'ready',
		undefined,
		{ timeout, polling: 100 }
	);
}

/**
 * Wait until the choropleth of `level` is the one shown and the map is ready (its values joined
 * and drawn).
 */
export async function waitForChoropleth(
	page: Page,
	level: string,
	timeout = 60_000
): Promise<void> {
	await page.waitForFunction(
		(lvl) => {
			const map = (window as WithMap).__map;
			const layer = `choropleth-${lvl}`;
			return Boolean(
				map &&
				document.querySelector('[data-testid="map"]')?.getAttribute('data-state') === 'ready' &&
				map.getLayer(layer) &&
				map.getLayoutProperty(layer, 'visibility') === 'visible'
			);
		},
		level,
		{ timeout, polling: 100 }
	);
}

export interface RenderedTerritory {
	code: string;
	nom: string;
	value: unknown;
}

/** The territories drawn by a choropleth layer, one entry per code. */
export function queryRendered(page: Page, level: string): Promise<RenderedTerritory[]> {
	return page.evaluate((lvl) => {
		const map = (window as WithMap).__map!;
		const seen = new Map<string, { code: string; nom: string; value: unknown }>();
		for (const f of map.queryRenderedFeatures({ layers: [`choropleth-${lvl}`] })) {
			const code = String(f.properties.code);
			if (!seen.has(code))
				seen.set(code, { code, nom: String(f.properties.nom), value: f.state?.value });
		}
		return [...seen.values()];
	}, level);
}

/** Page coordinates (CSS px) of a longitude/latitude on the map canvas. */
export function projectToPage(
	page: Page,
	lon: number,
	lat: number
): Promise<{ x: number; y: number }> {
	return page.evaluate(
		([lng, lt]) => {
			const map = (window as WithMap).__map!;
			const point = map.project([lng, lt]);
			const box = map.getCanvas().getBoundingClientRect();
			return { x: box.left + point.x, y: box.top + point.y };
		},
		[lon, lat] as const
	);
}

/** Current camera. */
export function readCamera(page: Page): Promise<{ lon: number; lat: number; zoom: number }> {
	return page.evaluate(() => {
		const map = (window as WithMap).__map!;
		const c = map.getCenter();
		return { lon: c.lng, lat: c.lat, zoom: map.getZoom() };
	});
}

/** The camera's zoom and whether a point (longitude, latitude) is in view: "framed on it". */
export function readFraming(
	page: Page,
	lon: number,
	lat: number
): Promise<{ zoom: number; inView: boolean }> {
	return page.evaluate(
		([x, y]) => {
			const map = (window as WithMap).__map!;
			return { zoom: map.getZoom(), inView: map.getBounds().contains([x, y]) };
		},
		[lon, lat]
	);
}

/** How many times each data file was fetched by the page (resource timing). */
export function countFetches(page: Page, fileName: string): Promise<number> {
	return page.evaluate(
		(name) => performance.getEntriesByType('resource').filter((e) => e.name.endsWith(name)).length,
		fileName
	);
}
