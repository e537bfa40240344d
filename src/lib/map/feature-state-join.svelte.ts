/**
 * The one way a layer component joins values to its territories as feature state: written when
 * the layer is visible (a hidden level keeps its last values), skipped when the same Map comes back,
 * and reported to the map's readiness — not ready while a visible layer waits for its values or has
 * not drawn them yet.
 */
import { untrack } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { getMapReadiness, waitWhile } from './map-readiness.svelte';

export interface FeatureStateJoin {
	/** Whether the layer is shown (values are only written then). */
	visible: boolean;
	/** Value by feature id (territory code), or null while they are being computed. */
	values: ReadonlyMap<string, unknown> | null;
	/** Source holding the features. */
	source: string;
	/** Feature-state key the layer's expressions read. */
	key: string;
}

/**
 * Call during a layer component's initialisation; `read` returns the current join (reactive).
 */
export function joinFeatureState(map: MapLibreMap, read: () => FeatureStateJoin): void {
	const readiness = getMapReadiness();
	/** The values last written: the same Map again has nothing to write. */
	let applied = $state.raw<ReadonlyMap<string, unknown> | null>(null);

	waitWhile(() => {
		const { visible, values } = read();
		return visible && values !== applied;
	});

	$effect(() => {
		const { visible, values, source, key } = read();
		if (!visible || !values || values === untrack(() => applied)) return;
		for (const [code, value] of values) {
			map.setFeatureState({ source, id: code }, { [key]: value });
		}
		applied = values;
		readiness.changed();
	});
}
