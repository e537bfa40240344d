/**
 * Exact solution and upper bounds of the capacity objective (see `capacity.ts`): the model as a
 * MILP or its LP relaxation for HiGHS, and a Lagrangian bound that scales to France.
 */
import {
	DEFAULT_LAGRANGIAN_LIMITS,
	iterationsFor,
	minimiseBySubgradient,
	selectLargest,
	type LagrangianLimits
} from './bounds';
import { capacityValue, type CapacityModel } from './capacity';
import {
	lpNumber,
	MAX_EXACT_PAIRS,
	siteChoiceLp,
	solveLpOptimum,
	solveSiteChoice,
	type MilpSolver
} from './exact';

/** The capacity model as a MILP, or its LP relaxation (`integer` false), in CPLEX LP format. */
export function capacityMilpText(model: CapacityModel, n: number, integer: boolean): string {
	// vᵢ = the accessibility point i gains below the target: vᵢ ≤ room, vᵢ ≤ Σ aᵢc xc; maximise Σ Dᵢ vᵢ.
	const demand = model.weight.length;
	const rows: string[][] = Array.from({ length: demand }, () => []);
	const used = new Set<number>();
	for (let c = 0; c < model.candidateStart.length - 1; c++) {
		for (let p = model.candidateStart[c]; p < model.candidateStart[c + 1]; p++) {
			const i = model.candidateDemand[p];
			if (!(model.weight[i] > 0) || roomOf(model, i) <= 0 || !(model.candidateGain[p] > 0))
				continue;
			// min(aᵢc, roomᵢ): the same integer solutions, a tighter relaxation (one site never brings
			// more than the room below the target).
			rows[i].push(`${lpNumber(Math.min(model.candidateGain[p], roomOf(model, i)))} x${c}`);
			used.add(c);
		}
	}
	const objective: string[] = [];
	const constraints: string[] = [];
	const bounds: string[] = [];
	rows.forEach((terms, i) => {
		if (terms.length === 0) return;
		objective.push(`${lpNumber(model.weight[i])} v${i}`);
		constraints.push(` r${i}: v${i} - ${terms.join(' - ')} <= 0`);
		bounds.push(` 0 <= v${i} <= ${lpNumber(roomOf(model, i))}`);
	});
	return siteChoiceLp(
		objective,
		constraints,
		bounds,
		[...used].sort((a, b) => a - b),
		n,
		integer
	);
}

function roomOf(model: CapacityModel, i: number): number {
	const base = Number.isFinite(model.base[i]) ? model.base[i] : 0;
	return Math.max(0, model.target - base);
}

/** An exact attempt at the capacity objective (values in équivalents conseiller, like `CapacityChoice`). */
export interface CapacityExactOutcome {
	chosen: number[];
	value: number;
	/** Proved upper bound: the MILP optimum, or the LP relaxation's when the time limit stopped it. */
	upperBound: number;
	proved: boolean;
}

/**
 * Solve the capacity objective exactly with HiGHS within `timeLimitSeconds`; when the limit stops
 * the MILP, keep its best solution and bound the optimum by the LP relaxation. Null when the model
 * is larger than the solver takes (`MAX_EXACT_PAIRS`) or the solver failed.
 */
export function solveCapacityExactly(
	solver: MilpSolver,
	model: CapacityModel,
	n: number,
	timeLimitSeconds: number
): CapacityExactOutcome | null {
	if (model.candidateDemand.length > MAX_EXACT_PAIRS) return null;
	const text = capacityMilpText(model, n, true);
	if (text === '') return { chosen: [], value: 0, upperBound: 0, proved: true };
	const milp = solveSiteChoice(solver, text, timeLimitSeconds);
	if (!milp) return null;
	const { chosen } = milp;
	// The value is recomputed from the sites, never taken from the solver's floating objective.
	const value = capacityValue(model, chosen);
	if (milp.status === 'Optimal') return { chosen, value, upperBound: value, proved: true };
	const lp = solveLpOptimum(solver, capacityMilpText(model, n, false), timeLimitSeconds);
	if (lp === null) return null;
	return { chosen, value, upperBound: Math.max(value, lp / 10_000), proved: false };
}

/**
 * Lagrangian bound of the capacity objective (same method as `sparseLagrangianBound`): relaxing
 * vᵢ ≤ Σ min(aᵢc, roomᵢ) xc with multipliers μᵢ ∈ [0, Dᵢ] gives, for every μ, the upper bound
 *   L(μ) = Σᵢ roomᵢ · (Dᵢ − μᵢ) + Σ of the N largest ρc,  ρc = Σᵢ μᵢ min(aᵢc, roomᵢ),
 * minimised by subgradient steps. It starts from μᵢ = Dᵢ where i is still below the target after
 * `chosen` and 0 elsewhere, and scales to France, where the MILP does not.
 * @param value f of `chosen`, équivalents conseiller
 * @returns the best bound found, équivalents conseiller (never below `value`)
 */
export function capacityLagrangianBound(
	model: CapacityModel,
	chosen: readonly number[],
	value: number,
	n: number,
	limits: LagrangianLimits = DEFAULT_LAGRANGIAN_LIMITS,
	tick?: (fraction: number) => void
): { bound: number; iterations: number } {
	const candidates = model.candidateStart.length - 1;
	const demand = model.weight.length;
	const pairs = model.candidateDemand.length;
	if (pairs === 0 || n <= 0) return { bound: value, iterations: 0 };
	const lower = value * 10_000;
	const room = Float64Array.from({ length: demand }, (_, i) =>
		model.weight[i] > 0 ? roomOf(model, i) : 0
	);
	const level = Float64Array.from(model.base, (a) => (Number.isFinite(a) ? a : 0));
	for (const c of chosen) {
		for (let p = model.candidateStart[c]; p < model.candidateStart[c + 1]; p++) {
			level[model.candidateDemand[p]] += model.candidateGain[p];
		}
	}
	const mu = Float64Array.from({ length: demand }, (_, i) =>
		room[i] > 0 && level[i] < model.target ? model.weight[i] : 0
	);
	const rho = new Float64Array(candidates);
	const order = new Int32Array(candidates);
	const k = Math.min(n, candidates);
	const result = minimiseBySubgradient(
		mu,
		model.weight,
		(gradient) => {
			let bound = 0;
			for (let i = 0; i < demand; i++) bound += room[i] * (model.weight[i] - mu[i]);
			for (let c = 0; c < candidates; c++) {
				let r = 0;
				for (let p = model.candidateStart[c]; p < model.candidateStart[c + 1]; p++) {
					const i = model.candidateDemand[p];
					r += mu[i] * Math.min(model.candidateGain[p], room[i]);
				}
				rho[c] = r;
				order[c] = c;
			}
			selectLargest(order, rho, k);
			for (let t = 0; t < k; t++) bound += rho[order[t]];
			// ∂L/∂μᵢ = Σ_{c chosen} min(aᵢc, roomᵢ) − roomᵢ; points with no room stay at 0.
			for (let i = 0; i < demand; i++) gradient[i] = room[i] > 0 ? -room[i] : 0;
			for (let t = 0; t < k; t++) {
				const c = order[t];
				for (let p = model.candidateStart[c]; p < model.candidateStart[c + 1]; p++) {
					const i = model.candidateDemand[p];
					if (room[i] > 0) gradient[i] += Math.min(model.candidateGain[p], room[i]);
				}
			}
			return bound;
		},
		lower,
		iterationsFor(limits, pairs),
		limits.targetGap,
		tick
	);
	return { bound: Math.max(value, result.bound / 10_000), iterations: result.iterations };
}
