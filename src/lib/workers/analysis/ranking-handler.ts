/**
 * The ranking half of the analysis worker (`analysis.worker.ts`, handlers in `handlers.ts`): the
 * ranking contexts built on the shared analysis, and the work done on each request, as plain
 * functions so they are tested in Node without a browser.
 *
 * The analysis (needs estimate, accessibility, ranking rows: a few seconds for 34,875 communes) is
 * built once per page on the commune table the estimate layer decoded, and the prepared rankings
 * are kept. Each `rank` request is then a weighted sum and a radix sort (a few ms): the worker
 * answers with the rows of the visible page only, and one `Float32Array` of scores aligned with
 * the level's codes (sent once per level) for the map colouring — ~140 kB for the communes,
 * transferred.
 */
import { fetchArtifact } from '$lib/territory/artifact-fetch';
import type { Feature, Geometry, Point } from 'geojson';
import { decodeTerritoryGeometries } from '$lib/export/geojson';
import { analyseTerritories, type TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import { CRITERION_IDS } from '$lib/ranking/criteria';
import { RANK_GROUPS_BY_LEVEL, type RankGroup } from '$lib/ranking/rank';
import {
	epciParentsOf,
	rankTable,
	sortPositions,
	type PreparedCache,
	type RankingSource
} from '$lib/ranking/ranked-table';
import type { PageCriterion, RankingView } from '$lib/ranking/view-params';
import { knownPlacesOf, planImportedPlaces } from '$lib/places-import/imported-supply';
import {
	scenarioMediators,
	type RankingScenario,
	type ScenarioSummary
} from '$lib/ranking/with-scenario';
import { dataPrefix, loadCommuneData, type CommuneData } from './commune-data';
import { ARTIFACTS, type MediatorProperties, type QpvByCommune } from '$lib/territory/artifacts';
import type { CommuneRecord, Level } from '$lib/territory/commune';
import { writeRankingFile, type RankingFile, type RankingFileRequest } from './ranking-download';

/** Rows per page of the table. */
export const PAGE_SIZE = 50;

/** Box to fly to, [west, south, east, north] WGS84 degrees. */
export type Box = [number, number, number, number];

/** Half-size of the box flown to around a commune centre, degrees (≈ 3 km north–south). */
const COMMUNE_BOX_HALF_DEG = 0.03;

/** One row of the visible page. */
export interface PageRow {
	/** Place in the ranking by decreasing score, 1…size. */
	position: number;
	/** Rank within its group (1 = most in need). */
	rank: number;
	groupSize: number;
	code: string;
	nom: string;
	level: Level;
	population: number;
	/** Composite score, 0–100. */
	score: number;
	criteria: PageCriterion[];
	/** The one-sentence French explanation. */
	explanation: string;
	bbox: Box | null;
}

/** The answer to a `rank` request. */
export interface RankedPage {
	level: Level;
	/** Territories in the filter. */
	size: number;
	/** The page actually shown (clamped to the last page), 1-based. */
	page: number;
	pageCount: number;
	group: RankGroup;
	/** Why the normalisation or group differ from the request (French), or null. */
	note: string | null;
	rows: PageRow[];
	/** Codes of every territory of the level, code order; sent only when asked for. */
	codes: string[] | null;
	/** Score 0–100 of each territory of `codes` (NaN: outside the filter). */
	scores: Float32Array;
	/** Time spent ranking in the worker, ms. */
	ms: number;
	/** The scenario the ranking includes, or null for the real situation. */
	scenario: ScenarioSummary | null;
}

/** Accessibility figures of one territory (a row of the shared analysis). */
export interface AccessFigures {
	/** E2SFCA, équivalents conseiller pour 10 000 personnes éloignées (weighted above the commune). */
	accessScore: number | null;
	/** Distance to the nearest mediation place, km (weighted mean above the commune). */
	nearestKm: number | null;
}

/** A territory's accessibility with a scenario's places, beside the national figure. */
export interface TerritoryAccess {
	level: Level;
	code: string;
	national: AccessFigures;
	withScenario: AccessFigures;
	/** What the scenario counts (imported places, and how many replace a known place). */
	summary: NonNullable<RankedPage['scenario']>;
}

/** Scenario analyses kept by the worker (the previous one stays for a quick switch back). */
const SCENARIO_CACHE_SIZE = 2;

/** What the worker holds: the analysis and its ranking caches. */
export interface RankingContext {
	analysis: TerritoryAnalysis;
	source: RankingSource;
	cache: PreparedCache;
	/** Index of each code in `rowsAt(level)`, by level. */
	indexByCode: Map<Level, Map<string, number>>;
	/** Box of each territory, by level and code. */
	boxes: Map<Level, Map<string, Box>>;
	/** The scenario the analysis includes, or null for the real situation. */
	scenario: RankingScenario | null;
	/** What the scenario adds, removes and imports (null for the real situation). */
	scenarioSummary: RankedPage['scenario'];
	/** Contexts of scenarios already analysed, by key, oldest first (only on the baseline). */
	scenarios: Map<string, RankingContext>;
	/** Commune centres by code (GeoJSON points of the commune downloads). */
	communeByCode: ReadonlyMap<string, Pick<CommuneRecord, 'lon' | 'lat'>>;
	/** Polygons of a level by code, read once on the first GeoJSON download of that level. */
	polygonsOf: (level: Exclude<Level, 'commune'>) => Promise<Map<string, Geometry>>;
}

/**
 * Read the artifacts under `dataUrl` and set up the analysis the ranking reads.
 * @param communeData the commune table and territory index already loaded (the estimate layer's),
 *   so the table is decoded and its needs estimated once; read here when absent
 * @throws Error with a French message naming the file that failed
 */
export async function loadRankingContext(
	fetcher: typeof fetch,
	dataUrl: string,
	communeData?: Promise<CommuneData>
): Promise<RankingContext> {
	const prefix = dataPrefix(dataUrl);
	const [{ communes, territories: index }, qpv, mediators] = await Promise.all([
		communeData ?? loadCommuneData(fetcher, prefix),
		fetchArtifact(fetcher, `${prefix}${ARTIFACTS.qpv}`),
		fetchArtifact(fetcher, `${prefix}${ARTIFACTS.mediators}`)
	]);
	const features = (mediators as { features?: Feature<Point, MediatorProperties>[] } | null)
		?.features;
	if (!Array.isArray(features)) {
		throw new Error(`Le fichier ${ARTIFACTS.mediators} n’a pas le format attendu (GeoJSON).`);
	}
	const analysis = analyseTerritories({
		communes,
		mediators: features,
		territories: index,
		qpv: (qpv ?? {}) as QpvByCommune
	});
	const epciParents = epciParentsOf(communes);
	const polygons = new Map<Level, Promise<Map<string, Geometry>>>();
	const polygonsOf = (level: Exclude<Level, 'commune'>) => {
		let pending = polygons.get(level);
		if (!pending) {
			pending = fetchArtifact(fetcher, `${prefix}${ARTIFACTS.geometry[level]}`).then((topology) =>
				decodeTerritoryGeometries(topology, level)
			);
			// A failed read is tried again on the next download.
			pending.catch(() => polygons.delete(level));
			polygons.set(level, pending);
		}
		return pending;
	};
	const boxes = new Map<Level, Map<string, Box>>();
	const communeBoxes = new Map<string, Box>();
	for (const c of communes) {
		if (c.lon === null || c.lat === null) continue;
		const h = COMMUNE_BOX_HALF_DEG;
		communeBoxes.set(c.code, [c.lon - h, c.lat - h, c.lon + h, c.lat + h]);
	}
	boxes.set('commune', communeBoxes);
	for (const [level, list] of [
		['epci', index.epci],
		['departement', index.departements],
		['region', index.regions]
	] as const) {
		boxes.set(level, new Map(list.filter((e) => e.bbox).map((e) => [e.code, e.bbox as Box])));
	}
	return {
		analysis,
		source: {
			rowsAt: (level) => analysis.rowsAt(level),
			preparedAt: (level) => analysis.preparedAt(level),
			epciParents
		},
		cache: new Map(),
		indexByCode: new Map(),
		boxes,
		scenario: null,
		scenarioSummary: null,
		scenarios: new Map(),
		communeByCode: new Map(communes.map((c) => [c.code, c])),
		polygonsOf
	};
}

/**
 * The ranking context of a scenario: the shared analysis rebuilt on the scenario's places (the
 * needs estimate is cached per commune table, so only accessibility and the rows are recomputed,
 * lazily), cached by the scenario's key on the baseline context.
 */
export function scenarioContextOf(
	baseline: RankingContext,
	scenario: RankingScenario
): RankingContext {
	const cached = baseline.scenarios.get(scenario.key);
	if (cached) {
		// Most recently used last.
		baseline.scenarios.delete(scenario.key);
		baseline.scenarios.set(scenario.key, cached);
		return cached;
	}
	const inputs = baseline.analysis.inputs;
	const analysis = analyseTerritories({
		...inputs,
		mediators: scenarioMediators(inputs.mediators, scenario)
	});
	const context: RankingContext = {
		analysis,
		source: {
			rowsAt: (level) => analysis.rowsAt(level),
			preparedAt: (level) => analysis.preparedAt(level),
			epciParents: baseline.source.epciParents
		},
		cache: new Map(),
		indexByCode: baseline.indexByCode,
		boxes: baseline.boxes,
		scenario,
		scenarioSummary: {
			added: scenario.added.length,
			removed: scenario.removed.length,
			imported: scenario.imported?.length ?? 0,
			replaced: scenario.imported?.length
				? planImportedPlaces(knownPlacesOf(inputs.mediators), scenario.imported).replaced.size
				: 0
		},
		scenarios: new Map(),
		communeByCode: baseline.communeByCode,
		polygonsOf: baseline.polygonsOf
	};
	baseline.scenarios.set(scenario.key, context);
	while (baseline.scenarios.size > SCENARIO_CACHE_SIZE) {
		baseline.scenarios.delete(baseline.scenarios.keys().next().value as string);
	}
	return context;
}

/** The ranked table of a view (the table the tab shows, and the one its downloads write). */
function viewTable(context: RankingContext, view: RankingView) {
	const { level } = view;
	return rankTable(
		context.source,
		{
			level,
			filter: {
				region: view.region,
				departement: level === 'region' ? null : view.departement
			},
			weights: view.weights,
			group: RANK_GROUPS_BY_LEVEL[level][0],
			normalisation: 'filtre'
		},
		context.cache
	);
}

/**
 * The file of a view ranked with a scenario, written from the same table as the tab's rows
 * (`viewTable`), so the download holds what the table shows.
 */
export async function exportView(
	baseline: RankingContext,
	view: RankingView,
	scenario: RankingScenario,
	request: RankingFileRequest
): Promise<RankingFile> {
	const context = scenarioContextOf(baseline, scenario);
	const table = viewTable(context, view);
	const geometryOf =
		request.format === 'geojson' && view.level !== 'commune'
			? await context.polygonsOf(view.level)
			: null;
	return writeRankingFile(
		table,
		view,
		context.scenarioSummary!,
		request,
		context.communeByCode,
		geometryOf ? (code) => geometryOf.get(code) ?? null : null
	);
}

/** Index of each code in `rowsAt(level)` (the same order in every context of a baseline). */
function indexOfLevel(context: RankingContext, level: Level): Map<string, number> {
	let index = context.indexByCode.get(level);
	if (!index) {
		index = new Map(context.source.rowsAt(level).map((r, i) => [r.code, i]));
		context.indexByCode.set(level, index);
	}
	return index;
}

/**
 * The accessibility (E2SFCA, nearest place) of one territory counted with a scenario's places and
 * without, from the rows the ranking reads (the same figures as its « Accès » column); null for a
 * code not in the level.
 */
export function accessOfTerritory(
	baseline: RankingContext,
	territory: { level: Level; code: string },
	scenario: RankingScenario
): TerritoryAccess | null {
	const at = indexOfLevel(baseline, territory.level).get(territory.code);
	if (at === undefined) return null;
	const context = scenarioContextOf(baseline, scenario);
	const figures = (c: RankingContext): AccessFigures => {
		const row = c.source.rowsAt(territory.level)[at];
		return { accessScore: row.accessScore, nearestKm: row.nearestKm };
	};
	return {
		...territory,
		national: figures(baseline),
		withScenario: figures(context),
		summary: context.scenarioSummary!
	};
}

/**
 * Rank one view: the page's rows (criteria, explanation, box) and every territory's score.
 * The rank group is the widest the level allows narrowed to the filter (as `/api/classement` with
 * its defaults), so the table, the export links and the API agree.
 */
export function rankView(
	context: RankingContext,
	view: RankingView,
	withCodes: boolean
): RankedPage {
	const started = performance.now();
	const { level } = view;
	const table = viewTable(context, view);
	const sorted = sortPositions(table, view.tri, view.ordre);
	const pageCount = Math.max(1, Math.ceil(table.size / PAGE_SIZE));
	const page = Math.min(Math.max(1, view.page), pageCount);
	const rows: PageRow[] = [];
	const boxes = context.boxes.get(level);
	for (const p of sorted.subarray((page - 1) * PAGE_SIZE, page * PAGE_SIZE)) {
		const row = table.rowAt(p);
		rows.push({
			position: row.position,
			rank: row.rank,
			groupSize: row.groupSize,
			code: row.territory.code,
			nom: row.territory.nom,
			level,
			population: row.territory.population,
			score: row.score,
			criteria: CRITERION_IDS.map((id) => {
				const c = row.criteria[id];
				return {
					id,
					value: c.value,
					text: c.text,
					weight: c.weight,
					contribution: c.contribution,
					missing: c.missing
				};
			}),
			explanation: row.explanation,
			bbox: boxes?.get(row.territory.code) ?? null
		});
	}

	const all = context.source.rowsAt(level);
	const indexByCode = indexOfLevel(context, level);
	const scores = new Float32Array(all.length).fill(NaN);
	const preparedRows = table.prepared.rows;
	for (const i of table.order) {
		const at = indexByCode.get(preparedRows[i].code);
		if (at !== undefined) scores[at] = table.ranking.score[i] * 100;
	}
	return {
		level,
		size: table.size,
		page,
		pageCount,
		group: table.group,
		note: table.note,
		rows,
		codes: withCodes ? all.map((r) => r.code) : null,
		scores,
		ms: performance.now() - started,
		scenario: context.scenarioSummary
	};
}
