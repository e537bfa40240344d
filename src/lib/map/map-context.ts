import { createContext } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';

const [getMapGetter, setMapGetter] = createContext<() => MapLibreMap | null>();

/**
 * Give the layer components below `Map.svelte` its MapLibre instance. Layers are only rendered once
 * the style has loaded, so the instance they get is ready for `addSource` / `addLayer`.
 */
export function setMapContext(getMap: () => MapLibreMap | null): void {
	setMapGetter(getMap);
}

/** The MapLibre instance of the enclosing `Map.svelte`. */
export function getMapContext(): MapLibreMap {
	const map = getMapGetter()();
	if (!map) throw new Error('A map layer must be placed inside <Map> once the map has loaded.');
	return map;
}

/**
 * Run a clean-up against a map that may already be gone: when the page unmounts, `Map.svelte`
 * may remove the map before its layers clean up, and MapLibre then throws on any style call.
 */
export function whileMapAlive(
	map: Pick<MapLibreMap, '_removed' | 'style'>,
	cleanUp: () => void
): void {
	if (map._removed || !map.style) return;
	try {
		cleanUp();
	} catch {
		// The style is being torn down with the map: nothing left to remove.
	}
}
