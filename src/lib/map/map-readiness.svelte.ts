/**
 * When the map shows what the page asked for. `Map.svelte` owns one `MapReadiness` and writes its
 * `state` on the map element (`data-state`), so browser tests — and anything else that must act on
 * a settled map — wait for an explicit signal instead of a delay or for "some feature has state":
 *
 * - `loading`: the style has not loaded, or a layer (or the page) still waits for its data;
 * - `rendering`: everything is there, but the map has not drawn it yet (a feature state, a paint
 *   change, new source data or a camera move since the last `idle`);
 * - `ready`: nothing is awaited and the map has fired `idle` after the last change.
 *
 * `painted` says when the map was first drawn with everything but the layers that asked to come
 * second (`waitWhile(…, { afterFirstPaint: true })`, the mediation places): those start loading
 * then, so the first screen's choropleth is not slowed by them (issue 14). They still count for
 * `state`: `ready` means every layer is on the map, as before.
 */
import { createContext, untrack } from 'svelte';

export type MapReadinessState = 'loading' | 'rendering' | 'ready';

export class MapReadiness {
	/** The style has loaded (set by Map.svelte). */
	styleLoaded = $state(false);
	/** Predicates of what is still awaited; each reads reactive state. */
	#waits = $state.raw<ReadonlyArray<() => boolean>>([]);
	/** The predicates of layers that load once the rest is painted. */
	#secondWaits = new WeakSet<() => boolean>();
	/** The map was drawn once with everything but the layers that come second (never unset). */
	painted = $state(false);
	/** Changes made to the map, and how many of them the last `idle` had drawn. */
	#changes = $state(0);
	#drawn = $state(0);
	#requestRepaint: () => void;

	/** @param requestRepaint asks the map for a frame, so that an `idle` follows each change. */
	constructor(requestRepaint: () => void) {
		this.#requestRepaint = requestRepaint;
	}

	waiting: boolean = $derived(this.#waits.some((isWaiting) => isWaiting()));

	/** Everything but the layers that come second is there and drawn (see `markPainted`). */
	paintable: boolean = $derived(
		this.styleLoaded &&
			!this.#waits.some((isWaiting) => !this.#secondWaits.has(isWaiting) && isWaiting()) &&
			this.#changes === this.#drawn
	);

	state: MapReadinessState = $derived(
		!this.styleLoaded || this.waiting
			? 'loading'
			: this.#changes !== this.#drawn
				? 'rendering'
				: 'ready'
	);

	/**
	 * Count the map as not ready while `isWaiting()` is true (it may read reactive state).
	 * @returns a function that removes the predicate.
	 */
	waitWhile(
		isWaiting: () => boolean,
		{ afterFirstPaint = false }: { afterFirstPaint?: boolean } = {}
	): () => void {
		if (afterFirstPaint) this.#secondWaits.add(isWaiting);
		untrack(() => (this.#waits = [...this.#waits, isWaiting]));
		return () => untrack(() => (this.#waits = this.#waits.filter((other) => other !== isWaiting)));
	}

	/** Something on the map changed: not ready until the map has drawn it (next `idle`). */
	changed(): void {
		// Called from layers' effects: reading the counter must not make them depend on it.
		untrack(() => this.#changes++);
		this.#requestRepaint();
	}

	/**
	 * Record the first paint (called by Map.svelte once `paintable`): sets `painted`, and the
	 * `atlas:map-painted` performance mark the bench reads.
	 */
	markPainted(): void {
		if (this.painted) return;
		this.painted = true;
		performance.mark('atlas:map-painted');
	}

	/** The map fired `idle`: every change made so far is on screen. */
	drawn(): void {
		this.#drawn = this.#changes;
	}
}

/**
 * `getMapReadiness()`: the readiness tracker of the enclosing `Map.svelte`, which gives it to the
 * layer components below with `setMapReadiness(readiness)` (returning it).
 */
export const [getMapReadiness, setMapReadiness] = createContext<MapReadiness>();

/**
 * In a layer component: the map is not ready while `isWaiting()` is true, for as long as the
 * component lives.
 */
export function waitWhile(
	isWaiting: () => boolean,
	options: { afterFirstPaint?: boolean } = {}
): void {
	const readiness = getMapReadiness();
	// Registering is untracked: the effect runs once, and its clean-up removes the predicate.
	$effect(() => readiness.waitWhile(isWaiting, options));
}
