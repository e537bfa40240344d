/**
 * Class breaks and colour ramps for choropleth maps and their legends: quantiles, Jenks natural
 * breaks (computed exactly, as an optimal 1-D k-means), colour-blind-safe sequential palettes and the
 * French text of class limits. Pure functions: the map turns a `ColourScale` into a MapLibre
 * expression (see `$lib/map/choropleth-expression.ts`) and the legend draws it in HTML.
 */
import {
	color,
	interpolateCividis,
	interpolateViridis,
	quantileSorted,
	schemePuBu,
	schemeYlGnBu,
	schemeYlOrBr,
	schemePuRd
} from 'd3';
import { formatDecimal } from '$lib/format/number';

export type ClassificationMethod = 'quantile' | 'jenks';

/** French names of the classification methods, for selects and legends. */
export const CLASSIFICATION_LABELS: Record<ClassificationMethod, string> = {
	quantile: 'Quantiles (effectifs égaux)',
	jenks: 'Seuils naturels (Jenks)'
};

/**
 * Sequential palettes, all ordered from light (low values) to dark (high values).
 * ColorBrewer sequential schemes (Brewer & Harrower, colorbrewer2.org) are flagged "colorblind safe";
 * viridis and cividis (Nuñez et al. 2018, PLoS ONE 13(7)) were designed for colour-vision deficiency.
 */
export type PaletteId = 'ylgnbu' | 'pubu' | 'ylorbr' | 'purd' | 'viridis' | 'cividis';

export const PALETTE_IDS: readonly PaletteId[] = [
	'ylgnbu',
	'pubu',
	'ylorbr',
	'purd',
	'viridis',
	'cividis'
];

/** Fewest and most classes a legend can show (ColorBrewer schemes exist for 3 to 9). */
export const MIN_CLASSES = 1;
export const MAX_CLASSES = 9;

/**
 * Colour of territories without a value: a mid grey, distinct from every ramp's lightest step and
 * from the map background.
 */
export const NO_DATA_COLOUR = '#c4c4c4';

const BREWER: Record<Exclude<PaletteId, 'viridis' | 'cividis'>, readonly (readonly string[])[]> = {
	ylgnbu: schemeYlGnBu,
	pubu: schemePuBu,
	ylorbr: schemeYlOrBr,
	purd: schemePuRd
};

/**
 * `classes` colours of a palette, light to dark, as `#rrggbb`.
 * @example paletteColours('ylgnbu', 5) // ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494']
 */
export function paletteColours(palette: PaletteId, classes: number): string[] {
	const k = Math.max(MIN_CLASSES, Math.min(MAX_CLASSES, Math.round(classes)));
	if (palette === 'viridis' || palette === 'cividis') {
		// Both ramps run dark → light; reverse them so that, as for ColorBrewer, darker means more.
		// The ends are trimmed (0.05–0.95) so the lightest class stays visible on a light basemap.
		const interpolate = palette === 'viridis' ? interpolateViridis : interpolateCividis;
		return Array.from({ length: k }, (_, i) => {
			const t = k === 1 ? 0.5 : 0.95 - (0.9 * i) / (k - 1);
			return color(interpolate(t))!.formatHex();
		});
	}
	const scheme = BREWER[palette];
	if (k >= 3) return [...scheme[k]];
	// ColorBrewer starts at 3 classes: take the ends (2 classes) or the middle (1 class) of the 3-step ramp.
	return k === 2 ? [scheme[3][0], scheme[3][2]] : [scheme[3][1]];
}

function sortedFinite(values: Iterable<number | null | undefined>): number[] {
	const sorted: number[] = [];
	for (const v of values) if (v !== null && v !== undefined && Number.isFinite(v)) sorted.push(v);
	return sorted.sort((a, b) => a - b);
}

/** Keep thresholds that split the data: strictly increasing and strictly above the minimum. */
function cleanThresholds(thresholds: number[], min: number): number[] {
	const out: number[] = [];
	for (const t of thresholds)
		if (t > min && (out.length === 0 || t > out[out.length - 1])) out.push(t);
	return out;
}

/**
 * Quantile thresholds: the `classes − 1` values that split the sorted values into groups of (nearly)
 * equal size. Ties collapse: with many equal values (e.g. 100 % fibre) fewer thresholds come back.
 * A value equal to a threshold belongs to the class above it.
 * @example quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8], 4) // [2.75, 4.5, 6.25]
 */
export function quantileBreaks(
	values: Iterable<number | null | undefined>,
	classes: number
): number[] {
	const sorted = sortedFinite(values);
	if (sorted.length === 0 || classes < 2) return [];
	const thresholds: number[] = [];
	for (let i = 1; i < classes; i++) thresholds.push(quantileSorted(sorted, i / classes)!);
	return cleanThresholds(thresholds, sorted[0]);
}

/**
 * Jenks natural breaks: the partition of the sorted values into `classes` groups that minimises the
 * within-class sum of squared deviations (Jenks 1977; computed exactly by dynamic programming as in
 * Wang & Song 2011, "Ckmeans.1d.dp", with the divide-and-conquer step that keeps it O(k·n·log n), so
 * 35,000 communes take milliseconds). Returns the thresholds: the smallest value of each class after
 * the first. Fewer thresholds come back when there are fewer distinct values than classes.
 * @example jenksBreaks([1, 2, 3, 10, 11, 12, 30, 31], 3) // [10, 30]
 */
export function jenksBreaks(
	values: Iterable<number | null | undefined>,
	classes: number
): number[] {
	const sorted = sortedFinite(values);
	const n = sorted.length;
	if (n === 0 || classes < 2) return [];
	const distinct = new Set(sorted).size;
	const k = Math.min(classes, distinct);
	if (k < 2) return [];
	// Shift by the median so the prefix sums of squares keep their precision.
	const shift = sorted[n >> 1];
	const sum = new Float64Array(n + 1);
	const sumSq = new Float64Array(n + 1);
	for (let i = 0; i < n; i++) {
		const x = sorted[i] - shift;
		sum[i + 1] = sum[i] + x;
		sumSq[i + 1] = sumSq[i] + x * x;
	}
	/** Sum of squared deviations of sorted[j..i] (inclusive) from their mean. */
	const ssq = (j: number, i: number): number => {
		const count = i - j + 1;
		const s = sum[i + 1] - sum[j];
		return Math.max(0, sumSq[i + 1] - sumSq[j] - (s * s) / count);
	};
	// cost[q][i]: best cost of splitting sorted[0..i] into q + 1 classes; start[q][i]: first index of
	// the last class in that best split.
	const cost: Float64Array[] = [];
	const start: Int32Array[] = [];
	cost.push(new Float64Array(n));
	start.push(new Int32Array(n));
	for (let i = 0; i < n; i++) cost[0][i] = ssq(0, i);
	for (let q = 1; q < k; q++) {
		const row = new Float64Array(n).fill(Infinity);
		const from = new Int32Array(n);
		const previous = cost[q - 1];
		// The optimal start of the last class never moves left as i grows (monotone), so each row is
		// filled by divide and conquer over i with a shrinking window of candidate starts.
		const fill = (lo: number, hi: number, jLo: number, jHi: number): void => {
			if (lo > hi) return;
			const mid = (lo + hi) >> 1;
			let best = Infinity;
			let bestJ = Math.max(q, jLo);
			for (let j = Math.max(q, jLo); j <= Math.min(mid, jHi); j++) {
				const c = previous[j - 1] + ssq(j, mid);
				if (c < best) {
					best = c;
					bestJ = j;
				}
			}
			row[mid] = best;
			from[mid] = bestJ;
			fill(lo, mid - 1, jLo, bestJ);
			fill(mid + 1, hi, bestJ, jHi);
		};
		fill(q, n - 1, q, n - 1);
		cost.push(row);
		start.push(from);
	}
	const thresholds: number[] = [];
	let end = n - 1;
	for (let q = k - 1; q >= 1; q--) {
		const j = start[q][end];
		thresholds.unshift(sorted[j]);
		end = j - 1;
	}
	return cleanThresholds(thresholds, sorted[0]);
}

/** A classed colour scale: values below `breaks[0]` get `colours[0]`, and so on. */
export interface ColourScale {
	method: ClassificationMethod;
	palette: PaletteId;
	/** Strictly increasing thresholds; a value equal to a threshold belongs to the class above. */
	breaks: number[];
	/** One colour per class: `breaks.length + 1`. */
	colours: string[];
	/** Smallest and largest value classed. */
	min: number;
	max: number;
	/** Number of values classed (territories with a value). */
	count: number;
}

export interface ColourScaleOptions {
	method: ClassificationMethod;
	/** Wanted number of classes (3 to 9 for a readable legend); ties may give fewer. */
	classes: number;
	palette: PaletteId;
}

/**
 * Class the values and give each class a colour of the palette. Returns null when no value is
 * finite (nothing to draw; the legend then says the data are missing).
 */
export function buildColourScale(
	values: Iterable<number | null | undefined>,
	options: ColourScaleOptions
): ColourScale | null {
	const sorted = sortedFinite(values);
	if (sorted.length === 0) return null;
	const breaks =
		options.method === 'jenks'
			? jenksBreaks(sorted, options.classes)
			: quantileBreaks(sorted, options.classes);
	return {
		method: options.method,
		palette: options.palette,
		breaks,
		colours: paletteColours(options.palette, breaks.length + 1),
		min: sorted[0],
		max: sorted[sorted.length - 1],
		count: sorted.length
	};
}

/** Index of the class of `value` in `scale` (same rule as the map: a value on a threshold goes up). */
export function classOf(scale: ColourScale, value: number): number {
	let index = 0;
	while (index < scale.breaks.length && value >= scale.breaks[index]) index++;
	return index;
}

/** One line of a legend. */
export interface LegendClass {
	colour: string;
	/** Lower and upper limits of the class (the data's min and max at the ends). */
	from: number;
	to: number;
	/** French text, e.g. `de 45,2 à 67,8 %`. */
	label: string;
}

/**
 * Decimals needed so that distinct class limits stay distinct once rounded, between `minDigits`
 * and 3 (e.g. limits 0.12 and 0.14 need 2 decimals where 12.3 and 45.2 need 1).
 */
export function limitDigits(limits: readonly number[], minDigits: number): number {
	const distinct = [...new Set(limits)];
	for (let digits = minDigits; digits < 3; digits++) {
		const texts = new Set(distinct.map((v) => formatDecimal(v, digits)));
		if (texts.size === distinct.length) return digits;
	}
	return Math.max(minDigits, 3);
}

/**
 * The legend lines of a scale in French: `de 12,3 à 45,2 %`, or the single value when a class holds
 * one value only (`100,0 %`). Numbers use the French format (decimal comma, narrow no-break space
 * between thousands) with at least `digits` decimals, more when two limits would look equal.
 * @param unit appended after the upper limit with a no-break space (`%`, `hab./km²`), or empty.
 */
export function describeClasses(scale: ColourScale, unit: string, digits: number): LegendClass[] {
	const limits = [scale.min, ...scale.breaks, scale.max];
	const d = limitDigits(limits, digits);
	const suffix = unit ? `\u00a0${unit}` : '';
	return scale.colours.map((colour, i) => {
		const from = limits[i];
		const to = limits[i + 1];
		const fromText = formatDecimal(from, d);
		const toText = formatDecimal(to, d);
		const label =
			fromText === toText ? `${toText}${suffix}` : `de ${fromText} à ${toText}${suffix}`;
		return { colour, from, to, label };
	});
}
