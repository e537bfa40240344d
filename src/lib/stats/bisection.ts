/**
 * Solve f(x) = 0 on [low, high] by bisection, for a continuous f that changes sign on the interval.
 * Returns the bracketing end nearest to zero when f does not change sign (the caller decides whether
 * that is acceptable) together with `bracketed: false`.
 * @example solveByBisection((x) => x * x - 2, 0, 2).root // ≈ 1.41421
 */
export function solveByBisection(
	f: (x: number) => number,
	low: number,
	high: number,
	tolerance = 1e-9,
	maxIterations = 200
): { root: number; bracketed: boolean } {
	let fLow = f(low);
	const fHigh = f(high);
	if (fLow === 0) return { root: low, bracketed: true };
	if (fHigh === 0) return { root: high, bracketed: true };
	if (Math.sign(fLow) === Math.sign(fHigh)) {
		return { root: Math.abs(fLow) <= Math.abs(fHigh) ? low : high, bracketed: false };
	}
	let a = low;
	let b = high;
	for (let i = 0; i < maxIterations && b - a > tolerance; i++) {
		const mid = (a + b) / 2;
		const fMid = f(mid);
		if (fMid === 0) return { root: mid, bracketed: true };
		if (Math.sign(fMid) === Math.sign(fLow)) {
			a = mid;
			fLow = fMid;
		} else b = mid;
	}
	return { root: (a + b) / 2, bracketed: true };
}
