import { describe, expect, it } from 'vitest';
import { MapReadiness } from '../../src/lib/map/map-readiness.svelte';

describe('MapReadiness (the map element’s data-state)', () => {
	it('is loading until the style has loaded and nothing is awaited, then follows changes and idle', () => {
		let repaints = 0;
		const readiness = new MapReadiness(() => repaints++);
		expect(readiness.state).toBe('loading');

		readiness.styleLoaded = true;
		expect(readiness.state).toBe('ready');

		// A layer waits for its values: loading, whatever the map does meanwhile.
		const layer = $state({ waiting: true });
		const remove = readiness.waitWhile(() => layer.waiting);
		expect(readiness.state).toBe('loading');
		readiness.drawn();
		expect(readiness.state).toBe('loading');

		// The values arrive and are written: rendering until the map fires idle.
		layer.waiting = false;
		readiness.changed();
		expect(repaints).toBe(1);
		expect(readiness.state).toBe('rendering');
		readiness.changed();
		readiness.drawn();
		expect(readiness.state).toBe('ready');

		// A change after the last idle: rendering again.
		readiness.changed();
		expect(readiness.state).toBe('rendering');
		readiness.drawn();

		// A removed predicate no longer counts.
		layer.waiting = true;
		expect(readiness.state).toBe('loading');
		remove();
		expect(readiness.state).toBe('ready');
	});

	it('is painted once everything but the layers that come second is drawn; those still count for ready', () => {
		const readiness = new MapReadiness(() => {});
		readiness.styleLoaded = true;
		const choropleth = $state({ waiting: true });
		const places = $state({ waiting: true });
		readiness.waitWhile(() => choropleth.waiting);
		readiness.waitWhile(() => places.waiting, { afterFirstPaint: true });
		expect(readiness.paintable).toBe(false);

		// The choropleth's values arrive: paintable only once the map has drawn them.
		choropleth.waiting = false;
		readiness.changed();
		expect(readiness.paintable).toBe(false);
		readiness.drawn();
		expect(readiness.paintable).toBe(true);
		// Painted, but not ready: the places are still awaited.
		expect(readiness.state).toBe('loading');
		expect(readiness.painted).toBe(false);
		readiness.markPainted();
		expect(readiness.painted).toBe(true);

		places.waiting = false;
		readiness.changed();
		expect(readiness.state).toBe('rendering');
		readiness.drawn();
		expect(readiness.state).toBe('ready');

		// Painted stays set when the map waits again (another level, a new layer).
		choropleth.waiting = true;
		expect(readiness.paintable).toBe(false);
		expect(readiness.painted).toBe(true);
	});
});
