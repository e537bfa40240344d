/**
 * The capacity objective: put each new conseiller where the people éloignés have the fewest
 * conseillers for them, measured as in the ranking (E2SFCA, Luo & Qi 2009, `src/lib/access`).
 *
 * In E2SFCA one more conseiller at place c adds to commune i's accessibility
 *   aᵢc = 10 000 · W(dᵢc) / Σₖ W(dₖc) · Dₖ   (équivalents conseiller pour 10 000 personnes éloignées)
 * whatever else is built (a place's ratio depends only on its own supply and catchment), so the
 * accessibility after adding the set S is linear: Aᵢ(S) = Aᵢ + Σ_{c ∈ S} aᵢc.
 *
 * Objective (target-based equal-access planning, the linear counterpart of the "maximal
 * accessibility equality" problem of Wang & Tang 2013, Environment and Planning B 40(2), 195–212,
 * which minimises the squared deviation of accessibility from its mean): choose N sites to maximise
 *   f(S) = Σᵢ Dᵢ · min(Aᵢ(S), T)
 * i.e. minimise the need-weighted shortfall Σᵢ Dᵢ · max(0, T − Aᵢ(S)) below a target T. A post's
 * supply only counts where it reaches people still below the target, so posts go where each
 * conseiller has the most people to help. f is a concave function of a linear one: monotone and
 * submodular (the greedy bounds hold), and it linearises exactly into a MILP (`capacityMilpText`,
 * solved by `solveCapacityExactly`, in `capacity-bounds.ts`).
 *
 * Target T: the territory's need-weighted mean accessibility once the N posts are added, as if they
 * were shared perfectly in proportion to need ("equal share"): T = Ā + 10 000 · N / Σᵢ Dᵢ. No
 * norm fixes a ratio of conseillers per person; the equal share is what the funded posts could
 * reach at best, so every post has room to help as long as someone is below it.
 */
import { formatDecimal, formatInteger } from '$lib/format/number';
/** The capacity model of one run (typed arrays; built by the scenario from the E2SFCA inputs). */
export interface CapacityModel {
	/** Dᵢ: people éloignés of each demand point of the territory, persons. */
	weight: Float64Array;
	/** Aᵢ before the new posts, équivalents conseiller pour 10 000 personnes éloignées. */
	base: Float64Array;
	/** Target T, same unit. */
	target: number;
	/** Candidate → (demand point, aᵢc) lists (CSR). */
	candidateStart: Int32Array;
	candidateDemand: Int32Array;
	candidateGain: Float64Array;
}

/** Pair visits allowed to the exchange passes (about 0.1 s): département and région runs fit. */
export const CAPACITY_SWAP_PAIR_VISITS = 20_000_000;

/** One chosen site with what it brings, in the order of choice. */
export interface CapacityStep {
	/** Candidate index. */
	candidate: number;
	/** f gain, persons × (équivalents conseiller pour 10 000) / 10 000 = équivalents conseiller reaching people below the target. */
	gain: number;
	/** People éloignés whose accessibility reaches the target thanks to this site (after the ones before). */
	crossing: number;
	/** People éloignés below the target who gain accessibility from this site. */
	helped: number;
	/** Need-weighted mean accessibility of those people before and after this site. */
	helpedMeanBefore: number;
	helpedMeanAfter: number;
}

export interface CapacityChoice {
	steps: CapacityStep[];
	/** f(S) − f(∅), équivalents conseiller (÷ 10 000 of the score unit × persons). */
	value: number;
	/**
	 * Proved upper bound on the best value any N sites could reach, same unit: the smallest of the
	 * submodular online bound (current value plus the N largest marginal gains; Nemhauser, Wolsey &
	 * Fisher 1978), the sum of the N largest single-site gains, and the whole shortfall.
	 */
	upperBound: number;
	evaluations: number;
}

/** Marginal gain of candidate c given the current accessibility `level` (× Dᵢ, in score units). */
function marginal(model: CapacityModel, level: Float64Array, c: number): number {
	const { target, weight, candidateStart, candidateDemand, candidateGain } = model;
	let gain = 0;
	for (let p = candidateStart[c]; p < candidateStart[c + 1]; p++) {
		const i = candidateDemand[p];
		const room = target - level[i];
		if (room <= 0) continue;
		const a = candidateGain[p];
		gain += weight[i] * (a < room ? a : room);
	}
	return gain;
}

/**
 * The equal-share target: need-weighted mean accessibility plus the N posts spread in proportion
 * to need, équivalents conseiller pour 10 000 personnes éloignées.
 * @example equalShareTarget(new Float64Array([100, 300]), new Float64Array([4, 8]), 2) // 7 + 50 = 57
 */
export function equalShareTarget(weight: Float64Array, base: Float64Array, n: number): number {
	let total = 0;
	let weighted = 0;
	for (let i = 0; i < weight.length; i++) {
		if (!(weight[i] > 0) || !Number.isFinite(base[i])) continue;
		total += weight[i];
		weighted += weight[i] * base[i];
	}
	return total > 0 ? (weighted + 10_000 * n) / total : 0;
}

/**
 * Choose up to n candidates greedily (lazy greedy, CELF: marginal gains only shrink), each with
 * its gain in people and accessibility, and the proved bound of the best possible value.
 * Candidates that bring nothing (everyone they reach is at the target) are never chosen.
 */
export function chooseByCapacity(
	model: CapacityModel,
	n: number,
	shouldStop: () => boolean = () => false,
	among?: readonly number[]
): CapacityChoice {
	const candidates = model.candidateStart.length - 1;
	// `among` orders a given set (the solver's) by the same greedy rule, so each site's gain reads
	// "after the ones above it"; the bounds are then those of that set only.
	const allowed = among ? new Set(among) : null;
	const level = Float64Array.from(model.base, (a) => (Number.isFinite(a) ? a : 0));
	const bound = new Float64Array(candidates);
	const stamp = new Int32Array(candidates).fill(-1);
	const taken = new Uint8Array(candidates);
	let evaluations = 0;
	for (let c = 0; c < candidates; c++) {
		bound[c] = marginal(model, level, c);
		stamp[c] = 0;
		evaluations++;
	}
	// Σ of the n largest single-site gains also bounds any n sites (f(S) ≤ Σ f({c}), submodularity).
	const singles = Array.from(bound).sort((a, b) => b - a);
	let singleBound = 0;
	for (let k = 0; k < Math.min(n, singles.length); k++) singleBound += Math.max(0, singles[k]);
	// Nor can anything exceed the whole shortfall below the target.
	let shortfall = 0;
	for (let i = 0; i < level.length; i++) {
		if (level[i] < model.target) shortfall += model.weight[i] * (model.target - level[i]);
	}
	// A plain array heap of candidate indices ordered by their (possibly stale) bound.
	const order = Array.from({ length: candidates }, (_, c) => c).filter(
		(c) => bound[c] > 0 && (!allowed || allowed.has(c))
	);
	order.sort((a, b) => bound[b] - bound[a] || a - b);
	const steps: CapacityStep[] = [];
	let value = 0;
	const epsilon =
		1e-9 *
		Math.max(
			1,
			model.weight.reduce((s, w) => s + w, 0)
		);
	for (let round = 1; steps.length < n; round++) {
		if (shouldStop()) break;
		let chosen = -1;
		// Re-evaluate the head until it is fresh; keep `order` sorted by insertion.
		while (order.length > 0) {
			const c = order[0];
			if (stamp[c] === round) {
				chosen = c;
				break;
			}
			bound[c] = marginal(model, level, c);
			stamp[c] = round;
			evaluations++;
			order.shift();
			if (bound[c] <= epsilon) continue;
			insertSorted(order, c, bound);
		}
		if (chosen < 0) break;
		order.shift();
		taken[chosen] = 1;
		steps.push(applyStep(model, level, chosen, bound[chosen]));
		value += bound[chosen];
	}
	// Online bound: f(OPT) ≤ f(S) + Σ of the n largest marginal gains w.r.t. S (submodularity).
	const gains: number[] = [];
	for (let c = 0; c < candidates; c++) {
		if (taken[c] || (allowed && !allowed.has(c))) continue;
		const g = marginal(model, level, c);
		if (g > 0) gains.push(g);
	}
	gains.sort((a, b) => b - a);
	let extra = 0;
	for (let k = 0; k < Math.min(n, gains.length); k++) extra += gains[k];
	return {
		steps,
		value: value / 10_000,
		upperBound: Math.max(value, Math.min(value + extra, singleBound, shortfall)) / 10_000,
		evaluations
	};
}

/**
 * Improve a set by exchanging one site for another while that raises f (Teitz & Bart 1968 swaps,
 * as for the other objectives), within `maxPairVisits` (one exchange pass visits every pair once
 * per chosen site). The greedy's choice is a good start; swaps repair what its order got wrong.
 * @returns the improved set and its value (équivalents conseiller)
 */
export function improveCapacityBySwaps(
	model: CapacityModel,
	chosen: readonly number[],
	maxPairVisits: number,
	shouldStop: () => boolean = () => false
): { chosen: number[]; value: number; swaps: number } {
	const candidates = model.candidateStart.length - 1;
	const set = [...chosen];
	const inSet = new Uint8Array(candidates);
	for (const c of set) inSet[c] = 1;
	const level = Float64Array.from(model.base, (a) => (Number.isFinite(a) ? a : 0));
	const add = (c: number, sign: 1 | -1) => {
		for (let p = model.candidateStart[c]; p < model.candidateStart[c + 1]; p++) {
			level[model.candidateDemand[p]] += sign * model.candidateGain[p];
		}
	};
	for (const c of set) add(c, 1);
	const pairs = model.candidateDemand.length;
	const epsilon =
		1e-9 *
		Math.max(
			1,
			model.weight.reduce((sum, w) => sum + w, 0)
		);
	let visits = 0;
	let swaps = 0;
	let improved = true;
	while (improved && visits + set.length * pairs <= maxPairVisits && !shouldStop()) {
		improved = false;
		for (let k = 0; k < set.length; k++) {
			const out = set[k];
			// f(S) − f(S − out): what `out` brings given the others.
			const before = contributionOf(model, level, out);
			add(out, -1);
			let best = -1;
			let bestGain = before + epsilon;
			for (let c = 0; c < candidates; c++) {
				if (inSet[c]) continue;
				const gain = marginal(model, level, c);
				if (gain > bestGain) {
					bestGain = gain;
					best = c;
				}
			}
			visits += pairs;
			if (best < 0) {
				add(out, 1);
				continue;
			}
			add(best, 1);
			inSet[out] = 0;
			inSet[best] = 1;
			set[k] = best;
			swaps++;
			improved = true;
		}
	}
	return { chosen: set, value: capacityValue(model, set), swaps };
}

/** f(S) − f(S − c) for c in S, with `level` the accessibility under S (in score units × Dᵢ). */
function contributionOf(model: CapacityModel, level: Float64Array, c: number): number {
	const { target, weight, candidateStart, candidateDemand, candidateGain } = model;
	let gain = 0;
	for (let p = candidateStart[c]; p < candidateStart[c + 1]; p++) {
		const i = candidateDemand[p];
		const without = level[i] - candidateGain[p];
		if (without >= target) continue;
		gain += weight[i] * (Math.min(level[i], target) - without);
	}
	return gain;
}

/** Insert c in `order` (sorted by decreasing bound) by binary search. */
function insertSorted(order: number[], c: number, bound: Float64Array): void {
	let lo = 0;
	let hi = order.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (bound[order[mid]] > bound[c] || (bound[order[mid]] === bound[c] && order[mid] < c))
			lo = mid + 1;
		else hi = mid;
	}
	order.splice(lo, 0, c);
}

function applyStep(
	model: CapacityModel,
	level: Float64Array,
	c: number,
	gain: number
): CapacityStep {
	const { target, weight, candidateStart, candidateDemand, candidateGain } = model;
	let crossing = 0;
	let helped = 0;
	let before = 0;
	let after = 0;
	for (let p = candidateStart[c]; p < candidateStart[c + 1]; p++) {
		const i = candidateDemand[p];
		const old = level[i];
		const next = old + candidateGain[p];
		if (old < target && weight[i] > 0 && candidateGain[p] > 0) {
			helped += weight[i];
			before += weight[i] * old;
			after += weight[i] * next;
			if (next >= target) crossing += weight[i];
		}
		level[i] = next;
	}
	return {
		candidate: c,
		gain: gain / 10_000,
		crossing,
		helped,
		helpedMeanBefore: helped > 0 ? before / helped : 0,
		helpedMeanAfter: helped > 0 ? after / helped : 0
	};
}

/** f(S) − f(∅) of any set (for the exact-solver tests and the bound checks), équivalents conseiller. */
export function capacityValue(model: CapacityModel, chosen: readonly number[]): number {
	const level = Float64Array.from(model.base, (a) => (Number.isFinite(a) ? a : 0));
	for (const c of chosen) {
		for (let p = model.candidateStart[c]; p < model.candidateStart[c + 1]; p++) {
			level[model.candidateDemand[p]] += model.candidateGain[p];
		}
	}
	let value = 0;
	for (let i = 0; i < level.length; i++) {
		const start = Math.min(Number.isFinite(model.base[i]) ? model.base[i] : 0, model.target);
		value += model.weight[i] * (Math.min(level[i], model.target) - start);
	}
	return value / 10_000;
}

/**
 * The gain of one site in French words.
 * @example describeCapacityStep(step) // "2 340 personnes passent au-dessus du seuil ; l’accès moyen de 5 100 personnes passe de 18 à 23"
 */
export function describeCapacityStep(step: CapacityStep): string {
	const people = (v: number) => `${formatInteger(v)} personne${Math.round(v) > 1 ? 's' : ''}`;
	const score = (v: number) => formatDecimal(v, v >= 10 ? 0 : 1);
	const parts: string[] = [];
	if (step.crossing >= 0.5) {
		parts.push(
			`${people(step.crossing)} ${Math.round(step.crossing) > 1 ? 'passent' : 'passe'} au-dessus du seuil`
		);
	}
	parts.push(
		`l’accès moyen de ${people(step.helped)} sous le seuil passe de ${score(step.helpedMeanBefore)} à ${score(step.helpedMeanAfter)}`
	);
	return parts.join(' ; ');
}
