/**
 * The data of a fiche territoire, computed in the server's task pool (`server-tasks.worker.ts`,
 * task `fiche`): the report, its map and its deployment scenario take from tens of milliseconds to
 * seconds (a first fiche of a level, a scenario whose sites are computed), so the request thread
 * only checks the request (`routes/territoire/fiche-request.server.ts`) and renders the page.
 * Each worker keeps the national report context, the contexts of the last saved scenarios and the
 * levels' geometry, and warms them when it starts (`warmFiches`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { IMPORTED_SOURCE_ID } from '$lib/places-import/imported-place';
import { lookupsOf, type ReportContext } from '$lib/report/report-context';
import { buildReportMap, mapLevelsOf, type LevelTopology } from '$lib/report/report-map';
import { readReportScenario } from '$lib/report/report-scenario';
import {
	savedScenarioContext,
	savedScenarioUrl,
	type SavedScenarioNote
} from '$lib/report/report-saved-scenario';
import { territoryCsvPath } from '$lib/report/territory-ref';
import {
	buildTerritoryReport,
	mediatorsOfCommunes,
	type TerritoryReport
} from '$lib/report/territory-report';
import type { StoredScenario } from '$lib/scenarios/saved-scenario';
import { ARTIFACTS } from '$lib/territory/artifacts';
import { LEVELS, type Level } from '$lib/territory/commune';
import { DEFAULT_DASHBOARD_STATE, formatDashboardSearch } from '$lib/url/map-params';
import { dataDirectory } from './dataset';
import { loadReportContext } from './report-source';

/** Size of the map, px (about 16 × 11 cm on an A4 page). */
const MAP_WIDTH = 620;
const MAP_HEIGHT = 430;

/** Report contexts of saved scenarios kept (a context holds its own accessibility and rows). */
const SAVED_CONTEXTS = 4;

/** What the request thread asks: a territory that exists, in the context of its saved scenario. */
export interface FicheTaskPayload {
	level: Level;
	code: string;
	/** The fiche's URL (its deployment scenario parameters). */
	href: string;
	/** The saved scenario of `?scenario=<id>`, read from the store by the request thread. */
	scenario: StoredScenario | null;
	/** `page`: everything the page shows; `report`: the report only (the CSV and XLSX downloads). */
	part: 'page' | 'report';
}

/** The page's data (`+page.server.ts` returns it as it is). */
export type FichePageData = Awaited<ReturnType<typeof pageData>>;

export type FicheTaskResult =
	| { found: false }
	| {
			found: true;
			report: TerritoryReport;
			/** The saved scenario the fiche counts (« données importées »), or null. */
			note: SavedScenarioNote | null;
			page: FichePageData | null;
	  };

const cache: {
	/** By scenario id, oldest first; a saved scenario never changes, so neither does its context. */
	saved: Map<string, { ctx: ReportContext; note: SavedScenarioNote }>;
	geometry: Partial<Record<Level, Promise<LevelTopology>>>;
} = { geometry: {}, saved: new Map() };

/**
 * The context of a saved scenario (its imported places counted), built once per id for this
 * thread: the fiche and the ranking of `?scenario=<id>` (`ranking-answer.ts`) share it.
 */
export function savedReportContext(
	national: ReportContext,
	scenario: StoredScenario
): { ctx: ReportContext; note: SavedScenarioNote } {
	let kept = cache.saved.get(scenario.id);
	if (kept) cache.saved.delete(scenario.id);
	else kept = savedScenarioContext(national, scenario);
	cache.saved.set(scenario.id, kept);
	while (cache.saved.size > SAVED_CONTEXTS) {
		cache.saved.delete(cache.saved.keys().next().value as string);
	}
	return kept;
}

/** The TopoJSON of one level with its geometries indexed by code, read once. */
export function loadLevelTopology(level: Level): Promise<LevelTopology> {
	cache.geometry[level] ??= readFile(join(dataDirectory(), ARTIFACTS.geometry[level]), 'utf8')
		.then((text) => {
			const topology = JSON.parse(text) as Topology;
			const object = topology.objects[level] as GeometryCollection<{ code: string }>;
			if (!object || object.type !== 'GeometryCollection') {
				throw new Error(
					`Fichier ${ARTIFACTS.geometry[level]} : objet « ${level} » absent ou mal formé.`
				);
			}
			const byCode = new Map(
				object.geometries.map((g) => [
					String((g.properties as { code?: string } | undefined)?.code),
					g
				])
			);
			return { level, topology, byCode };
		})
		.catch((error) => {
			delete cache.geometry[level];
			throw error;
		});
	return cache.geometry[level]!;
}

/** The fiche's data (the task `fiche`); `found: false` when the territory has no data. */
export async function ficheData(payload: FicheTaskPayload): Promise<FicheTaskResult> {
	const national = await loadReportContext();
	const { ctx, note } = payload.scenario
		? savedReportContext(national, payload.scenario)
		: { ctx: national, note: null };
	const report = buildTerritoryReport(ctx, payload.level, payload.code, { now: new Date() });
	if (report === null) return { found: false };
	const page = payload.part === 'page' ? await pageData(payload, ctx, report, note) : null;
	return { found: true, report, note, page };
}

async function pageData(
	{ level, code, href, scenario: stored }: FicheTaskPayload,
	ctx: ReportContext,
	report: TerritoryReport,
	saved: SavedScenarioNote | null
) {
	const url = new URL(href);
	const members = lookupsOf(ctx).communesOf[level].get(code) ?? [];
	const epci = level === 'commune' ? (members[0]?.epci ?? null) : null;
	const levels = mapLevelsOf(level, epci !== null);
	const topologies = Object.fromEntries(
		await Promise.all(levels.map(async (l) => [l, await loadLevelTopology(l)] as const))
	);
	// The mapped area: the territory, or the EPCI around a commune.
	const area = epci !== null ? (lookupsOf(ctx).communesOf.epci.get(epci) ?? members) : members;
	const places = mediatorsOfCommunes(
		ctx,
		area.map((c) => c.code)
	).map((m) => ({
		lon: m.geometry.coordinates[0],
		lat: m.geometry.coordinates[1],
		type: m.properties.type,
		imported: m.properties.source === IMPORTED_SOURCE_ID
	}));
	const scenario = readReportScenario(
		stored ? savedScenarioUrl(url, stored.parameters) : url,
		ctx.analysis
	);
	const markers =
		scenario.status === 'done'
			? scenario.result.sites.map((site) => ({
					lon: site.lon,
					lat: site.lat,
					label: String(site.rang)
				}))
			: [];
	const map = buildReportMap({
		level,
		code,
		epci,
		subTerritories: report.subTerritories,
		places,
		markers,
		topologies,
		width: MAP_WIDTH,
		height: MAP_HEIGHT
	});

	const dashboard = formatDashboardSearch({
		...DEFAULT_DASHBOARD_STATE,
		selection: { level, code }
	});
	const withScenario =
		scenario.status === 'done'
			? `${dashboard}${dashboard ? '&' : '?'}${scenario.search}`
			: dashboard;
	const downloadSearch = saved ? `?${new URLSearchParams({ scenario: saved.id })}` : '';
	// The map opens the saved scenario too (it brings its imported places back).
	const mapSearch = saved
		? `${withScenario}${withScenario ? '&' : '?'}${new URLSearchParams({ scenario: saved.id })}`
		: withScenario;
	return {
		report,
		map,
		mapPlaceCount: places.length,
		scenario,
		/** The saved scenario the fiche counts (« données importées »), or null. */
		saved,
		links: {
			/** Query string of the map page selecting this territory (and the scenario, if any). */
			mapSearch,
			/** The downloads (same figures as the page: the saved scenario's, if any). */
			csv: `${territoryCsvPath(level, code)}${downloadSearch}`,
			/** Query of the download links (`?scenario=<id>`, or empty). */
			downloadSearch
		}
	};
}

/**
 * A worker's warm-up for the fiches: the national context's lookups, every level's geometry, and
 * one report per level (each level's first report builds its national rankings).
 */
export async function warmFiches(): Promise<void> {
	const national = await loadReportContext();
	await Promise.all(LEVELS.map(loadLevelTopology));
	const { communesOf } = lookupsOf(national);
	for (const level of LEVELS) {
		const code = communesOf[level].keys().next().value;
		if (code !== undefined) buildTerritoryReport(national, level, code, { now: new Date() });
	}
}
