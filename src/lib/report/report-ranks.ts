/**
 * Where a territory stands in the priority ranking, and which of its sub-territories to prioritise.
 * Reports use one ranking: the "Équilibré" weights, criteria normalised over every territory of the
 * level in France (`normalisation: 'france'`), so a territory has one score and its ranks in its
 * département, its région and France are three readings of the same national comparison.
 */
import type { TerritoryAnalysis } from '../analysis/territory-analysis';
import { CRITERIA, type CriterionId } from '../ranking/criteria';
import { RANK_GROUPS_BY_LEVEL, type RankGroup } from '../ranking/rank';
import { rankTable, type RankedTable } from '../ranking/ranked-table';
import { DEFAULT_WEIGHTS, WEIGHT_PRESETS } from '../ranking/weights';
import type { Level } from '../territory/commune';
import { lookupsOf, type ReportContext } from './report-context';
import { SUB_LEVEL } from './territory-ref';

/** The preset the reports rank with. */
export const REPORT_PRESET = WEIGHT_PRESETS.find((p) => p.id === 'equilibre') ?? WEIGHT_PRESETS[0];

/** Sub-territories listed as priorities in a report (the map shades all of them). */
export const PRIORITY_COUNT = 5;

/** Number of priority classes on the map: quintiles of the national rank. */
export const PRIORITY_CLASSES = 5;

// Ranked tables of the default weights, per analysis, level and group: immutable, built on first use.
const tableCache = new WeakMap<TerritoryAnalysis, Map<string, RankedTable>>();

/** The national ranking of `level` under the report weights, ranks counted within `group`. */
export function reportRankedTable(
	analysis: TerritoryAnalysis,
	level: Level,
	group: RankGroup
): RankedTable {
	let tables = tableCache.get(analysis);
	if (!tables) tableCache.set(analysis, (tables = new Map()));
	const key = `${level}|${group}`;
	let table = tables.get(key);
	if (!table) {
		table = rankTable(analysis, {
			level,
			filter: { region: null, departement: null },
			weights: DEFAULT_WEIGHTS,
			group,
			normalisation: 'france'
		});
		tables.set(key, table);
	}
	return table;
}

/** One rank of the territory. */
export interface TerritoryRank {
	group: RankGroup;
	/** Code of the département or région it is ranked in (`FR` for France). */
	groupCode: string;
	/** « dans son département (Nord, 59) », « dans sa région (Hauts-de-France) », « en France ». */
	groupLabel: string;
	/** « de son département (Nord, 59) », « de sa région (Hauts-de-France) », « de France ». */
	groupOf: string;
	/** 1 = most in need; equal scores share a rank. */
	rank: number;
	/** Territories of the level in the group. */
	size: number;
}

/** What a criterion adds to the territory's score. */
export interface ScoreContribution {
	id: CriterionId;
	label: string;
	/** The criterion's value as in the ranking table (« 18 km »). */
	text: string;
	weight: number;
	/** Points of the 0–100 score. */
	points: number;
	missing: boolean;
}

export interface TerritoryRanking {
	/** Composite priority score, 0–100. */
	score: number;
	/** Finest group first: département, région, France (as the level allows). */
	ranks: TerritoryRank[];
	/** One sentence: the rank in the finest group and the criteria that weigh most. */
	explanation: string;
	/** Every weighted criterion, in the criteria's order. */
	contributions: ScoreContribution[];
	/** Name and description of the weights used. */
	preset: { label: string; description: string };
}

/**
 * Labels of a rank group, with possessives so no département name needs its article (« du Nord »,
 * « de l’Ain »): `in` « dans son département (Nord, 59) », `of` « de son département (Nord, 59) ».
 */
function groupLabelsOf(
	ctx: ReportContext,
	group: RankGroup,
	code: string
): { in: string; of: string } {
	const { entries } = lookupsOf(ctx);
	if (group === 'france') return { in: 'en France', of: 'de France' };
	if (group === 'region') {
		const nom = entries.region.get(code)?.nom ?? code;
		return { in: `dans sa région (${nom})`, of: `de sa région (${nom})` };
	}
	const nom = entries.departement.get(code)?.nom ?? code;
	return {
		in: `dans son département (${nom}, ${code})`,
		of: `de son département (${nom}, ${code})`
	};
}

/** Finest group first. */
const GROUP_ORDER: readonly RankGroup[] = ['departement', 'region', 'france'];

/**
 * The territory's ranks within its département, région and France at its level (as far as the level
 * allows: a région is only ranked in France), its score and the sentence that explains it; null when
 * the territory is not ranked (unknown code).
 */
export function rankTerritoryInReport(
	ctx: ReportContext,
	level: Level,
	code: string
): TerritoryRanking | null {
	const groups = GROUP_ORDER.filter((g) => RANK_GROUPS_BY_LEVEL[level].includes(g));
	const ranks: TerritoryRank[] = [];
	let explanation = '';
	let score = 0;
	let contributions: ScoreContribution[] = [];
	for (const group of groups) {
		const table = reportRankedTable(ctx.analysis, level, group);
		const position = table.positionOf(code);
		if (position < 0) return null;
		const row = table.rowAt(position);
		const groupCode =
			group === 'france'
				? 'FR'
				: ((group === 'region' ? row.territory.reg : row.territory.dep) ?? '');
		const labels = groupLabelsOf(ctx, group, groupCode);
		ranks.push({
			group,
			groupCode,
			groupLabel: labels.in,
			groupOf: labels.of,
			rank: row.rank,
			size: row.groupSize
		});
		if (explanation === '') {
			explanation = row.explanation;
			score = row.score;
			contributions = Object.values(row.criteria)
				.filter((c) => c.weight > 0)
				.map((c) => ({
					id: c.id,
					label: CRITERIA[c.id].label,
					text: c.text,
					weight: c.weight,
					points: c.contribution,
					missing: c.missing
				}));
		}
	}
	return {
		score,
		ranks,
		explanation,
		contributions,
		preset: { label: REPORT_PRESET.label, description: REPORT_PRESET.description }
	};
}

/** One sub-territory of the report (a commune of an EPCI, an EPCI of a département…). */
export interface SubTerritoryPriority {
	code: string;
	nom: string;
	/**
	 * Whether the report lists it: an EPCI that lies mainly in another département is drawn on a
	 * département's map but listed (and ranked) with its main département.
	 */
	listed: boolean;
	/** Place among the listed sub-territories, 1 = most in need (equal scores share a place); 0 if not listed. */
	place: number;
	/** Composite priority score, 0–100. */
	score: number;
	/** National rank among the territories of its level, and their number. */
	franceRank: number;
	franceSize: number;
	/** 1 = among the 20 % most in need in France … 5 = the 20 % least in need. */
	priorityClass: number;
	population: number;
	eloignes: number | null;
	partEloignes: number | null;
	/** The ranking's sentence (only for the first `PRIORITY_COUNT` listed). */
	explanation: string | null;
}

export interface SubTerritoryPriorities {
	level: Level;
	/** Every sub-territory, most in need first. */
	items: SubTerritoryPriority[];
}

/**
 * Codes of the sub-territories of a territory: the départements of a région, the EPCI with at least
 * one commune in a département, the communes of an EPCI; for a commune, the communes of its EPCI
 * (its neighbours, itself included).
 */
export function subTerritoryCodes(
	ctx: ReportContext,
	level: Level,
	code: string
): { level: Level; codes: string[] } | null {
	const { communesOf } = lookupsOf(ctx);
	const members = communesOf[level].get(code) ?? [];
	switch (level) {
		case 'region':
			return {
				level: 'departement',
				codes: [...new Set(members.map((c) => c.dep))]
			};
		case 'departement':
			return {
				level: 'epci',
				codes: [...new Set(members.flatMap((c) => (c.epci === null ? [] : [c.epci])))]
			};
		case 'epci':
			return { level: 'commune', codes: members.map((c) => c.code) };
		case 'commune': {
			const epci = members[0]?.epci ?? null;
			const neighbours = epci === null ? members : (communesOf.epci.get(epci) ?? members);
			return { level: 'commune', codes: neighbours.map((c) => c.code) };
		}
	}
}

/**
 * The sub-territories of a territory, most in need first, with their national priority class (for
 * the map) and, for the first `count` listed, the ranking's explanation (ranked within their
 * département, or their région for départements). For a commune: the communes of its EPCI. Null when
 * there is nothing below to list (a commune without EPCI).
 */
export function prioritiseSubTerritories(
	ctx: ReportContext,
	level: Level,
	code: string,
	count = PRIORITY_COUNT
): SubTerritoryPriorities | null {
	const sub = subTerritoryCodes(ctx, level, code);
	if (!sub || sub.codes.length === 0 || (level === 'commune' && sub.codes.length < 2)) return null;
	if (level !== 'commune' && SUB_LEVEL[level] !== sub.level) return null;
	const france = reportRankedTable(ctx.analysis, sub.level, 'france');
	const group: RankGroup = sub.level === 'departement' ? 'region' : 'departement';
	const local = reportRankedTable(ctx.analysis, sub.level, group);
	const found = sub.codes
		.map((c) => france.positionOf(c))
		.filter((p) => p >= 0)
		.sort((a, b) => a - b);
	const items: SubTerritoryPriority[] = [];
	let listedCount = 0;
	let lastScore = NaN;
	let lastPlace = 0;
	for (const position of found) {
		const row = france.rowAt(position);
		// An EPCI belongs to the département holding most of its population (rows.ts).
		const listed = !(level === 'departement' && row.territory.dep !== code);
		let place = 0;
		let explanation: string | null = null;
		if (listed) {
			listedCount++;
			place = row.score === lastScore ? lastPlace : listedCount;
			lastScore = row.score;
			lastPlace = place;
			if (listedCount <= count) {
				explanation = local.rowAt(local.positionOf(row.territory.code)).explanation;
			}
		}
		items.push({
			code: row.territory.code,
			nom: row.territory.nom,
			listed,
			place,
			score: row.score,
			franceRank: row.rank,
			franceSize: row.groupSize,
			priorityClass: Math.min(
				PRIORITY_CLASSES,
				Math.max(1, Math.ceil((PRIORITY_CLASSES * row.rank) / row.groupSize))
			),
			population: row.territory.population,
			eloignes: row.territory.eloignes,
			partEloignes: row.territory.partEloignes,
			explanation
		});
	}
	return { level: sub.level, items };
}
