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

/** Work limits of `sparseLagrangianBound` (deterministic: no clock, so every machine proves the same). */
export interface LagrangianLimits {
	/** Subgradient iterations at most. */
	maxIterations: number;
	/** Pair visits at most (each iteration visits every pair once): bounds the time on large models. */
	maxPairVisits: number;
	/** Stop once the bound is within this relative distance of `value` (0.0001 = 0.01 %). */
	targetGap: number;
}

export const DEFAULT_LAGRANGIAN_LIMITS: LagrangianLimits = {
	maxIterations: 400,
	maxPairVisits: 400_000_000,
	targetGap: 1e-4
};

/**
 * Lagrangian bound of the sparse model's saving (Cornuéjols, Fisher & Nemhauser 1977 for the
 * p-median and MCLP; the subgradient method of Held, Wolfe & Crowder 1974). The model
 *   max Σₚ sₚ zₚ  s.t.  Σ_{p ∈ m} zₚ ≤ 1 (each demand point served once),  zₚ ≤ x_j,  Σ x_j ≤ N,
 * with sₚ = wₘ (uₘ − cₚ) the saving of serving m from j, has for every λ ≥ 0 the upper bound
 *   L(λ) = Σₘ λₘ + Σ of the N largest ρ_j,  ρ_j = Σ_{p ∈ j} max(0, sₚ − λₘ).
 * Its minimum over λ equals the LP relaxation's bound, but each evaluation is one pass over the
 * pairs, so it scales to France where the LP does not. Started from λₘ = m's saving under `chosen`
 * (where L is exactly the submodular online bound), it can only tighten that bound.
 * @param value the saving of `chosen` (a feasible solution: the bound never goes below it)
 */
export function sparseLagrangianBound(
	model: SparseModel,
	chosen: readonly number[],
	value: number,
	n: number,
	limits: LagrangianLimits = DEFAULT_LAGRANGIAN_LIMITS,
	tick?: (fraction: number) => void
): { bound: number; iterations: number } {
	const pairs = model.candidateDemand.length;
	const demandCount = model.weight.length;
	if (pairs === 0 || n <= 0) return { bound: value, iterations: 0 };
	// Saving of each pair, candidate-major; and the best saving of each demand point (λ above it
	// only adds to Σλ).
	const saving = new Float64Array(pairs);
	const best = new Float64Array(demandCount);
	for (let p = 0; p < pairs; p++) {
		const m = model.candidateDemand[p];
		const s = model.weight[m] * Math.max(0, model.fallback[m] - model.candidateCost[p]);
		saving[p] = s;
		if (s > best[m]) best[m] = s;
	}
	const lambda = new Float64Array(demandCount);
	const inSet = new Uint8Array(model.candidateCount);
	for (const j of chosen) inSet[j] = 1;
	for (let m = 0; m < demandCount; m++) {
		for (let p = model.demandStart[m]; p < model.demandStart[m + 1]; p++) {
			if (inSet[model.demandCandidate[p]]) {
				lambda[m] = model.weight[m] * Math.max(0, model.fallback[m] - model.demandCost[p]);
				break;
			}
		}
	}
	const rho = new Float64Array(model.candidateCount);
	const order = new Int32Array(model.candidateCount);
	const k = Math.min(n, model.candidateCount);
	const result = minimiseBySubgradient(
		lambda,
		best,
		(gradient) => {
			let bound = 0;
			for (let m = 0; m < demandCount; m++) bound += lambda[m];
			for (let j = 0; j < model.candidateCount; j++) {
				let r = 0;
				for (let p = model.candidateStart[j]; p < model.candidateStart[j + 1]; p++) {
					const d = saving[p] - lambda[model.candidateDemand[p]];
					if (d > 0) r += d;
				}
				rho[j] = r;
				order[j] = j;
			}
			selectLargest(order, rho, k);
			for (let t = 0; t < k; t++) bound += rho[order[t]];
			// ∂L/∂λₘ = 1 − (times m is served by the N chosen candidates).
			gradient.fill(1);
			for (let t = 0; t < k; t++) {
				const j = order[t];
				if (rho[j] <= 0) break;
				for (let p = model.candidateStart[j]; p < model.candidateStart[j + 1]; p++) {
					const m = model.candidateDemand[p];
					if (saving[p] > lambda[m]) gradient[m]--;
				}
			}
			return bound;
		},
		value,
		iterationsFor(limits, pairs),
		limits.targetGap,
		tick
	);
	return { bound: Math.max(value, result.bound), iterations: result.iterations };
}

/** Iterations a Lagrangian bound may run on a model of `pairs` pairs. */
export function iterationsFor(limits: LagrangianLimits, pairs: number): number {
	return Math.min(limits.maxIterations, Math.max(1, Math.floor(limits.maxPairVisits / pairs)));
}

/**
 * Minimise a Lagrangian function L(u) over multipliers 0 ≤ u ≤ `upper` by projected subgradient
 * steps (Held, Wolfe & Crowder 1974): Polyak's step α (L − lower) / ‖g‖² toward the best known
 * feasible value `lower`, α halved after 20 steps without a better bound. Every L(u) is an upper
 * bound of the optimum; the smallest one seen is returned.
 * @param multipliers the starting point, moved in place
 * @param evaluate L at `multipliers`, writing its subgradient into `gradient`
 * @param tick called before each evaluation (progress, cancellation by throwing)
 */
export function minimiseBySubgradient(
	multipliers: Float64Array,
	upper: Float64Array,
	evaluate: (gradient: Float64Array) => number,
	lower: number,
	maxIterations: number,
	targetGap: number,
	tick?: (fraction: number) => void
): { bound: number; iterations: number } {
	const gradient = new Float64Array(multipliers.length);
	let best = Infinity;
	let alpha = 2;
	let sinceImprovement = 0;
	let iterations = 0;
	for (let it = 0; it < maxIterations; it++) {
		tick?.(it / maxIterations);
		iterations++;
		const bound = evaluate(gradient);
		if (!(best < Infinity) || bound < best * (1 - 1e-12)) {
			best = bound;
			sinceImprovement = 0;
		} else if (++sinceImprovement >= 20) {
			alpha /= 2;
			sinceImprovement = 0;
		}
		if (best - lower <= targetGap * best || alpha < 1e-4) break;
		let norm = 0;
		for (let i = 0; i < multipliers.length; i++) {
			const g = gradient[i];
			// A component that would push u out of its box does not move it.
			if ((g > 0 && multipliers[i] <= 0) || (g < 0 && multipliers[i] >= upper[i])) continue;
			norm += g * g;
		}
		if (norm === 0) break;
		const step = (alpha * (bound - lower)) / norm;
		for (let i = 0; i < multipliers.length; i++) {
			if (gradient[i] === 0) continue;
			multipliers[i] = Math.min(upper[i], Math.max(0, multipliers[i] - step * gradient[i]));
		}
	}
	return { bound: best, iterations };
}

/**
 * Move the `k` ids of largest `value` to the front of `ids` (in no particular order): Hoare's
 * quickselect, O(length) on average, where a sort per subgradient iteration cost more than the pass
 * over the pairs.
 */
export function selectLargest(ids: Int32Array, value: Float64Array, k: number): void {
	let left = 0;
	let right = ids.length - 1;
	while (left < right && k > left && k <= right) {
		const pivot = value[ids[(left + right) >> 1]];
		let i = left;
		let j = right;
		while (i <= j) {
			while (value[ids[i]] > pivot) i++;
			while (value[ids[j]] < pivot) j--;
			if (i <= j) {
				const t = ids[i];
				ids[i] = ids[j];
				ids[j] = t;
				i++;
				j--;
			}
		}
		// [left, j] ≥ pivot ≥ [i, right]; keep the side holding the boundary between k − 1 and k.
		if (k - 1 <= j) right = j;
		else if (k - 1 >= i) left = i;
		else return;
	}
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
