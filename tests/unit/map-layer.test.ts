import { describe, expect, it } from 'vitest';
import type { LayerSpecification } from 'maplibre-gl';
import { addLayerGroup, type LayerHost } from '../../src/lib/map/map-layer.svelte';
import { BASEMAP_LAYER_ID, TERRITORY_SOURCE_ID } from '../../src/lib/map/ids';

/** A map that records its style calls and keeps its layers in drawing order. */
class FakeMap {
	_removed = false;
	style: object | undefined = {};
	layers: string[] = [];
	sources = new Set<string>();
	calls: string[] = [];
	addSource(id: string) {
		this.calls.push(`addSource ${id}`);
		this.sources.add(id);
	}
	removeSource(id: string) {
		this.calls.push(`removeSource ${id}`);
		this.sources.delete(id);
	}
	getSource(id: string) {
		return this.sources.has(id) ? {} : undefined;
	}
	addLayer(layer: LayerSpecification, beforeId?: string) {
		this.calls.push(`addLayer ${layer.id}${beforeId ? ` before ${beforeId}` : ''}`);
		const at = beforeId === undefined ? -1 : this.layers.indexOf(beforeId);
		if (at < 0) this.layers.push(layer.id);
		else this.layers.splice(at, 0, layer.id);
	}
	removeLayer(id: string) {
		if (this._removed) throw new Error('removed');
		this.calls.push(`removeLayer ${id}`);
		this.layers = this.layers.filter((other) => other !== id);
	}
	getLayer(id: string) {
		return this.layers.includes(id) ? {} : undefined;
	}
	setLayoutProperty(id: string, name: string, value: unknown) {
		this.calls.push(`layout ${id} ${name}=${String(value)}`);
	}
	setPaintProperty(id: string, name: string, value: unknown) {
		this.calls.push(`paint ${id} ${name}=${String(value)}`);
	}
}

const host = (map: FakeMap) => map as unknown as LayerHost;
const land: LayerSpecification = {
	id: BASEMAP_LAYER_ID.land,
	type: 'fill',
	source: TERRITORY_SOURCE_ID.region,
	paint: {}
};
const background: LayerSpecification = { id: BASEMAP_LAYER_ID.background, type: 'background' };
const fill = (id: string): LayerSpecification => ({ id, type: 'fill', source: 's', paint: {} });

describe('addLayerGroup', () => {
	it('adds the source, then each layer in its place in LAYER_ORDER or before the layer named', () => {
		const map = new FakeMap();
		addLayerGroup(host(map), { layers: [land] });
		addLayerGroup(host(map), {
			source: {
				id: 's',
				spec: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } }
			},
			layers: [background, { layer: fill('not-in-order'), beforeId: BASEMAP_LAYER_ID.land }]
		});
		expect(map.calls).toEqual([
			`addLayer ${BASEMAP_LAYER_ID.land}`,
			'addSource s',
			`addLayer ${BASEMAP_LAYER_ID.background} before ${BASEMAP_LAYER_ID.land}`,
			`addLayer not-in-order before ${BASEMAP_LAYER_ID.land}`
		]);
		expect(map.layers).toEqual([
			BASEMAP_LAYER_ID.background,
			'not-in-order',
			BASEMAP_LAYER_ID.land
		]);
	});

	it('removes its layers last first, then its source, skipping layers already gone', () => {
		const map = new FakeMap();
		const remove = addLayerGroup(host(map), {
			source: {
				id: 's',
				spec: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } }
			},
			layers: [fill('a'), fill('b'), fill('c')]
		});
		map.removeLayer('b');
		map.calls = [];
		remove();
		expect(map.calls).toEqual(['removeLayer c', 'removeLayer a', 'removeSource s']);
		expect(map.layers).toEqual([]);
	});

	it('does nothing on a map already removed, or whose style is torn down', () => {
		const removed = new FakeMap();
		const removeFromRemoved = addLayerGroup(host(removed), { layers: [fill('a')] });
		removed._removed = true;
		expect(() => removeFromRemoved()).not.toThrow();
		expect(removed.layers).toEqual(['a']);

		const noStyle = new FakeMap();
		const removeFromNoStyle = addLayerGroup(host(noStyle), { layers: [fill('a')] });
		noStyle.style = undefined;
		removeFromNoStyle();
		expect(noStyle.layers).toEqual(['a']);
	});
});

// mountLayerGroup / syncLayerVisibility / syncLayerPaint wrap these in `$effect`, which the unit
// project (compiled for the server) does not run: the browser tests cover them.
