/**
 * Both objectives reduce to one sparse facility-location model: choose a set S of candidates to
 * minimise Σᵢ wᵢ · min(uᵢ, min_{j ∈ S ∩ Lᵢ} cᵢⱼ), where Lᵢ is the short list of candidates that can
 * improve demand point i, cᵢⱼ the cost of serving i from j and uᵢ its cost when no candidate of Lᵢ
 * is chosen (what the existing places already give). The optimiser maximises the saving
 * Σ wᵢ uᵢ − cost, which is monotone and submodular, so the lazy greedy bounds hold.
 *
 * - `couverture` (MCLP): Lᵢ = candidates within R of i, cᵢⱼ = 0, uᵢ = 1, and only demand not already
 *   within R of an existing place is kept: the saving is the people newly covered. Exact.
 * - `distance` (p-median): Lᵢ = candidates strictly closer than i's nearest existing place, cut to the
 *   `neighbourLimit` nearest; cᵢⱼ = great-circle km, uᵢ = distance to the nearest existing place
 *   (`UNSERVED_KM` when there is none). The saving is persons·km. Approximation: a chosen site that is
 *   not among a point's `neighbourLimit` nearest candidates is ignored for that point, so the model
 *   may undervalue a site for points it would serve from far away; when every list is shorter than
 *   the limit (small territories, or existing places nearby) the model is exact. Reported figures
 *   never use this approximation (see `evaluateScenario`).
 *
 * Memory is O(pairs), never O(demand × candidates): a pair budget (`maxPairs`) bounds it.
 */
import { ProgressReporter } from './control';
import type { CandidateSite, DemandPoint, SitingObjective } from './model';
import { collectNearest, collectWithinKm, indexPoints } from './nearest';
import { formatInteger } from '$lib/format/number';

/**
 * Cost of a demand point that no place serves (distance objective with no existing place), km.
 * Longer than any great-circle distance (half the Earth's circumference is ≈ 20,015 km), so the
 * greedy serves every point once before shortening distances.
 */
export const UNSERVED_KM = 40_000;

/**
 * Default bound on stored (demand, candidate) pairs: 4 million pairs ≈ 64 MB (4 bytes of id and 4 of
 * cost, in both directions), a comfortable size for a browser Web Worker.
 */
export const DEFAULT_MAX_PAIRS = 4_000_000;

/** Smallest per-point candidate list of the distance objective, whatever the pair budget. */
export const MIN_NEIGHBOUR_LIMIT = 16;

export interface SparseModel {
	objective: SitingObjective;
	candidateCount: number;
	/** For each model demand point, its index in the input demand list. */
	demandIndex: Int32Array;
	/** wᵢ, persons. */
	weight: Float64Array;
	/** uᵢ: 1 (not covered) for couverture; km for distance. */
	fallback: Float64Array;
	/** Demand → candidates (CSR), each list sorted by increasing cost. */
	demandStart: Int32Array;
	demandCandidate: Int32Array;
	demandCost: Float32Array;
	/** Candidate → demand (CSR). */
	candidateStart: Int32Array;
	candidateDemand: Int32Array;
	candidateCost: Float32Array;
	/** Savings below this are treated as zero (rounding noise), in the model's unit. */
	epsilon: number;
	/** Demand points whose list was cut at `neighbourLimit` (distance only). */
	truncated: number;
	neighbourLimit: number | null;
}

/** The territory is too large for the coverage distance: the pair budget would be exceeded. */
export class SitingTooLarge extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SitingTooLarge';
	}
}

/** Append-only typed buffers (pairs are not known in advance). */
class PairBuffer {
	ids = new Int32Array(1024);
	costs = new Float32Array(1024);
	length = 0;

	push(id: number, cost: number): void {
		if (this.length === this.ids.length) {
			const ids = new Int32Array(this.ids.length * 2);
			ids.set(this.ids);
			const costs = new Float32Array(this.costs.length * 2);
			costs.set(this.costs);
			this.ids = ids;
			this.costs = costs;
		}
		this.ids[this.length] = id;
		this.costs[this.length] = cost;
		this.length++;
	}
}

export interface SparseModelOptions {
	objective: SitingObjective;
	/** Coverage distance, km. */
	coverageKm: number;
	/** Distance from each demand point to its nearest existing place, km (Infinity: none). */
	existingKm: Float64Array;
	maxPairs?: number;
	/** Per-point list length for the distance objective (default: budget / points, at least 16). */
	neighbourLimit?: number;
	progress?: ProgressReporter;
	/** Share of the run's progress bar this step spans. */
	progressSpan?: [number, number];
}

/**
 * Build the sparse model of a run from the demand points, candidates and the distance of each
 * demand point to its nearest existing place.
 * @throws SitingTooLarge (French message) when the coverage lists exceed the pair budget
 * @throws SitingCancelled when the caller cancels
 */
export function buildSparseModel(
	demand: readonly DemandPoint[],
	candidates: readonly CandidateSite[],
	options: SparseModelOptions
): SparseModel {
	const { objective, coverageKm, existingKm } = options;
	const maxPairs = options.maxPairs ?? DEFAULT_MAX_PAIRS;
	const progress = options.progress ?? new ProgressReporter();
	const [from, to] = options.progressSpan ?? [0, 1];
	const index = indexPoints(candidates);

	let active = 0;
	let totalWeight = 0;
	for (let i = 0; i < demand.length; i++) {
		if (demand[i].weight <= 0) continue;
		totalWeight += demand[i].weight;
		if (objective === 'distance' || existingKm[i] > coverageKm) active++;
	}
	const neighbourLimit =
		objective === 'distance'
			? Math.min(
					candidates.length,
					Math.max(
						1,
						Math.floor(
							options.neighbourLimit ??
								Math.max(MIN_NEIGHBOUR_LIMIT, maxPairs / Math.max(1, active))
						)
					)
				)
			: null;

	const kept: number[] = [];
	const fallbackList: number[] = [];
	const starts: number[] = [0];
	const pairs = new PairBuffer();
	const ids: number[] = [];
	const kms: number[] = [];
	let truncated = 0;
	for (let i = 0; i < demand.length; i++) {
		if ((i & 2047) === 0) progress.checkpoint(from, to, (0.9 * i) / demand.length);
		const d = demand[i];
		if (d.weight <= 0) continue;
		ids.length = 0;
		kms.length = 0;
		if (objective === 'couverture') {
			if (existingKm[i] <= coverageKm) continue;
			collectWithinKm(index, d.lon, d.lat, coverageKm, ids, kms);
			if (ids.length === 0) continue;
			if (pairs.length + ids.length > maxPairs) {
				throw new SitingTooLarge(
					`territoire trop grand pour une distance de couverture de ${formatInteger(coverageKm)} km : plus de ${formatInteger(maxPairs)} paires commune–site seraient à examiner. Réduisez la distance de couverture ou choisissez un territoire plus petit.`
				);
			}
			for (let k = 0; k < ids.length; k++) pairs.push(ids[k], 0);
			fallbackList.push(1);
		} else {
			collectNearest(index, d.lon, d.lat, neighbourLimit!, existingKm[i], ids, kms);
			if (ids.length === 0) continue;
			if (ids.length === neighbourLimit && neighbourLimit < candidates.length) truncated++;
			for (let k = 0; k < ids.length; k++) pairs.push(ids[k], kms[k]);
			fallbackList.push(Number.isFinite(existingKm[i]) ? existingKm[i] : UNSERVED_KM);
		}
		kept.push(i);
		starts.push(pairs.length);
	}

	const demandStart = Int32Array.from(starts);
	const demandCandidate = pairs.ids.slice(0, pairs.length);
	const demandCost = pairs.costs.slice(0, pairs.length);
	const demandIndex = Int32Array.from(kept);
	const weight = Float64Array.from(kept, (i) => demand[i].weight);

	// Transpose to candidate → demand lists (counting sort by candidate).
	const candidateStart = new Int32Array(candidates.length + 1);
	for (let p = 0; p < demandCandidate.length; p++) candidateStart[demandCandidate[p] + 1]++;
	for (let j = 0; j < candidates.length; j++) candidateStart[j + 1] += candidateStart[j];
	const fill = candidateStart.slice(0, candidates.length);
	const candidateDemand = new Int32Array(demandCandidate.length);
	const candidateCost = new Float32Array(demandCandidate.length);
	for (let m = 0; m < demandIndex.length; m++) {
		for (let p = demandStart[m]; p < demandStart[m + 1]; p++) {
			const slot = fill[demandCandidate[p]]++;
			candidateDemand[slot] = m;
			candidateCost[slot] = demandCost[p];
		}
	}
	progress.checkpoint(from, to, 1);

	return {
		objective,
		candidateCount: candidates.length,
		demandIndex,
		weight,
		fallback: Float64Array.from(fallbackList),
		demandStart,
		demandCandidate,
		demandCost,
		candidateStart,
		candidateDemand,
		candidateCost,
		// 1e-9 person (couverture) or 1e-9 person·km per person of demand (distance): rounding noise only.
		epsilon: 1e-9 * Math.max(1, totalWeight),
		truncated,
		neighbourLimit
	};
}

/** Σ wᵢ uᵢ: the cost when no candidate is chosen (model units). */
export function baselineCost(model: SparseModel): number {
	let total = 0;
	for (let m = 0; m < model.weight.length; m++) total += model.weight[m] * model.fallback[m];
	return total;
}

/** Saving of a set of candidates in the model (persons covered, or persons·km saved). */
export function savingOf(model: SparseModel, chosen: readonly number[]): number {
	const inSet = new Uint8Array(model.candidateCount);
	for (const j of chosen) inSet[j] = 1;
	let saving = 0;
	for (let m = 0; m < model.weight.length; m++) {
		for (let p = model.demandStart[m]; p < model.demandStart[m + 1]; p++) {
			if (inSet[model.demandCandidate[p]]) {
				// Lists are sorted by cost: the first chosen one is the nearest.
				saving += model.weight[m] * Math.max(0, model.fallback[m] - model.demandCost[p]);
				break;
			}
		}
	}
	return saving;
}
