/**
 * Certified answers: the sparse model (`sparse-model.ts`) solved exactly as a mixed-integer linear
 * programme by HiGHS (Huangfu & Hall 2018, the `highs` WebAssembly build, the same in the browser
 * worker and on the server), within a time limit.
 *
 * - couverture (MCLP, Church & ReVelle 1974): max Σ wₘ yₘ, yₘ ≤ Σ_{j ∈ Lₘ} xⱼ, yₘ ≤ 1, Σ xⱼ = N.
 * - distance (p-median savings, ReVelle & Swain 1970): max Σ wₘ (uₘ − cₘⱼ) zₘⱼ, Σⱼ zₘⱼ ≤ 1,
 *   zₘⱼ ≤ xⱼ, Σ xⱼ = N.
 * x binary, y and z continuous in [0, 1]. "Optimal" is a proof; when the time limit stops the
 * solve, the LP relaxation (same model, x continuous) can give a proved upper bound instead.
 *
 * The solver instance is passed in (loading the WebAssembly is asynchronous and done once by the
 * caller); this module stays pure and synchronous.
 */
import type { SparseModel } from './sparse-model';

/** The part of a loaded `highs` module this module uses. */
export interface MilpSolver {
	solve(
		problem: string,
		options?: Record<string, unknown>
	): {
		Status: string;
		ObjectiveValue: number;
		Columns: Record<string, { Primal?: number }>;
	};
}

/** Outcome of an exact attempt, in the model's unit (persons, or persons·km saved). */
export interface ExactOutcome {
	/** Chosen candidates of the best solution found (empty if none). */
	chosen: number[];
	/** Its saving. */
	value: number;
	/** Proved upper bound of the optimum (Infinity when the time limit stopped the solve). */
	upperBound: number;
	/** True when HiGHS proved `value` optimal. */
	proved: boolean;
	/** HiGHS status of the MILP. */
	status: string;
}

/** Largest model handed to the solver (pairs): beyond, the LP alone would take seconds. */
export const MAX_EXACT_PAIRS = 60_000;

/** A number as the LP file writes it (12 significant digits; 0 for a non-finite value). */
export const lpNumber = (value: number) => (Number.isFinite(value) ? value.toPrecision(12) : '0');

/**
 * A maximisation in CPLEX LP format over binary site columns `x<j>` (continuous in [0, 1] when
 * `integer` is false: the LP relaxation), with at most `n` of them: the file both the siting
 * models hand to HiGHS.
 */
export function siteChoiceLp(
	objective: readonly string[],
	rows: readonly string[],
	bounds: readonly string[],
	sites: readonly number[],
	n: number,
	integer: boolean
): string {
	if (objective.length === 0 || sites.length === 0) return '';
	const xs = sites.map((j) => `x${j}`);
	return [
		'Maximize',
		` obj: ${objective.join(' + ')}`,
		'Subject To',
		...rows,
		` n: ${xs.join(' + ')} <= ${n}`,
		'Bounds',
		...bounds,
		...xs.map((x) => ` 0 <= ${x} <= 1`),
		...(integer ? ['Binary', ` ${xs.join(' ')}`] : []),
		'End'
	].join('\n');
}

/**
 * Solve a `siteChoiceLp` MILP within `timeLimitSeconds`: the sites of the best integer solution
 * found (increasing), its objective and HiGHS's status; null when the solver failed.
 */
export function solveSiteChoice(
	solver: MilpSolver,
	text: string,
	timeLimitSeconds: number
): { chosen: number[]; objective: number; status: string } | null {
	try {
		const milp = solver.solve(text, {
			output_flag: false,
			time_limit: timeLimitSeconds,
			mip_rel_gap: 1e-9
		});
		const chosen: number[] = [];
		for (const [name, column] of Object.entries(milp.Columns ?? {})) {
			if (name.startsWith('x') && (column.Primal ?? 0) > 0.5) chosen.push(Number(name.slice(1)));
		}
		chosen.sort((a, b) => a - b);
		return { chosen, objective: milp.ObjectiveValue, status: milp.Status };
	} catch {
		return null;
	}
}

/** The optimum of an LP relaxation text, or null when HiGHS did not solve it within the limit. */
export function solveLpOptimum(
	solver: MilpSolver,
	text: string,
	timeLimitSeconds: number
): number | null {
	try {
		const lp = solver.solve(text, { output_flag: false, time_limit: timeLimitSeconds });
		return lp.Status === 'Optimal' ? lp.ObjectiveValue : null;
	} catch {
		return null;
	}
}

/** The model in CPLEX LP format; `integer` false gives the LP relaxation. */
export function milpText(model: SparseModel, n: number, integer: boolean): string {
	const terms: string[] = [];
	const rows: string[] = [];
	const bounds: string[] = [];
	const used = new Uint8Array(model.candidateCount);
	for (let p = 0; p < model.demandCandidate.length; p++) used[model.demandCandidate[p]] = 1;
	for (let m = 0; m < model.weight.length; m++) {
		const from = model.demandStart[m];
		const to = model.demandStart[m + 1];
		if (to === from) continue;
		if (model.objective === 'couverture') {
			terms.push(`${lpNumber(model.weight[m])} y${m}`);
			const sum: string[] = [];
			for (let p = from; p < to; p++) sum.push(`x${model.demandCandidate[p]}`);
			rows.push(` c${m}: y${m} - ${sum.join(' - ')} <= 0`);
			bounds.push(` 0 <= y${m} <= 1`);
		} else {
			const assign: string[] = [];
			for (let p = from; p < to; p++) {
				const saving = model.weight[m] * Math.max(0, model.fallback[m] - model.demandCost[p]);
				if (saving <= 0) continue;
				const z = `z${m}_${model.demandCandidate[p]}`;
				terms.push(`${lpNumber(saving)} ${z}`);
				assign.push(z);
				rows.push(` l${m}_${model.demandCandidate[p]}: ${z} - x${model.demandCandidate[p]} <= 0`);
			}
			if (assign.length > 0) rows.push(` a${m}: ${assign.join(' + ')} <= 1`);
		}
	}
	const sites: number[] = [];
	for (let j = 0; j < model.candidateCount; j++) if (used[j]) sites.push(j);
	return siteChoiceLp(terms, rows, bounds, sites, n, integer);
}

/**
 * Solve the model exactly within `timeLimitSeconds` (HiGHS branch and cut). When the limit stops
 * it, the best integer solution found is kept and `proved` is false: the caller then bounds the
 * optimum otherwise (Lagrangian bound, or `solveRelaxation`).
 * Returns null when the model is larger than `MAX_EXACT_PAIRS` or the solver failed.
 */
export function solveExactly(
	solver: MilpSolver,
	model: SparseModel,
	n: number,
	timeLimitSeconds: number
): ExactOutcome | null {
	if (model.demandCandidate.length > MAX_EXACT_PAIRS) return null;
	const text = milpText(model, n, true);
	if (text === '') return { chosen: [], value: 0, upperBound: 0, proved: true, status: 'Empty' };
	const milp = solveSiteChoice(solver, text, timeLimitSeconds);
	if (!milp) return null;
	const { chosen, status } = milp;
	const proved = status === 'Optimal';
	const value = chosen.length > 0 && Number.isFinite(milp.objective) ? milp.objective : 0;
	return { chosen, value, upperBound: proved ? value : Infinity, proved, status };
}

/**
 * The LP relaxation's optimum (same model, x continuous): a proved upper bound of the optimum, or
 * null when HiGHS did not solve it within `timeLimitSeconds` or the model is too large.
 */
export function solveRelaxation(
	solver: MilpSolver,
	model: SparseModel,
	n: number,
	timeLimitSeconds: number
): number | null {
	if (model.demandCandidate.length > MAX_EXACT_PAIRS) return null;
	const text = milpText(model, n, false);
	return text === '' ? 0 : solveLpOptimum(solver, text, timeLimitSeconds);
}
