import { describe, expect, it } from 'vitest';
import {
	categoricalColours,
	countPaletteColours,
	describeCategories,
	NO_CATEGORY_COLOUR,
	type CategoricalPaletteId
} from '$lib/charts/categorical';

/** Relative luminance (WCAG 2.1) of a `#rrggbb` colour. */
function luminance(hex: string): number {
	const channel = (i: number) => {
		const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

describe('categoricalColours', () => {
	it.each<[CategoricalPaletteId, number]>([
		['okabe-ito', 7],
		['tol-muted', 9]
	])('%s gives up to %i distinct hex colours, in a fixed order', (palette, size) => {
		expect(countPaletteColours(palette)).toBe(size);
		const colours = categoricalColours(palette, size);
		expect(colours).toHaveLength(size);
		expect(new Set(colours).size).toBe(size);
		for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/);
		// A prefix of the full list: adding a class never recolours the others.
		expect(categoricalColours(palette, 3)).toEqual(colours.slice(0, 3));
		expect(colours).not.toContain(NO_CATEGORY_COLOUR);
	});

	it('starts Okabe–Ito with its blue and leaves out black (it would hide the borders)', () => {
		expect(categoricalColours('okabe-ito', 2)).toEqual(['#0072b2', '#56b4e9']);
		expect(categoricalColours('okabe-ito', 7)).not.toContain('#000000');
	});

	it('refuses more classes than colours rather than reuse one', () => {
		expect(() => categoricalColours('okabe-ito', 8)).toThrow(RangeError);
		expect(() => categoricalColours('tol-muted', -1)).toThrow(/palette « tol-muted » a 9 couleurs/);
	});

	it('keeps the "no class" grey lighter than every class colour', () => {
		const grey = luminance(NO_CATEGORY_COLOUR);
		for (const palette of ['okabe-ito', 'tol-muted'] as const) {
			for (const c of categoricalColours(palette, countPaletteColours(palette))) {
				expect(luminance(c)).toBeLessThan(grey);
			}
		}
	});
});

describe('describeCategories', () => {
	it('lists the classes that occur with their counts, then the missing line', () => {
		const items = describeCategories(
			['A', 'B', 'C'],
			'okabe-ito',
			[0, 2, 2, null, 0, 2],
			'Sans classe'
		);
		expect(items).toEqual([
			{ index: 0, label: 'A', colour: '#0072b2', count: 2 },
			{ index: 2, label: 'C', colour: '#009e73', count: 3 },
			{ index: null, label: 'Sans classe', colour: NO_CATEGORY_COLOUR, count: 1 }
		]);
	});

	it('has no missing line when every territory has a class', () => {
		const items = describeCategories(['A', 'B'], 'tol-muted', [1, 1], 'Sans classe');
		expect(items).toEqual([{ index: 1, label: 'B', colour: '#88ccee', count: 2 }]);
	});
});
