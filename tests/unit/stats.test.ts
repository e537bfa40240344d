import { describe, expect, it } from 'vitest';
import { fitLinear, predictionSd, predictLinear } from '$lib/stats/least-squares';
import { pearsonCorrelation, rankWithTies, spearmanCorrelation } from '$lib/stats/rank-correlation';
import { solveByBisection } from '$lib/stats/bisection';

describe('fitLinear', () => {
	it('recovers an exact line with zero residual', () => {
		const fit = fitLinear([1, 2, 3, 4].map((x) => ({ x, y: 3 + 2 * x })));
		expect(fit.intercept).toBeCloseTo(3, 12);
		expect(fit.slope).toBeCloseTo(2, 12);
		expect(fit.residualSd).toBeCloseTo(0, 12);
		expect(fit.rSquared).toBeCloseTo(1, 12);
		expect(predictLinear(fit, 10)).toBeCloseTo(23, 12);
	});

	it('matches a hand computation with noise', () => {
		// x̄ = 2, ȳ = 3, Sxx = 2, Sxy = 3 → slope 1.5, intercept 0; residuals 0.5, −1, 0.5 → SSE 1.5, sd √1.5
		const fit = fitLinear([
			{ x: 1, y: 2 },
			{ x: 2, y: 2 },
			{ x: 3, y: 5 }
		]);
		expect(fit.slope).toBeCloseTo(1.5, 12);
		expect(fit.intercept).toBeCloseTo(0, 12);
		expect(fit.residualSd).toBeCloseTo(Math.sqrt(1.5), 12);
		expect(fit.slopeSe).toBeCloseTo(Math.sqrt(1.5) / Math.sqrt(2), 12);
		// The prediction error grows away from the mean of x.
		expect(predictionSd(fit, 2)).toBeLessThan(predictionSd(fit, 10));
		expect(predictionSd(fit, 2)).toBeCloseTo(Math.sqrt(1.5) * Math.sqrt(1 + 1 / 3), 12);
	});

	it('skips non-finite points and refuses degenerate inputs', () => {
		expect(
			fitLinear([
				{ x: 1, y: 1 },
				{ x: 2, y: 2 },
				{ x: NaN, y: 9 },
				{ x: 3, y: 3 }
			]).n
		).toBe(3);
		expect(() =>
			fitLinear([
				{ x: 1, y: 1 },
				{ x: 2, y: 2 }
			])
		).toThrow(/3 au moins/);
		expect(() => fitLinear([1, 1, 1].map((x, y) => ({ x, y })))).toThrow(/x sont égales/);
	});
});

describe('rank correlation', () => {
	it('averages the ranks of ties', () => {
		expect(rankWithTies([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
		expect(rankWithTies([3, 1, 2])).toEqual([3, 1, 2]);
	});

	it.each([
		{ xs: [1, 2, 3, 4], ys: [10, 20, 30, 40], rho: 1 },
		{ xs: [1, 2, 3, 4], ys: [4, 3, 2, 1], rho: -1 },
		{ xs: [1, 2, 3], ys: [10, 30, 20], rho: 0.5 },
		// Monotone but not linear: Spearman is 1 where Pearson is not.
		{ xs: [1, 2, 3, 4, 5], ys: [1, 4, 9, 100, 1000], rho: 1 }
	])('ρ($xs, $ys) = $rho', ({ xs, ys, rho }) => {
		expect(spearmanCorrelation(xs, ys).rho).toBeCloseTo(rho, 12);
	});

	it('leaves out pairs with a missing value and reports n', () => {
		const r = spearmanCorrelation([1, 2, null, 4, 5], [2, 4, 6, null, 10]);
		expect(r.n).toBe(3);
		expect(r.rho).toBeCloseTo(1, 12);
	});

	it('returns null for a constant series', () => {
		expect(pearsonCorrelation([1, 1, 1], [1, 2, 3])).toBeNull();
		expect(spearmanCorrelation([1, 2], [5, 5]).rho).toBeNull();
	});
});

describe('solveByBisection', () => {
	it('finds a root inside the bracket', () => {
		const { root, bracketed } = solveByBisection((x) => x * x - 2, 0, 2);
		expect(bracketed).toBe(true);
		expect(root).toBeCloseTo(Math.SQRT2, 8);
	});

	it('returns the nearest end when the bracket holds no sign change', () => {
		expect(solveByBisection((x) => x + 1, 0, 1)).toEqual({ root: 0, bracketed: false });
		expect(solveByBisection((x) => x - 5, 0, 1)).toEqual({ root: 1, bracketed: false });
	});
});
