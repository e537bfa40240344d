/**
 * Normalisation of one criterion over the ranked set: rank-based, so a value far above the others
 * (Paris's 300,000 people éloignés, a commune 80 km from any place) weighs like any top value
 * instead of crushing every other territory to 0, as a min–max scaling would.
 */

export interface NormalisedCriterion {
	/** Normalised value per row, in [0, 1]; 1 = the most in need in the set. */
	normalised: Float64Array;
	/** 1 where the value is unknown (and the normalised value is the median, see below). */
	missing: Uint8Array;
	/** Rows with a known value. */
	known: number;
}

/**
 * Rescaled mid-rank of each value: rows are ranked by value, tied values share their average rank,
 * and ranks are stretched to [0, 1] so the lowest value gets 0 and the highest 1 (a yes/no criterion
 * stays 0/1; when every value is equal the criterion says nothing and all get 0).
 * Unknown values (NaN) get the median of the known normalised values: a "typical" territory, which
 * neither lifts nor sinks the row, and are flagged in `missing`.
 * @param values one value per row, oriented so that larger = more in need; NaN = unknown
 * @example normaliseByRank(Float64Array.of(1, 5, 5, 300)).normalised // [0, 0.5, 0.5, 1]
 */
export function normaliseByRank(values: Float64Array): NormalisedCriterion {
	const n = values.length;
	const normalised = new Float64Array(n);
	const missing = new Uint8Array(n);
	let known = 0;
	for (let i = 0; i < n; i++) {
		if (Number.isNaN(values[i])) missing[i] = 1;
		else known++;
	}
	// Native numeric sort of the known values (no comparator callback); "+ 0" turns −0 into +0 so
	// that a negated 0 ties with 0.
	const sorted = new Float64Array(known);
	for (let i = 0, p = 0; i < n; i++) if (!missing[i]) sorted[p++] = values[i] + 0;
	sorted.sort();
	// A value's mid-rank (0-based) is the middle of its run of equal values in `sorted`.
	const midRank = (v: number): number => (lowerBound(sorted, v) + upperBound(sorted, v) - 1) / 2;
	const lowest = known > 0 ? midRank(sorted[0]) : 0;
	const span = known > 0 ? midRank(sorted[known - 1]) - lowest : 0;
	for (let i = 0; i < n; i++) {
		if (!missing[i]) normalised[i] = span > 0 ? (midRank(values[i] + 0) - lowest) / span : 0;
	}
	if (known < n) {
		// The median of the known normalised values (normalisation keeps the order of `sorted`).
		let median = 0;
		if (known > 0) {
			const lower = sorted[Math.floor((known - 1) / 2)];
			const upper = sorted[Math.ceil((known - 1) / 2)];
			median = span > 0 ? ((midRank(lower) + midRank(upper)) / 2 - lowest) / span : 0;
		}
		for (let i = 0; i < n; i++) if (missing[i]) normalised[i] = median;
	}
	return { normalised, missing, known };
}

/** First index of `sorted` whose value is ≥ v. */
function lowerBound(sorted: Float64Array, v: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] < v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** First index of `sorted` whose value is > v. */
function upperBound(sorted: Float64Array, v: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] <= v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
