/**
 * Proportional circles: a circle's AREA is proportional to the value (radius ∝ √value, d3
 * `scaleSqrt` from 0), so that a territory with four times as many people gets a circle four
 * times as large to the eye, not sixteen. Radii are in screen pixels at zoom 6 and grow by √2 per
 * zoom level in, up to zoom 11 (the map's area grows ×4 per level: circles grow half as fast, so
 * communes' circles become readable when zoomed in without covering the map). The legend draws its
 * reference circles with the same zoom factor, so it stays true at the current zoom.
 */
import { scaleSqrt } from 'd3';
import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Level } from '$lib/territory/commune';
import { formatInteger } from '$lib/format/number';

/**
 * Radius of the largest circle of each level, CSS pixels: coarse levels have few, large
 * territories; at the commune level the largest city must not hide its neighbours.
 */
export const MAX_CIRCLE_RADIUS_PX: Readonly<Record<Level, number>> = {
	region: 44,
	departement: 30,
	epci: 22,
	commune: 18
};

/** Zoom at which `CircleScale.radius` is the drawn radius. */
export const CIRCLE_REFERENCE_ZOOM = 6;
/** Circles stop growing beyond this zoom. */
const CIRCLE_MAX_GROWTH_ZOOM = 11;
/** Integer zooms where the growth is exact; MapLibre interpolates linearly in between. */
const ZOOM_STOPS = Array.from({ length: CIRCLE_MAX_GROWTH_ZOOM - 1 }, (_, i) => i + 2);

const exactGrowth = (zoom: number) => 2 ** ((zoom - CIRCLE_REFERENCE_ZOOM) / 2);

/**
 * How much larger circles are drawn at `zoom` than at zoom 6: √2 per zoom level from zoom 2 to 11,
 * linear between integer zooms (the same as the MapLibre expression), constant outside.
 */
export function circleZoomFactor(zoom: number): number {
	const first = ZOOM_STOPS[0];
	const last = ZOOM_STOPS[ZOOM_STOPS.length - 1];
	if (!(zoom > first)) return exactGrowth(first);
	if (zoom >= last) return exactGrowth(last);
	const low = Math.floor(zoom);
	const t = zoom - low;
	return exactGrowth(low) * (1 - t) + exactGrowth(low + 1) * t;
}

export interface CircleScale {
	/** Largest value, drawn with `maxRadius`. */
	max: number;
	/** CSS pixels. */
	maxRadius: number;
	/** radius = factor × √value. */
	factor: number;
	/** Radius of a value, CSS pixels (0 for values ≤ 0). */
	radius(value: number): number;
}

/**
 * The sqrt scale from 0 (radius 0) to the largest value (radius `maxRadius`).
 * @param values e.g. persons per territory; non-finite values are ignored
 * @param maxRadius CSS pixels
 * @example buildCircleScale([100, 400], 20).radius(100) // 10
 */
export function buildCircleScale(values: Iterable<number>, maxRadius: number): CircleScale {
	let max = 0;
	for (const v of values) if (Number.isFinite(v) && v > max) max = v;
	const scale = scaleSqrt()
		.domain([0, max > 0 ? max : 1])
		.range([0, maxRadius])
		.clamp(true);
	return {
		max,
		maxRadius,
		factor: maxRadius / Math.sqrt(max > 0 ? max : 1),
		radius: (value) => (Number.isFinite(value) && value > 0 ? scale(value) : 0)
	};
}

/** The largest « round » number (1, 2 or 5 × 10ⁿ) not above `value` (0 below 1). */
export function floorToRoundNumber(value: number): number {
	if (!(value >= 1)) return 0;
	const power = 10 ** Math.floor(Math.log10(value));
	for (const step of [5, 2, 1]) if (step * power <= value) return step * power;
	return power;
}

export interface ReferenceCircle {
	value: number;
	/** CSS pixels. */
	radius: number;
	/** French label: `50 000`. */
	label: string;
}

/**
 * Two or three reference circles for the legend, drawn as on the map at `zoom`: round values
 * near the largest value (or near the value drawn `maxLegendRadius` wide, when zoomed in far
 * enough that the largest circle would not fit the panel), a quarter and a twenty-fifth of it,
 * largest first.
 * @param maxLegendRadius CSS pixels
 */
export function pickReferenceCircles(
	scale: CircleScale,
	zoom = CIRCLE_REFERENCE_ZOOM,
	maxLegendRadius = 50
): ReferenceCircle[] {
	const growth = circleZoomFactor(zoom);
	const fitting = (maxLegendRadius / (growth * scale.factor)) ** 2;
	const top = Math.min(scale.max, fitting);
	const values = [top, top / 4, top / 25].map(floorToRoundNumber);
	const unique = [...new Set(values)].filter((v) => v > 0);
	return unique.map((value) => ({
		value,
		radius: scale.radius(value) * growth,
		label: formatInteger(value)
	}));
}

/**
 * The MapLibre `circle-radius` expression of the scale, reading the feature property `property`
 * (same radius as `scale.radius`).
 */
export function buildCircleRadiusExpression(
	scale: CircleScale,
	property: string
): ExpressionSpecification {
	const root: ExpressionSpecification = ['sqrt', ['max', 0, ['to-number', ['get', property], 0]]];
	// MapLibre accepts ['zoom'] only as the input of a top-level interpolate.
	return [
		'interpolate',
		['linear'],
		['zoom'],
		...ZOOM_STOPS.flatMap((z) => [z, ['*', scale.factor * exactGrowth(z), root]])
	] as ExpressionSpecification;
}
