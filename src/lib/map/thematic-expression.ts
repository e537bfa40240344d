/**
 * MapLibre expressions of the thematic overlays. Each overlay joins its values as its own feature
 * state (keys below, distinct from the choropleth's `value`), so a threshold or a class change is a
 * `setPaintProperty` and the geometry is never uploaded again.
 */
import type { ExpressionSpecification } from 'maplibre-gl';

/** Feature-state keys of the thematic overlays. */
export const THEMATIC_STATE = {
	/** Class index of the categorical layer (number) or null. */
	category: 'thematic-category',
	/** Share of premises eligible to the chosen fibre measure, %. */
	eligible: 'thematic-eligible',
	/** Number of QPV hosted. */
	qpv: 'thematic-qpv'
} as const;

/**
 * `fill-color` of a categorical layer: class `i` (feature state) takes `colours[i]`, anything else
 * `missing`.
 * @example buildCategoryColourExpression(['#111', '#222'], '#eee')
 * // ['match', ['to-number', ['coalesce', ['feature-state', 'thematic-category'], -1]], 0, '#111', 1, '#222', '#eee']
 */
export function buildCategoryColourExpression(
	colours: readonly string[],
	missing: string
): ExpressionSpecification {
	const input: ExpressionSpecification = [
		'to-number',
		['coalesce', ['feature-state', THEMATIC_STATE.category], -1]
	];
	if (colours.length === 0) return ['case', ['==', input, -2], missing, missing];
	const stops: (number | string)[] = [];
	colours.forEach((colour, i) => stops.push(i, colour));
	return ['match', input, ...stops, missing] as unknown as ExpressionSpecification;
}

/**
 * 1 for territories whose eligible share (feature state) is known and strictly below
 * `thresholdPct`, else 0: the opacity of the white-zone outline.
 */
export function buildWhiteZoneOpacity(thresholdPct: number): ExpressionSpecification {
	const value: ExpressionSpecification = ['feature-state', THEMATIC_STATE.eligible];
	return [
		'case',
		['all', ['==', ['typeof', value], 'number'], ['<', ['to-number', value, 101], thresholdPct]],
		1,
		0
	];
}

/** 1 for territories hosting at least one QPV (feature state), else 0. */
export function buildQpvOpacity(): ExpressionSpecification {
	return [
		'case',
		['>', ['to-number', ['coalesce', ['feature-state', THEMATIC_STATE.qpv], 0]], 0],
		1,
		0
	];
}

/**
 * A filter keeping the features whose `code` property is one of `codes` (the zonings, fixed for the
 * page: set once, not on every change).
 */
export function buildCodeFilter(codes: readonly string[]): ExpressionSpecification {
	return ['in', ['get', 'code'], ['literal', [...codes]]];
}

/**
 * RGBA pixels of a square hatch tile: diagonal lines of `colour` ([r, g, b]) on a transparent
 * ground, for `map.addImage` (no sprite to download). Lines run from bottom-left to top-right
 * (or the other way when `direction` is −1) and repeat seamlessly across tiles.
 * @param size tile side, pixels; @param width line width, pixels.
 */
export function drawHatchPixels(
	size: number,
	width: number,
	colour: readonly [number, number, number],
	direction: 1 | -1 = 1,
	alpha = 255
): Uint8Array {
	const pixels = new Uint8Array(size * size * 4);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			// Distance along the anti-diagonal, wrapped on the tile so neighbouring tiles join up.
			const d = (((direction === 1 ? x + y : x - y) % size) + size) % size;
			if (d < width) {
				const o = (y * size + x) * 4;
				pixels[o] = colour[0];
				pixels[o + 1] = colour[1];
				pixels[o + 2] = colour[2];
				pixels[o + 3] = alpha;
			}
		}
	}
	return pixels;
}
