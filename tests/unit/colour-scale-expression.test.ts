import { describe, expect, it } from 'vitest';
import { expression as styleExpression } from '@maplibre/maplibre-gl-style-spec';
import { buildColourScale, classOf, NO_DATA_COLOUR } from '$lib/charts/colour-scale';
import { buildFillColourExpression, buildStateSwitch } from '$lib/map/choropleth-expression';
import { findLayerAbove } from '$lib/map/layer-order';
import {
	BASEMAP_LAYER_ID,
	CHOROPLETH_LAYER_ID,
	HIGHLIGHT_LAYER_ID,
	LAYER_ORDER
} from '$lib/map/ids';

/** Evaluate a fill-color expression with MapLibre's own evaluator (its colours print as `#rrggbb`). */
function evaluate(expr: unknown, state: Record<string, unknown>): string {
	const compiled = styleExpression.createExpression(expr, {
		type: 'color',
		'property-type': 'data-driven',
		expression: { interpolated: false, parameters: ['zoom', 'feature', 'feature-state'] },
		transition: false
	} as never);
	if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
	const colour = compiled.value.evaluate(
		{ zoom: 5 },
		{ type: 'Polygon', properties: {} } as never,
		state
	) as {
		toString(): string;
	};
	return colour.toString();
}

describe('choropleth fill-color expression', () => {
	const values = [2, 4, 4, 8, 16, 32, 64, 90, 100, 100];
	const scale = buildColourScale(values, { method: 'quantile', classes: 4, palette: 'ylgnbu' })!;
	const expr = buildFillColourExpression(scale);

	it('is a valid MapLibre expression that colours like classOf', () => {
		for (const v of [...values, 0, 3.5, 50, 99.9]) {
			expect(evaluate(expr, { value: v })).toBe(scale.colours[classOf(scale, v)]);
		}
	});

	it('gives the no-data grey to missing or non-numeric values', () => {
		expect(evaluate(expr, {})).toBe(NO_DATA_COLOUR);
		expect(evaluate(expr, { value: null })).toBe(NO_DATA_COLOUR);
		expect(evaluate(expr, { value: 'n/a' })).toBe(NO_DATA_COLOUR);
	});

	it('handles a single class and no scale at all', () => {
		const single = buildColourScale([5, 5, 5], { method: 'jenks', classes: 5, palette: 'pubu' })!;
		expect(single.breaks).toEqual([]);
		expect(evaluate(buildFillColourExpression(single), { value: 5 })).toBe(single.colours[0]);
		// Still data-driven without a scale (MapLibre cannot switch kinds while tiles load).
		const none = buildFillColourExpression(null);
		expect(JSON.stringify(none)).toContain('feature-state');
		expect(evaluate(none, { value: 5 })).toBe(NO_DATA_COLOUR);
		expect(evaluate(none, {})).toBe(NO_DATA_COLOUR);
	});

	it('switches on selected before hover', () => {
		const expr = buildStateSwitch(3, 2, 0);
		const compiled = styleExpression.createExpression(expr, {
			type: 'number',
			'property-type': 'data-driven',
			expression: { interpolated: false, parameters: ['zoom', 'feature', 'feature-state'] },
			transition: false
		} as never);
		expect(compiled.result).toBe('success');
		const at = (state: Record<string, unknown>) =>
			(compiled.value as { evaluate: (...a: unknown[]) => number }).evaluate(
				{ zoom: 5 },
				{ properties: {} },
				state
			);
		expect(at({ selected: true, hover: true })).toBe(3);
		expect(at({ hover: true })).toBe(2);
		expect(at({})).toBe(0);
	});
});

describe('layer order', () => {
	it('inserts each layer below the first existing layer that must stay above it', () => {
		const existing = new Set<string>([
			BASEMAP_LAYER_ID.background,
			CHOROPLETH_LAYER_ID.departement,
			BASEMAP_LAYER_ID.departementBorders,
			HIGHLIGHT_LAYER_ID.departement
		]);
		const has = (id: string) => existing.has(id);
		// The commune choropleth arrives late but must go under the reference borders.
		expect(findLayerAbove(CHOROPLETH_LAYER_ID.commune, has)).toBe(
			BASEMAP_LAYER_ID.departementBorders
		);
		expect(findLayerAbove(BASEMAP_LAYER_ID.land, has)).toBe(CHOROPLETH_LAYER_ID.departement);
		expect(findLayerAbove(HIGHLIGHT_LAYER_ID.commune, has)).toBeUndefined();
		expect(findLayerAbove('not-a-layer', has)).toBeUndefined();
		expect(new Set(LAYER_ORDER).size).toBe(LAYER_ORDER.length);
		for (const id of LAYER_ORDER) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
	});
});
