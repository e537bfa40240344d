/**
 * The ranked table: the one place where the ranking page's table, the exports (CSV, GeoJSON), the
 * `/api/classement` endpoint and the territory reports read a ranking from. It takes the analysis'
 * ranking rows of a level, a région/département filter, weights and a rank group, and gives, for each
 * territory of the filter, its position, its rank, its score, each criterion's raw value, table text,
 * normalised need and contribution (the stacked bar), and the one-sentence explanation.
 *
 * Normalisation scope (`normalisation`):
 * - `filtre` (default): the criteria are normalised over the filtered set, as `prepareRanking`
 *   intends ("relative to the ranked set"). A planner ranking the communes of the Nord compares them
 *   with each other: the commune with the fewest mediation places *of the Nord* gets the full
 *   "accès" need. Ranks then run 1…n inside the filter, and a `france` group is narrowed to the
 *   filter (ranked "du département", not "en France", which would be false). Caveat: rank-based
 *   normalisation stretches every criterion to [0, 1] within the set, so a criterion that barely
 *   varies there (fibre everywhere near 100 %) still separates its territories fully.
 *   A filter that holds fewer than two territories (the commune of Paris, one département at the
 *   département level) has nothing to compare within: it falls back to `france`.
 * - `france`: the criteria are normalised over every territory of the level in France and the
 *   filter only selects rows of the national ranking: ranks are national (or within the région /
 *   département when grouped so), and a criterion keeps its national meaning ("among the 10 % of
 *   French communes farthest from a place").
 *
 * Filter membership: a commune by its own département and région; an EPCI when at least one of
 * its communes is inside the filter (as in /api/estimations: the Métropole du Grand Paris is listed
 * under 75, 91, 92, 93, 94 and 95, with its whole figures); a département by its région; a région
 * by its code. Within a `filtre` ranking an EPCI counts as belonging to the filter's département
 * and région, so its rank is counted with the others of the filter; with `france` it keeps its
 * national groups (the département and région holding most of its population, see rows.ts).
 */
import {
	CRITERION_IDS,
	formatCriterionValue,
	type CriterionId,
	type TerritoryRow
} from './criteria';
import { explainRank } from './explain';
import {
	activeCriteria,
	prepareRanking,
	RANK_GROUPS_BY_LEVEL,
	rankTerritories,
	type PreparedRanking,
	type RankGroup,
	type Ranking
} from './rank';
import type { Weights } from './weights';
import type { Level } from '../territory/commune';

/** Over which territories the criteria are normalised: the filtered set, or the whole level in France. */
export type NormalisationScope = 'filtre' | 'france';
export const NORMALISATION_SCOPES: readonly NormalisationScope[] = ['filtre', 'france'];

export interface RankingFilter {
	/** Région code (`32`), or null. */
	region: string | null;
	/** Département code (`59`, `2A`, `971`), or null. */
	departement: string | null;
}

export interface RankedTableRequest {
	level: Level;
	filter: RankingFilter;
	weights: Readonly<Weights>;
	/** Where ranks are counted (must be one of `RANK_GROUPS_BY_LEVEL[level]`). */
	group: RankGroup;
	normalisation: NormalisationScope;
}

/** What the table reads from the analysis (`TerritoryAnalysis` satisfies it). */
export interface RankingSource {
	/** Ranking rows of a level, in code order. */
	rowsAt(level: Level): readonly TerritoryRow[];
	/** Rows of a level normalised over the whole level (national). */
	preparedAt(level: Level): PreparedRanking;
	/**
	 * Every département and région an EPCI has communes in (`epciParentsOf`); without it an EPCI
	 * is filtered by its main département and région only.
	 */
	epciParents?: ReadonlyMap<string, EpciParents>;
}

/** The départements and régions an EPCI's communes lie in. */
export interface EpciParents {
	deps: readonly string[];
	regs: readonly string[];
}

/**
 * The départements and régions of each EPCI's communes, by EPCI SIREN.
 * @example epciParentsOf(communes).get('200054781') // { deps: ['75', '91', '92', '93', '94', '95'], regs: ['11'] }
 */
export function epciParentsOf(
	communes: readonly { epci: string | null; dep: string; reg: string }[]
): Map<string, EpciParents> {
	const sets = new Map<string, { deps: Set<string>; regs: Set<string> }>();
	for (const c of communes) {
		if (c.epci === null) continue;
		let entry = sets.get(c.epci);
		if (!entry) sets.set(c.epci, (entry = { deps: new Set(), regs: new Set() }));
		entry.deps.add(c.dep);
		entry.regs.add(c.reg);
	}
	return new Map(
		[...sets].map(([code, e]) => [code, { deps: [...e.deps].sort(), regs: [...e.regs].sort() }])
	);
}

/** One criterion of one ranked territory. */
export interface RankedCriterion {
	id: CriterionId;
	/** Raw value in the criterion's unit (`CRITERIA[id].unit`), null when unknown. */
	value: number | null;
	/** Table cell, French formatting ("18 km", "40,0 %", "–" when unknown); quoted by the explanation. */
	text: string;
	/** Weight given to the criterion (0: not in the score). */
	weight: number;
	/** Normalised need over the normalisation set, [0, 1] (1 = most in need); the median when unknown. */
	need: number;
	/** Points the criterion adds to the 0–100 score: 100 · w / Σw · need (0 when its weight is 0). */
	contribution: number;
	/** The value is unknown and the median need stood in for it. */
	missing: boolean;
}

export interface RankedRow {
	/** Place in the table by decreasing score, 1…size (a permutation; ties keep code order). */
	position: number;
	/** Rank within the group, 1 = most in need; equal scores share a rank; 0 = no group. */
	rank: number;
	/** Number of ranked territories in the row's group. */
	groupSize: number;
	/** The analysis row: code, name, parents, population and raw inputs. */
	territory: TerritoryRow;
	/** Composite priority score, 0–100 (100 = most in need on every weighted criterion). */
	score: number;
	/** Every criterion, in `CRITERION_IDS` order, weighted or not (built on first read). */
	criteria: Record<CriterionId, RankedCriterion>;
	/** « Classée 3e du département : 4 200 personnes éloignées estimées, … » (written on first read). */
	explanation: string;
	/** `criteria[id].value` without building `criteria` (for exports). */
	criterionValue(id: CriterionId): number | null;
	/** `criteria[id].weight` without building `criteria`. */
	criterionWeight(id: CriterionId): number;
	/** `criteria[id].contribution` without building `criteria`. */
	criterionContribution(id: CriterionId): number;
	/** `criteria[id].missing` without building `criteria`. */
	criterionMissing(id: CriterionId): boolean;
}

export interface RankedTable {
	request: RankedTableRequest;
	/** The group ranks are counted in: the requested one, narrowed to the filter with `filtre`. */
	group: RankGroup;
	/** The scope actually used (`filtre` falls back to `france` for a filter of fewer than 2 rows). */
	normalisation: NormalisationScope;
	/** Why the scope or group differ from the request, in French; null when they don't. */
	note: string | null;
	/** The rows the criteria were normalised over (the filtered set, or the whole level). */
	prepared: PreparedRanking;
	ranking: Ranking;
	/** Indices in `prepared.rows` of the filtered territories, by decreasing score. */
	order: Uint32Array;
	/** Number of territories in the filter. */
	size: number;
	/** The row at 0-based `position` of `order`. */
	rowAt(position: number): RankedRow;
	/** Every row, by position; criteria and explanation are computed when first read. */
	rows(): RankedRow[];
	/** 0-based position of a territory by code, or −1 when it is not in the filter. */
	positionOf(code: string): number;
}

/**
 * Filtered sets already normalised, by level and filter, owned by the caller (the server keeps one
 * per process, the ranking page one per page) so that a weight change does not normalise again.
 */
export type PreparedCache = Map<string, PreparedRanking>;

/** Filtered sets kept in a `PreparedCache` before it is emptied (each is ~100 bytes per row and criterion). */
const PREPARED_CACHE_LIMIT = 64;

/** Whether a row belongs to the filter (see the module comment for EPCI). */
export function isInFilter(
	row: TerritoryRow,
	filter: RankingFilter,
	epciParents?: ReadonlyMap<string, EpciParents>
): boolean {
	const parents = row.level === 'epci' ? epciParents?.get(row.code) : undefined;
	if (filter.departement !== null) {
		if (parents) {
			if (!parents.deps.includes(filter.departement)) return false;
		} else {
			// A département-level row has itself as département: `dep` is its parent only below it.
			const dep = row.level === 'departement' ? row.code : row.dep;
			if (dep !== filter.departement) return false;
		}
	}
	if (filter.region !== null) {
		if (parents) {
			if (!parents.regs.includes(filter.region)) return false;
		} else {
			const reg = row.level === 'region' ? row.code : row.reg;
			if (reg !== filter.region) return false;
		}
	}
	return true;
}

/**
 * A ranked row built on demand: identity, rank and score at once; the criteria record (with its
 * French texts) and the explanation on first read. The exports of 34,875 rows read raw values
 * through `criterionValue`/`criterionContribution`, which allocate nothing.
 */
class LazyRankedRow implements RankedRow {
	readonly rank: number;
	readonly groupSize: number;
	readonly territory: TerritoryRow;
	readonly score: number;
	#criteria: Record<CriterionId, RankedCriterion> | undefined;
	#explanation: string | undefined;
	readonly #prepared: PreparedRanking;
	readonly #ranking: Ranking;
	readonly #weights: Readonly<Weights>;
	readonly #total: number;
	readonly #i: number;
	constructor(
		prepared: PreparedRanking,
		ranking: Ranking,
		weights: Readonly<Weights>,
		total: number,
		i: number,
		readonly position: number
	) {
		this.#prepared = prepared;
		this.#ranking = ranking;
		this.#weights = weights;
		this.#total = total;
		this.#i = i;
		this.rank = ranking.rank[i];
		this.groupSize = ranking.groupSize[i];
		this.territory = prepared.rows[i];
		this.score = 100 * ranking.score[i];
	}
	criterionValue(id: CriterionId): number | null {
		const raw = this.#prepared.values[id][this.#i];
		return Number.isNaN(raw) ? null : raw;
	}
	criterionWeight(id: CriterionId): number {
		return this.#weights[id] > 0 ? this.#weights[id] : 0;
	}
	criterionContribution(id: CriterionId): number {
		return this.#total > 0
			? (100 * this.criterionWeight(id) * this.#prepared.normalised[id][this.#i]) / this.#total
			: 0;
	}
	criterionMissing(id: CriterionId): boolean {
		return this.#prepared.missing[id][this.#i] === 1;
	}
	get criteria(): Record<CriterionId, RankedCriterion> {
		if (this.#criteria === undefined) {
			const criteria = {} as Record<CriterionId, RankedCriterion>;
			for (const id of CRITERION_IDS) {
				criteria[id] = {
					id,
					value: this.criterionValue(id),
					text: formatCriterionValue(id, this.territory),
					weight: this.criterionWeight(id),
					need: this.#prepared.normalised[id][this.#i],
					contribution: this.criterionContribution(id),
					missing: this.criterionMissing(id)
				};
			}
			this.#criteria = criteria;
		}
		return this.#criteria;
	}
	get explanation(): string {
		return (this.#explanation ??= explainRank(this.#prepared, this.#ranking, this.#i));
	}
}

/**
 * Normalise the filter's rows among themselves. The filter's département (région) is one rank
 * group for all of them: an EPCI whose main département lies outside the filter is still ranked
 * "du département" with the others.
 */
function prepareFilteredSet(rows: readonly TerritoryRow[], filter: RankingFilter): PreparedRanking {
	const prepared = prepareRanking(rows);
	if (filter.departement !== null) {
		prepared.groupIndex.departement.fill(0);
		prepared.groupCount.departement = 1;
	}
	if (filter.region !== null) {
		prepared.groupIndex.region.fill(0);
		prepared.groupCount.region = 1;
	}
	return prepared;
}

const GROUP_BREADTH: Record<RankGroup, number> = { france: 2, region: 1, departement: 0 };

/** The narrowest rank group the filter implies: departement, region or france. */
function filterScope(filter: RankingFilter): RankGroup {
	return filter.departement !== null ? 'departement' : filter.region !== null ? 'region' : 'france';
}

/**
 * Rank the territories of a level inside a filter. See the module comment for the normalisation
 * scope. Costs, for 34,875 communes: national scope, no filter, reuses the analysis' preparation
 * (a weighted sum and a radix sort, a few ms); `filtre` with a filter prepares the filtered rows
 * (O(c · n log n) on the filter's n), kept in `cache` when one is given.
 * @throws Error (French) when the group is not one of the level's (`RANK_GROUPS_BY_LEVEL`).
 * @example rankTable(analysis, { level: 'commune', filter: { region: null, departement: '59' },
 *   weights: DEFAULT_WEIGHTS, group: 'france', normalisation: 'filtre' }).size // 647
 */
export function rankTable(
	source: RankingSource,
	request: RankedTableRequest,
	cache?: PreparedCache
): RankedTable {
	const { level, filter, weights } = request;
	if (!RANK_GROUPS_BY_LEVEL[level].includes(request.group)) {
		throw new Error(
			`Classement impossible : le niveau « ${level} » ne se classe pas par « ${request.group} ».`
		);
	}
	const unfiltered = filter.region === null && filter.departement === null;
	let normalisation = request.normalisation;
	let group = request.group;
	let note: string | null = null;
	let local: PreparedRanking | null = null;

	if (normalisation === 'filtre' && !unfiltered) {
		const key = `${level}|${filter.region ?? ''}|${filter.departement ?? ''}`;
		const rows =
			cache?.get(key)?.rows ??
			source.rowsAt(level).filter((r) => isInFilter(r, filter, source.epciParents));
		if (rows.length < 2) {
			normalisation = 'france';
			note = `Le filtre ne retient ${rows.length === 0 ? 'aucun territoire' : 'qu’un territoire'} : rien à comparer au sein du filtre, les critères sont normalisés sur toute la France.`;
		} else {
			local = cache?.get(key) ?? prepareFilteredSet(rows, filter);
			if (cache) {
				if (cache.size >= PREPARED_CACHE_LIMIT && !cache.has(key)) cache.clear();
				cache.set(key, local);
			}
			const scope = filterScope(filter);
			if (
				GROUP_BREADTH[scope] < GROUP_BREADTH[group] &&
				RANK_GROUPS_BY_LEVEL[level].includes(scope)
			) {
				group = scope;
				note = `Classement au sein du filtre : les rangs sont comptés ${scope === 'departement' ? 'dans le département' : 'dans la région'}.`;
			}
		}
	}
	const prepared = local ?? source.preparedAt(level);
	const ranking = rankTerritories(prepared, weights, group);
	let order = ranking.order;
	if (local === null && !unfiltered) {
		// National normalisation: keep the filter's rows of the national order.
		order = ranking.order.filter((i) => isInFilter(prepared.rows[i], filter, source.epciParents));
	}

	const { total } = activeCriteria(weights);
	const rowOf = (position: number): RankedRow =>
		new LazyRankedRow(prepared, ranking, weights, total, order[position], position + 1);
	let positions: Map<string, number> | null = null;
	return {
		request,
		group,
		normalisation,
		note,
		prepared,
		ranking,
		order,
		size: order.length,
		rowAt(position) {
			if (!(position >= 0 && position < order.length)) {
				throw new RangeError(`Position ${position} hors du tableau (0 à ${order.length - 1}).`);
			}
			return rowOf(position);
		},
		rows() {
			const rows: RankedRow[] = new Array(order.length);
			for (let p = 0; p < order.length; p++) rows[p] = rowOf(p);
			return rows;
		},
		positionOf(code) {
			positions ??= new Map(Array.from(order, (i, p) => [prepared.rows[i].code, p]));
			return positions.get(code) ?? -1;
		}
	};
}

/** Columns the table can be sorted by: rank (= position), score, code, name, population or a criterion's raw value. */
export const SORT_KEYS = ['rang', 'score', 'code', 'nom', 'population', ...CRITERION_IDS] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

/** The natural direction of a column: rank, code and name ascending; numbers descending. */
export function defaultSortDirection(key: SortKey): SortDirection {
	return key === 'rang' || key === 'code' || key === 'nom' ? 'asc' : 'desc';
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/**
 * The table's 0-based positions sorted by a column. Unknown criterion values go last in both
 * directions; ties keep the ranking order (the sort is stable), so `rang` asc is the identity.
 * A criterion sorts by its raw value (km, %, persons…), not by its need: `distance` desc puts the
 * farthest first, `acces` asc the least served first.
 * @example sortPositions(table, 'distance', 'desc') // positions of the farthest territories first
 */
export function sortPositions(
	table: RankedTable,
	key: SortKey,
	direction: SortDirection = defaultSortDirection(key)
): Uint32Array {
	const n = table.size;
	const positions = new Uint32Array(n);
	for (let p = 0; p < n; p++) positions[p] = p;
	const sign = direction === 'asc' ? 1 : -1;
	if (key === 'rang') return direction === 'asc' ? positions : positions.reverse();
	const { rows } = table.prepared;
	const index = table.order;
	let compare: (a: number, b: number) => number;
	if (key === 'nom' || key === 'code') {
		const text = (p: number) => (key === 'nom' ? rows[index[p]].nom : rows[index[p]].code);
		compare = (a, b) => sign * collator.compare(text(a), text(b)) || a - b;
	} else {
		const column = new Float64Array(n);
		for (let p = 0; p < n; p++) {
			const i = index[p];
			column[p] =
				key === 'score'
					? table.ranking.score[i]
					: key === 'population'
						? rows[i].population
						: table.prepared.values[key][i];
		}
		compare = (a, b) => {
			const [x, y] = [column[a], column[b]];
			if (Number.isNaN(x) || Number.isNaN(y)) {
				return Number.isNaN(x) === Number.isNaN(y) ? a - b : Number.isNaN(x) ? 1 : -1;
			}
			return x === y ? a - b : sign * (x - y);
		};
	}
	return Uint32Array.from(Array.from(positions).sort(compare));
}
