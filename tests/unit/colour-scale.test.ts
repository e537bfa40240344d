import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { color } from 'd3';
import {
	buildColourScale,
	classOf,
	describeClasses,
	jenksBreaks,
	limitDigits,
	MAX_CLASSES,
	NO_DATA_COLOUR,
	PALETTE_IDS,
	paletteColours,
	quantileBreaks
} from '$lib/charts/colour-scale';

/** FttH share of the 101 communes of the Territoire de Belfort (ARCEP, real extract). */
const fibre90 = readFileSync(
	new URL('../fixtures/colour-scale/fibre-ftth-90.csv', import.meta.url),
	'utf8'
)
	.trim()
	.split('\n')
	.slice(1)
	.map((line) => Number(line.split(',')[3]));

/** Within-class sum of squares of a partition given by thresholds (value ≥ threshold goes up). */
function withinSsq(values: number[], thresholds: number[]): number {
	const classes = new Map<number, number[]>();
	for (const v of values) {
		let k = 0;
		while (k < thresholds.length && v >= thresholds[k]) k++;
		classes.set(k, [...(classes.get(k) ?? []), v]);
	}
	let total = 0;
	for (const members of classes.values()) {
		const mean = members.reduce((a, b) => a + b, 0) / members.length;
		for (const v of members) total += (v - mean) ** 2;
	}
	return total;
}

/** Best within-class SSQ over every split of sorted values into k non-empty classes (brute force). */
function bruteForceBest(values: number[], k: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	let best = Infinity;
	const choose = (start: number, left: number, cuts: number[]) => {
		if (left === 0) {
			best = Math.min(
				best,
				withinSsq(
					sorted,
					cuts.map((i) => sorted[i])
				)
			);
			return;
		}
		for (let i = start; i <= sorted.length - left; i++) choose(i + 1, left - 1, [...cuts, i]);
	};
	choose(1, k - 1, []);
	return best;
}

/** WCAG relative luminance of a colour. */
function luminance(hex: string): number {
	const { r, g, b } = color(hex)!.rgb();
	const lin = (c: number) => {
		const s = c / 255;
		return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

describe('palettes', () => {
	it.each(PALETTE_IDS)('%s gives k distinct colours from light to dark for k = 1…9', (palette) => {
		for (let k = 1; k <= MAX_CLASSES; k++) {
			const colours = paletteColours(palette, k);
			expect(colours).toHaveLength(k);
			expect(new Set(colours).size).toBe(k);
			for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/);
			for (let i = 1; i < k; i++)
				expect(luminance(colours[i])).toBeLessThan(luminance(colours[i - 1]));
			expect(colours).not.toContain(NO_DATA_COLOUR);
		}
	});

	it('uses the published ColorBrewer YlGnBu steps', () => {
		expect(paletteColours('ylgnbu', 5)).toEqual([
			'#ffffcc',
			'#a1dab4',
			'#41b6c4',
			'#2c7fb8',
			'#253494'
		]);
	});
});

describe('quantile breaks', () => {
	it('splits evenly spaced values into equal groups', () => {
		expect(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8], 4)).toEqual([2.75, 4.5, 6.25]);
	});

	it('ignores missing values and collapses ties (many communes at 100 %)', () => {
		const breaks = quantileBreaks([...fibre90, null, Number.NaN, undefined], 6);
		expect(breaks.length).toBeLessThanOrEqual(5);
		for (let i = 1; i < breaks.length; i++) expect(breaks[i]).toBeGreaterThan(breaks[i - 1]);
		// 21 of the 101 communes are at 100 %: the top class holds exactly them.
		expect(breaks.at(-1)).toBe(100);
		expect(fibre90.filter((v) => v >= 100)).toHaveLength(21);
	});

	it('puts about the same number of communes in each class', () => {
		const breaks = quantileBreaks(fibre90, 4);
		const counts = [0, 0, 0, 0];
		for (const v of fibre90) {
			let k = 0;
			while (k < breaks.length && v >= breaks[k]) k++;
			counts[k]++;
		}
		for (const c of counts) expect(Math.abs(c - fibre90.length / 4)).toBeLessThanOrEqual(6);
	});

	it('returns no threshold for no data, one class or one distinct value', () => {
		expect(quantileBreaks([], 5)).toEqual([]);
		expect(quantileBreaks([3, 1, 2], 1)).toEqual([]);
		expect(quantileBreaks([7, 7, 7], 5)).toEqual([]);
	});
});

describe('Jenks natural breaks', () => {
	it('finds the obvious groups', () => {
		expect(jenksBreaks([1, 2, 3, 10, 11, 12, 30, 31], 3)).toEqual([10, 30]);
	});

	it('is optimal: matches a brute-force search on real values', () => {
		const sample = fibre90.slice(0, 14);
		for (const k of [2, 3, 4]) {
			const breaks = jenksBreaks(sample, k);
			expect(breaks).toHaveLength(k - 1);
			expect(withinSsq(sample, breaks)).toBeCloseTo(bruteForceBest(sample, k), 6);
		}
	});

	it('never does worse than quantiles on the same classes', () => {
		for (const k of [3, 5, 6]) {
			expect(withinSsq(fibre90, jenksBreaks(fibre90, k))).toBeLessThanOrEqual(
				withinSsq(fibre90, quantileBreaks(fibre90, k)) + 1e-9
			);
		}
	});

	it('handles fewer distinct values than classes, and 35,000 values', () => {
		expect(jenksBreaks([5, 5, 9, 9], 4)).toEqual([9]);
		expect(jenksBreaks([], 4)).toEqual([]);
		// A large skewed sample built from the real values (each repeated with a deterministic offset).
		const many = Array.from(
			{ length: 35_000 },
			(_, i) => fibre90[i % fibre90.length] * (1 + (i % 97) / 50)
		);
		const breaks = jenksBreaks(many, 6);
		expect(breaks).toHaveLength(5);
		expect([...breaks].sort((a, b) => a - b)).toEqual(breaks);
	});
});

describe('colour scale and legend text', () => {
	it('builds classes with one colour each and classes values like the map does', () => {
		const scale = buildColourScale(fibre90, { method: 'quantile', classes: 6, palette: 'ylgnbu' })!;
		expect(scale.colours).toHaveLength(scale.breaks.length + 1);
		expect(scale.min).toBe(Math.min(...fibre90));
		expect(scale.max).toBe(100);
		expect(scale.count).toBe(101);
		expect(classOf(scale, scale.min)).toBe(0);
		expect(classOf(scale, scale.breaks[0])).toBe(1);
		expect(classOf(scale, 100)).toBe(scale.breaks.length);
		expect(
			buildColourScale([null, Number.NaN], { method: 'jenks', classes: 5, palette: 'pubu' })
		).toBeNull();
	});

	it('writes class limits in French, with the unit and no-break spaces', () => {
		const scale = buildColourScale([0.5, 12.25, 40, 55.5, 1234.5, 20000], {
			method: 'quantile',
			classes: 3,
			palette: 'viridis'
		})!;
		const lines = describeClasses(scale, 'hab./km²', 0);
		// Thresholds at ranks 5/3 and 10/3 of 0…5: 12.25 + ⅔·27.75 = 30.75 and 55.5 + ⅓·1179 = 448.5.
		expect(scale.breaks[0]).toBeCloseTo(30.75, 9);
		expect(scale.breaks[1]).toBeCloseTo(448.5, 9);
		expect(lines.map((l) => l.label)).toEqual([
			'de 1 à 31\u00a0hab./km²',
			'de 31 à 448\u00a0hab./km²',
			'de 448 à 20\u202f000\u00a0hab./km²'
		]);
		expect(lines[0].from).toBe(0.5);
		expect(lines.at(-1)!.to).toBe(20000);
	});

	it('adds decimals only when limits would look equal, and shows single-value classes once', () => {
		const scale = buildColourScale(fibre90, { method: 'quantile', classes: 6, palette: 'ylgnbu' })!;
		const labels = describeClasses(scale, '%', 1).map((l) => l.label);
		expect(labels.at(-1)).toBe('100,0\u00a0%');
		expect(labels[0]).toMatch(/^de \d+,\d à \d+,\d\u00a0%$/);
		expect(new Set(labels).size).toBe(labels.length);
		expect(limitDigits([0.12, 0.14], 0)).toBe(2);
		expect(limitDigits([12.3, 45.2], 1)).toBe(1);
	});
});
