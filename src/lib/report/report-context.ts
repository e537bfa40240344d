/**
 * What a territory report is built from (the dataset, the mediation places and the shared analysis),
 * and the look-ups every report needs, built once per analysis and reused by every request.
 */
import type { Feature, Point } from 'geojson';
import type { TerritoryAnalysis } from '../analysis/territory-analysis';
import type { TerritoryRow } from '../ranking/criteria';
import { buildRankingRows } from '../ranking/rows';
import type {
	DatasetSource,
	MediatorProperties,
	QpvByCommune,
	TerritoryEntry,
	TerritoryIndex
} from '../territory/artifacts';
import { groupCommunesByLevel } from '../territory/aggregate';
import { LEVELS, type CommuneRecord, type Level } from '../territory/commune';

export interface ReportContext {
	/** The commune table the analysis was built on. */
	communes: readonly CommuneRecord[];
	territories: TerritoryIndex;
	qpv: QpvByCommune;
	/** `sources.json` datasets. */
	sources: readonly DatasetSource[];
	/** Date the artifacts were built (`sources.json` report), ISO. */
	dataGenerated: string;
	mediators: readonly Feature<Point, MediatorProperties>[];
	analysis: TerritoryAnalysis;
}

/** Look-ups derived from a context. */
export interface ReportLookups {
	/** Member communes of each territory, by level and code (table order). */
	communesOf: Record<Level, ReadonlyMap<string, readonly CommuneRecord[]>>;
	/** EPCI, département and région entries by code. */
	entries: Record<Exclude<Level, 'commune'>, ReadonlyMap<string, TerritoryEntry>>;
	/** Position of each code in `analysis.rowsAt(level)`. */
	rowIndex: Record<Level, ReadonlyMap<string, number>>;
	/** Ranking row of France as a whole, aggregated with the same rules as the régions. */
	franceRow: TerritoryRow;
	/** Mediation places by commune code. */
	mediatorsByCommune: ReadonlyMap<string, readonly Feature<Point, MediatorProperties>[]>;
	mediatorById: ReadonlyMap<string, Feature<Point, MediatorProperties>>;
	/** Datasets by id. */
	sourceById: ReadonlyMap<string, DatasetSource>;
}

// One set of look-ups per analysis object, collected with it.
const lookupsCache = new WeakMap<TerritoryAnalysis, ReportLookups>();

/**
 * The France row: every commune put in one pseudo-région `FR`, so that sums, ratios of sums and
 * weighted means follow exactly the rules of `buildRankingRows` (no second definition of them).
 */
function buildFranceRow(ctx: ReportContext): TerritoryRow {
	const analysis = ctx.analysis;
	const asOneRegion = ctx.communes.map((c) => ({ ...c, reg: 'FR' }));
	const [row] = buildRankingRows(asOneRegion, 'region', {
		need: (c) => {
			const e = analysis.estimateByCode.get(c.code);
			return e ? { eloignes: e.eloignes, base: e.pop15 } : null;
		},
		access: analysis.access,
		qpv: ctx.qpv
	});
	return { ...row, code: 'FR', nom: 'France' };
}

/** The look-ups of a context, built on first use and cached with its analysis. */
export function lookupsOf(ctx: ReportContext): ReportLookups {
	const cached = lookupsCache.get(ctx.analysis);
	if (cached) return cached;
	const communesOf = {} as Record<Level, ReadonlyMap<string, readonly CommuneRecord[]>>;
	const rowIndex = {} as Record<Level, ReadonlyMap<string, number>>;
	for (const level of LEVELS) {
		communesOf[level] = groupCommunesByLevel(ctx.communes, level);
		rowIndex[level] = new Map(ctx.analysis.rowsAt(level).map((r, i) => [r.code, i]));
	}
	const byCode = (list: readonly TerritoryEntry[]) => new Map(list.map((e) => [e.code, e]));
	const mediatorsByCommune = new Map<string, Feature<Point, MediatorProperties>[]>();
	for (const m of ctx.mediators) {
		const code = m.properties.commune;
		if (code === null) continue;
		const list = mediatorsByCommune.get(code);
		if (list) list.push(m);
		else mediatorsByCommune.set(code, [m]);
	}
	const lookups: ReportLookups = {
		communesOf,
		entries: {
			region: byCode(ctx.territories.regions),
			departement: byCode(ctx.territories.departements),
			epci: byCode(ctx.territories.epci)
		},
		rowIndex,
		franceRow: buildFranceRow(ctx),
		mediatorsByCommune,
		mediatorById: new Map(ctx.mediators.map((m) => [m.properties.id, m])),
		sourceById: new Map(ctx.sources.map((s) => [s.id, s]))
	};
	lookupsCache.set(ctx.analysis, lookups);
	return lookups;
}

/** The ranking row of a territory, or null when the code is not in the level. */
export function rowOf(ctx: ReportContext, level: Level, code: string): TerritoryRow | null {
	const i = lookupsOf(ctx).rowIndex[level].get(code);
	return i === undefined ? null : ctx.analysis.rowsAt(level)[i];
}
