/**
 * Rank correlation (Spearman's ρ), used to compare an estimate with an index that is only a ranking
 * (e.g. the IFN 0–10 scores).
 */

/**
 * Ranks from 1 to n, ties receiving the mean of the ranks they span (`[10, 20, 20, 30]` → `[1, 2.5, 2.5, 4]`).
 */
export function rankWithTies(values: readonly number[]): number[] {
	const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
	const ranks = new Array<number>(values.length);
	let start = 0;
	while (start < order.length) {
		let end = start;
		while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
		const rank = (start + end) / 2 + 1;
		for (let k = start; k <= end; k++) ranks[order[k]] = rank;
		start = end + 1;
	}
	return ranks;
}

/** Pearson correlation of two equally long series; null when one of them is constant or n < 2. */
export function pearsonCorrelation(xs: readonly number[], ys: readonly number[]): number | null {
	if (xs.length !== ys.length)
		throw new Error('Corrélation : les deux séries n’ont pas la même longueur.');
	const n = xs.length;
	if (n < 2) return null;
	let mx = 0;
	let my = 0;
	for (let i = 0; i < n; i++) {
		mx += xs[i];
		my += ys[i];
	}
	mx /= n;
	my /= n;
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < n; i++) {
		sxy += (xs[i] - mx) * (ys[i] - my);
		sxx += (xs[i] - mx) ** 2;
		syy += (ys[i] - my) ** 2;
	}
	return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman's rank correlation over the pairs where both values are finite numbers
 * (Pearson correlation of the ranks, ties averaged). Returns the coefficient and the number of pairs.
 * @example spearmanCorrelation([1, 2, 3], [10, 30, 20]).rho // 0.5
 */
export function spearmanCorrelation(
	xs: readonly (number | null)[],
	ys: readonly (number | null)[]
): { rho: number | null; n: number } {
	if (xs.length !== ys.length)
		throw new Error('Corrélation : les deux séries n’ont pas la même longueur.');
	const px: number[] = [];
	const py: number[] = [];
	for (let i = 0; i < xs.length; i++) {
		const x = xs[i];
		const y = ys[i];
		if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) continue;
		px.push(x);
		py.push(y);
	}
	return { rho: pearsonCorrelation(rankWithTies(px), rankWithTies(py)), n: px.length };
}
