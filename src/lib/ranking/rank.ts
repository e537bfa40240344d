/**
 * The composite priority score and the ranking. Preparing (reading and normalising every criterion)
 * happens once per level and filter; a weight change is then a weighted sum over typed arrays and
 * one native sort, so dragging a slider re-ranks 34,875 communes within a frame.
 *
 * score_i = Σ_c w_c · norm_c,i / Σ_c w_c, in [0, 1] (shown × 100); a weight of 0 removes the
 * criterion from the sum entirely.
 */
import { CRITERIA, CRITERION_IDS, type CriterionId, type TerritoryRow } from './criteria';
import { normaliseByRank } from './normalise';
import type { Weights } from './weights';
import type { Level } from '../territory/commune';

/** Where a territory's rank is counted: among all ranked rows, or within its région or département. */
export type RankGroup = 'france' | 'region' | 'departement';

/** The groups that make sense at each level (a département has no département to be ranked in). */
export const RANK_GROUPS_BY_LEVEL: Record<Level, readonly RankGroup[]> = {
	commune: ['france', 'region', 'departement'],
	epci: ['france', 'region', 'departement'],
	departement: ['france', 'region'],
	region: ['france']
};

export interface PreparedRanking {
	rows: readonly TerritoryRow[];
	/** Raw value of each criterion per row, in the criterion's unit; NaN = unknown. */
	values: Record<CriterionId, Float64Array>;
	/** Normalised need per criterion and row, in [0, 1] (unknown → median, see normalise.ts). */
	normalised: Record<CriterionId, Float64Array>;
	/** 1 where the criterion's value is unknown for the row. */
	missing: Record<CriterionId, Uint8Array>;
	/** Group index of each row for each kind of group (−1: no such parent). */
	groupIndex: Record<RankGroup, Int32Array>;
	/** Number of groups of each kind. */
	groupCount: Record<RankGroup, number>;
}

/**
 * Read and normalise every criterion over `rows` (one level, after the région/département filter):
 * the normalisation is relative to the ranked set. O(c · n log n), done once per level and filter.
 */
export function prepareRanking(rows: readonly TerritoryRow[]): PreparedRanking {
	const n = rows.length;
	const values = {} as Record<CriterionId, Float64Array>;
	const normalised = {} as Record<CriterionId, Float64Array>;
	const missing = {} as Record<CriterionId, Uint8Array>;
	for (const id of CRITERION_IDS) {
		const criterion = CRITERIA[id];
		const raw = new Float64Array(n);
		const oriented = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			const v = criterion.read(rows[i]);
			raw[i] = v === null || !Number.isFinite(v) ? NaN : v;
			oriented[i] = criterion.priorityWhen === 'higher' ? raw[i] : -raw[i];
		}
		const result = normaliseByRank(oriented);
		values[id] = raw;
		normalised[id] = result.normalised;
		missing[id] = result.missing;
	}
	const groupIndex = {} as Record<RankGroup, Int32Array>;
	const groupCount = {} as Record<RankGroup, number>;
	const parentOf: Record<RankGroup, (r: TerritoryRow) => string | null> = {
		france: () => 'FR',
		region: (r) => r.reg,
		departement: (r) => r.dep
	};
	for (const group of ['france', 'region', 'departement'] as const) {
		const codes = new Map<string, number>();
		const index = new Int32Array(n);
		for (let i = 0; i < n; i++) {
			const code = parentOf[group](rows[i]);
			if (code === null) {
				index[i] = -1;
				continue;
			}
			let g = codes.get(code);
			if (g === undefined) codes.set(code, (g = codes.size));
			index[i] = g;
		}
		groupIndex[group] = index;
		groupCount[group] = codes.size;
	}
	return { rows, values, normalised, missing, groupIndex, groupCount };
}

export interface Ranking {
	weights: Readonly<Weights>;
	group: RankGroup;
	/** Composite score per row, in [0, 1]. */
	score: Float64Array;
	/** Row indices from the highest score to the lowest (ties: input order). */
	order: Uint32Array;
	/** Rank of each row within its group, 1 = most in need; rows with equal scores share a rank; 0 = no group. */
	rank: Uint32Array;
	/** Number of ranked rows in each row's group. */
	groupSize: Uint32Array;
}

/** Criteria with a positive weight, and the sum of their weights. */
export function activeCriteria(weights: Readonly<Weights>): { ids: CriterionId[]; total: number } {
	const ids = CRITERION_IDS.filter((id) => weights[id] > 0);
	return { ids, total: ids.reduce((sum, id) => sum + weights[id], 0) };
}

/**
 * Score and rank every prepared row under `weights` (a weight ≤ 0 or NaN counts as 0; all zero gives
 * every row a score of 0): a weighted sum over the normalised columns, a radix sort of the scores and
 * one pass for the ranks within groups, all linear: O(c · n).
 * Scores are compared at a resolution of 2^-32 (≈ 2.3e-10, far below any visible difference): closer
 * scores count as equal, keep the input order and share a rank.
 * @throws Error (French message) when `group` makes no sense for the rows' level.
 */
export function rankTerritories(
	prepared: PreparedRanking,
	weights: Readonly<Weights>,
	group: RankGroup = 'france'
): Ranking {
	const { rows } = prepared;
	const n = rows.length;
	if (n > 0 && !RANK_GROUPS_BY_LEVEL[rows[0].level].includes(group)) {
		throw new Error(
			`Classement impossible : le niveau « ${rows[0].level} » ne se classe pas par « ${group} ».`
		);
	}
	const score = new Float64Array(n);
	const { ids, total } = activeCriteria(weights);
	for (const id of ids) {
		const column = prepared.normalised[id];
		const w = weights[id] / total;
		for (let i = 0; i < n; i++) score[i] += w * column[i];
	}
	const { order, quantum } = orderByDescendingScore(score);
	const groupIndex = prepared.groupIndex[group];
	const groups = prepared.groupCount[group];
	const seen = new Uint32Array(groups);
	const lastRank = new Uint32Array(groups);
	const lastQuantum = new Float64Array(groups).fill(-1); // −1: no row of the group seen yet
	const rank = new Uint32Array(n);
	for (let p = 0; p < n; p++) {
		const i = order[p];
		const g = groupIndex[i];
		if (g < 0) continue;
		seen[g]++;
		if (quantum[i] !== lastQuantum[g]) {
			lastRank[g] = seen[g];
			lastQuantum[g] = quantum[i];
		}
		rank[i] = lastRank[g];
	}
	const groupSize = new Uint32Array(n);
	for (let i = 0; i < n; i++) groupSize[i] = groupIndex[i] < 0 ? 0 : seen[groupIndex[i]];
	return { weights, group, score, order, rank, groupSize };
}

/** Radix digit width, bits: 3 passes of 11 bits cover the 32-bit quantised scores. */
const RADIX_BITS = 11;
const RADIX_MASK = (1 << RADIX_BITS) - 1;
const SCORE_LEVELS = 2 ** 32 - 1;

/**
 * Row indices by decreasing score, ties in input order, with the quantised scores used to detect
 * ties. A least-significant-digit radix sort of 32-bit keys (stable, 3 counting passes): for tens of
 * thousands of rows it beats any comparison sort, the native typed-array sort included.
 */
function orderByDescendingScore(score: Float64Array): { order: Uint32Array; quantum: Uint32Array } {
	const n = score.length;
	const quantum = new Uint32Array(n);
	// Ascending sort of (levels − q) = descending score.
	const key = new Uint32Array(n);
	for (let i = 0; i < n; i++) {
		const s = score[i] > 1 ? 1 : score[i] > 0 ? score[i] : 0;
		quantum[i] = Math.round(s * SCORE_LEVELS);
		key[i] = SCORE_LEVELS - quantum[i];
	}
	let from = new Uint32Array(n);
	let to = new Uint32Array(n);
	for (let i = 0; i < n; i++) from[i] = i;
	const count = new Uint32Array(RADIX_MASK + 1);
	for (let shift = 0; shift < 32; shift += RADIX_BITS) {
		count.fill(0);
		for (let p = 0; p < n; p++) count[(key[from[p]] >>> shift) & RADIX_MASK]++;
		let position = 0;
		for (let d = 0; d <= RADIX_MASK; d++) {
			const c = count[d];
			count[d] = position;
			position += c;
		}
		for (let p = 0; p < n; p++) {
			const i = from[p];
			to[count[(key[i] >>> shift) & RADIX_MASK]++] = i;
		}
		[from, to] = [to, from];
	}
	return { order: from, quantum };
}

export interface Contribution {
	id: CriterionId;
	/** Share of the score due to this criterion: w_c · norm_c,i / Σ w (they sum to the score). */
	contribution: number;
	/** The criterion's normalised need for the row, [0, 1]. */
	normalised: number;
	/** Raw value in the criterion's unit, null when unknown. */
	value: number | null;
	/** The value is unknown and the median was used. */
	missing: boolean;
}

/**
 * What each weighted criterion adds to row `i`'s score, in the criteria's fixed order (for the
 * stacked bar); criteria of weight 0 are left out. The contributions sum to `ranking.score[i]`.
 */
export function contributionsOf(
	prepared: PreparedRanking,
	weights: Readonly<Weights>,
	i: number
): Contribution[] {
	const { ids, total } = activeCriteria(weights);
	return ids.map((id) => {
		const normalised = prepared.normalised[id][i];
		const raw = prepared.values[id][i];
		return {
			id,
			contribution: (weights[id] / total) * normalised,
			normalised,
			value: Number.isNaN(raw) ? null : raw,
			missing: prepared.missing[id][i] === 1
		};
	});
}
