import { describe, expect, it } from 'vitest';
import { expression as styleExpression } from '@maplibre/maplibre-gl-style-spec';
import {
	buildCategoryColourExpression,
	buildCodeFilter,
	buildQpvOpacity,
	buildWhiteZoneOpacity,
	drawHatchPixels,
	THEMATIC_STATE
} from '$lib/map/thematic-expression';
import { findLayerAbove } from '$lib/map/layer-order';
import { HIGHLIGHT_LAYER_ID, CHOROPLETH_LAYER_ID, THEMATIC_LAYER_ID } from '$lib/map/ids';
import { FRR_HATCHES, hatchSwatchStyle } from '$lib/map/zoning-style';

/** Evaluate a paint or filter expression with MapLibre's own evaluator. */
function evaluate(
	expr: unknown,
	type: 'color' | 'number' | 'boolean',
	state: Record<string, unknown>,
	properties: Record<string, unknown> = {}
): unknown {
	const compiled = styleExpression.createExpression(expr, {
		type,
		'property-type': 'data-driven',
		expression: { interpolated: false, parameters: ['zoom', 'feature', 'feature-state'] },
		transition: false
	} as never);
	if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
	const value = compiled.value.evaluate(
		{ zoom: 8 },
		{ type: 'Polygon', properties } as never,
		state
	) as { toString(): string } | number | boolean;
	return type === 'color' ? String(value) : value;
}

describe('categorical fill-color', () => {
	const expr = buildCategoryColourExpression(['#0072b2', '#56b4e9', '#009e73'], '#e3e3e3');
	it('colours each class index and greys the rest', () => {
		expect(evaluate(expr, 'color', { [THEMATIC_STATE.category]: 0 })).toBe('#0072b2');
		expect(evaluate(expr, 'color', { [THEMATIC_STATE.category]: 2 })).toBe('#009e73');
		expect(evaluate(expr, 'color', { [THEMATIC_STATE.category]: null })).toBe('#e3e3e3');
		expect(evaluate(expr, 'color', {})).toBe('#e3e3e3');
		expect(evaluate(expr, 'color', { [THEMATIC_STATE.category]: 7 })).toBe('#e3e3e3');
	});
	it('is valid with no class yet', () => {
		expect(evaluate(buildCategoryColourExpression([], '#e3e3e3'), 'color', {})).toBe('#e3e3e3');
	});
});

describe('white-zone and QPV opacity', () => {
	it('outlines known shares strictly under the threshold only', () => {
		const expr = buildWhiteZoneOpacity(50);
		const at = (v: unknown) => evaluate(expr, 'number', { [THEMATIC_STATE.eligible]: v });
		expect(at(49.9)).toBe(1);
		expect(at(0)).toBe(1);
		expect(at(50)).toBe(0);
		expect(at(100)).toBe(0);
		expect(at(null)).toBe(0);
		expect(evaluate(expr, 'number', {})).toBe(0);
		expect(evaluate(buildWhiteZoneOpacity(100), 'number', { [THEMATIC_STATE.eligible]: 99 })).toBe(
			1
		);
	});
	it('outlines territories hosting at least one QPV', () => {
		const expr = buildQpvOpacity();
		expect(evaluate(expr, 'number', { [THEMATIC_STATE.qpv]: 3 })).toBe(1);
		expect(evaluate(expr, 'number', { [THEMATIC_STATE.qpv]: 0 })).toBe(0);
		expect(evaluate(expr, 'number', {})).toBe(0);
	});
	it('filters features by code', () => {
		const filter = buildCodeFilter(['80021', '02691']);
		expect(evaluate(filter, 'boolean', {}, { code: '02691' })).toBe(true);
		expect(evaluate(filter, 'boolean', {}, { code: '59350' })).toBe(false);
	});
});

describe('hatch tiles', () => {
	it('draws diagonal lines that tile seamlessly', () => {
		const size = 8;
		const pixels = drawHatchPixels(size, 2, [0, 158, 115], 1);
		expect(pixels).toHaveLength(size * size * 4);
		const alpha = (x: number, y: number) => pixels[(y * size + x) * 4 + 3];
		expect(alpha(0, 0)).toBe(255);
		expect(alpha(1, 0)).toBe(255);
		expect(alpha(4, 0)).toBe(0);
		// Along the anti-diagonal x + y = size the line continues into the next tile.
		expect(alpha(7, 1)).toBe(255);
		expect([pixels[0], pixels[1], pixels[2]]).toEqual([0, 158, 115]);
		let painted = 0;
		for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
		expect(painted).toBe(size * 2);
	});
	it('gives each FRR class its own pattern and a matching legend swatch', () => {
		const signatures = FRR_HATCHES.map((h) => `${h.colour}|${h.direction}|${h.size}|${h.width}`);
		expect(new Set(signatures).size).toBe(FRR_HATCHES.length);
		expect(hatchSwatchStyle(FRR_HATCHES[0])).toContain(FRR_HATCHES[0].colour);
	});
});

describe('thematic layer order', () => {
	it('draws overlays above the choropleth and under the highlight', () => {
		const existing = new Set<string>([CHOROPLETH_LAYER_ID.commune, HIGHLIGHT_LAYER_ID.commune]);
		expect(findLayerAbove(THEMATIC_LAYER_ID.whiteZone.commune, (id) => existing.has(id))).toBe(
			HIGHLIGHT_LAYER_ID.commune
		);
		expect(
			findLayerAbove(CHOROPLETH_LAYER_ID.commune, (id) => id === THEMATIC_LAYER_ID.frrHatch)
		).toBe(THEMATIC_LAYER_ID.frrHatch);
	});
});
