/**
 * Ordinary least squares for one explanatory variable, with the figures needed to carry the fit's
 * error into an estimate (residual standard deviation, standard error of the slope, prediction error).
 */

/** One observation (x, y). */
export interface Point {
	x: number;
	y: number;
}

export interface LinearFit {
	intercept: number;
	slope: number;
	/** Number of points used. */
	n: number;
	/** Residual standard deviation, in y units (n − 2 degrees of freedom). */
	residualSd: number;
	/** Standard error of the slope, in y units per x unit. */
	slopeSe: number;
	/** Mean of x over the points. */
	meanX: number;
	/** Σ (x − mean x)². */
	sumSquaresX: number;
	/** Share of the variance of y explained by x (0–1). */
	rSquared: number;
}

/**
 * Fit y = intercept + slope × x by least squares. Points with a non-finite coordinate are skipped.
 * @throws Error when fewer than 3 usable points remain or all x are equal.
 * @example fitLinear([{ x: 1, y: 2 }, { x: 2, y: 4 }, { x: 3, y: 6.1 }]).slope // ≈ 2.05
 */
export function fitLinear(points: readonly Point[]): LinearFit {
	const usable = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
	const n = usable.length;
	if (n < 3)
		throw new Error(
			`Ajustement impossible : ${n} point(s) utilisable(s), 3 au moins sont nécessaires.`
		);
	let sx = 0;
	let sy = 0;
	for (const p of usable) {
		sx += p.x;
		sy += p.y;
	}
	const meanX = sx / n;
	const meanY = sy / n;
	let sxx = 0;
	let sxy = 0;
	let syy = 0;
	for (const p of usable) {
		sxx += (p.x - meanX) ** 2;
		sxy += (p.x - meanX) * (p.y - meanY);
		syy += (p.y - meanY) ** 2;
	}
	if (sxx === 0) throw new Error('Ajustement impossible : toutes les valeurs de x sont égales.');
	const slope = sxy / sxx;
	const intercept = meanY - slope * meanX;
	let sse = 0;
	for (const p of usable) sse += (p.y - intercept - slope * p.x) ** 2;
	const residualSd = Math.sqrt(sse / (n - 2));
	return {
		intercept,
		slope,
		n,
		residualSd,
		slopeSe: residualSd / Math.sqrt(sxx),
		meanX,
		sumSquaresX: sxx,
		rSquared: syy === 0 ? 1 : 1 - sse / syy
	};
}

/** The fitted value at x. */
export function predictLinear(fit: LinearFit, x: number): number {
	return fit.intercept + fit.slope * x;
}

/**
 * Standard deviation of a new observation at x (prediction error): the residual scatter plus the
 * uncertainty of the fitted line, which grows away from the mean of x.
 */
export function predictionSd(fit: LinearFit, x: number): number {
	return fit.residualSd * Math.sqrt(1 + 1 / fit.n + (x - fit.meanX) ** 2 / fit.sumSquaresX);
}
