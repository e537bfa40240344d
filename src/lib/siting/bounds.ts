/**
 * How far from the optimum an answer can be. For a monotone submodular saving f (coverage,
 * p-median savings, the capacity objective), any set S and any N satisfy
 *   f(OPT) ≤ f(S) + Σ of the N largest marginal gains f(S ∪ {c}) − f(S)
 * (Nemhauser, Wolsey & Fisher 1978, the "online bound" of Leskovec et al. 2007): a proved bound
 * that costs one pass over the model, whatever the instance size.
 */
import type { SparseModel } from './sparse-model';

/** Submodular online bound of the sparse model's saving for `chosen` (model units). */
export function sparseOnlineBound(
	model: SparseModel,
	chosen: readonly number[],
	value: number,
	n: number
): number {
	const inSet = new Uint8Array(model.candidateCount);
	for (const j of chosen) inSet[j] = 1;
	// Current cost of each demand point with the chosen set (lists sorted by cost).
	const current = Float64Array.from(model.fallback);
	for (let m = 0; m < model.weight.length; m++) {
		for (let p = model.demandStart[m]; p < model.demandStart[m + 1]; p++) {
			if (inSet[model.demandCandidate[p]]) {
				current[m] = Math.min(current[m], model.demandCost[p]);
				break;
			}
		}
	}
	const gains: number[] = [];
	for (let j = 0; j < model.candidateCount; j++) {
		if (inSet[j]) continue;
		let gain = 0;
		for (let p = model.candidateStart[j]; p < model.candidateStart[j + 1]; p++) {
			const m = model.candidateDemand[p];
			const better = current[m] - model.candidateCost[p];
			if (better > 0) gain += model.weight[m] * better;
		}
		if (gain > 0) gains.push(gain);
	}
	gains.sort((a, b) => b - a);
	let extra = 0;
	for (let k = 0; k < Math.min(n, gains.length); k++) extra += gains[k];
	return value + extra;
}

/**
 * Largest relative gap between a value and a proved bound of a maximisation, %: 0 when the value
 * reaches the bound.
 * @example gapPercent(99, 100) // 1
 */
export function gapPercent(value: number, bound: number): number {
	if (!(bound > 0) || value >= bound) return 0;
	return ((bound - value) / bound) * 100;
}
