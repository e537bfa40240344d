/**
 * The plumbing every layer component of `map/layers/` shares: add its source and layers in their
 * place in the stack, keep their visibility and paint in step with its props (each change counted
 * by the readiness signal), and remove them on destroy, even when the map has gone first.
 *
 * Layer components are mounted by `Map.svelte` once the style has loaded, so the functions below
 * add at once. Call them from a component's script: they register effects, in the order called.
 */
import type { LayerSpecification, Map as MapLibreMap, SourceSpecification } from 'maplibre-gl';
import { whileMapAlive } from './map-context';
import { findLayerAbove } from './layer-order';
import type { MapReadiness } from './map-readiness.svelte';

/** The part of MapLibre's map these functions use. */
export type LayerHost = Pick<
	MapLibreMap,
	| 'addLayer'
	| 'removeLayer'
	| 'getLayer'
	| 'addSource'
	| 'removeSource'
	| 'getSource'
	| 'setLayoutProperty'
	| 'setPaintProperty'
> &
	Pick<MapLibreMap, '_removed' | 'style'>;

/** A layer, and the layer it is drawn under when not the one `LAYER_ORDER` gives. */
export type LayerEntry = LayerSpecification | { layer: LayerSpecification; beforeId: string };

/** Layers added and removed together, with the source they alone use. */
export interface LayerGroup {
	/** Added before the layers, removed after them. */
	source?: { id: string; spec: SourceSpecification };
	/** Added in this order, each in its place in `LAYER_ORDER` (`layer-order.ts`). */
	layers: readonly LayerEntry[];
}

/**
 * Add `group` to the map now.
 * @returns what removes it (layers last-added first, then the source); safe to call on a map that
 *   is already removed or being torn down, and on layers something else has removed.
 */
export function addLayerGroup(map: LayerHost, group: LayerGroup): () => void {
	const { source, layers } = group;
	if (source) map.addSource(source.id, source.spec);
	const ids: string[] = [];
	for (const entry of layers) {
		const layer = 'layer' in entry ? entry.layer : entry;
		const beforeId =
			'layer' in entry
				? entry.beforeId
				: findLayerAbove(layer.id, (other) => map.getLayer(other) !== undefined);
		map.addLayer(layer, beforeId);
		ids.push(layer.id);
	}
	return () =>
		whileMapAlive(map, () => {
			for (const id of [...ids].reverse()) if (map.getLayer(id)) map.removeLayer(id);
			if (source && map.getSource(source.id)) map.removeSource(source.id);
		});
}

/**
 * Keep `group()` on the map while the calling component lives: added now, added again (the old
 * group removed first) when anything `group()` reads changes, removed on destroy. A null group
 * (its data not there yet) adds nothing.
 * @param readiness when given, each addition counts as a change the map must draw.
 * @param options.afterFirstPaint add the group only once the rest of the map has been painted
 *   (`MapReadiness.painted`), and count the map as not ready until it is there: for what helps
 *   reading the first screen but is not its answer (names, reference borders), so that it does
 *   not delay the choropleth (issue 14).
 */
export function mountLayerGroup(
	map: LayerHost,
	group: () => LayerGroup | null,
	readiness?: MapReadiness,
	{ afterFirstPaint = false }: { afterFirstPaint?: boolean } = {}
): void {
	/** Not yet on the map (a null group counts as there: it has nothing to wait for). */
	let pending = $state(afterFirstPaint);
	if (afterFirstPaint && readiness) {
		// Registered once (waitWhile is untracked inside); the readiness' derived state reads `pending`.
		$effect(() => readiness.waitWhile(() => pending, { afterFirstPaint: true }));
	}
	$effect(() => {
		if (afterFirstPaint && readiness && !readiness.painted) return;
		const current = group();
		pending = false;
		if (!current) return;
		const remove = addLayerGroup(map, current);
		readiness?.changed();
		return remove;
	});
}

/** `ids` may name one layer or several. */
function idsOf(ids: string | readonly string[]): readonly string[] {
	return typeof ids === 'string' ? [ids] : ids;
}

/**
 * Show the layers `ids()` while `visible()` is true, hide them otherwise; each switch is a change
 * the map must draw. Call after `mountLayerGroup` so the layers exist when it first runs.
 */
export function syncLayerVisibility(
	map: LayerHost,
	readiness: MapReadiness,
	ids: () => string | readonly string[],
	visible: () => boolean
): void {
	$effect(() => {
		const visibility = visible() ? 'visible' : 'none';
		for (const id of idsOf(ids())) map.setLayoutProperty(id, 'visibility', visibility);
		readiness.changed();
	});
}

/**
 * Keep paint property `property` of layer `id()` at `value()`, changed in place (no re-upload);
 * `value()` returning undefined leaves the property as it is (a hidden level keeps its colours).
 */
export function syncLayerPaint(
	map: LayerHost,
	readiness: MapReadiness,
	id: () => string,
	property: Parameters<LayerHost['setPaintProperty']>[1],
	value: () => Parameters<LayerHost['setPaintProperty']>[2] | undefined
): void {
	$effect(() => {
		const next = value();
		if (next === undefined) return;
		map.setPaintProperty(id(), property, next);
		readiness.changed();
	});
}
