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
});
