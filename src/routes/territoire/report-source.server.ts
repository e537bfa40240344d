/**
 * Server-side inputs of the territory reports: the shared analysis as a `ReportContext`, and the
 * TopoJSON geometry of each level, read once per process and shared by every request (read-only).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Topology, GeometryCollection } from 'topojson-specification';
import { loadServerAnalysis, reportContextOf } from '$lib/server/analysis';
import { ARTIFACTS } from '$lib/territory/artifacts';
import { LEVELS, type Level } from '$lib/territory/commune';
import type { ReportContext } from '$lib/report/report-context';
import type { LevelTopology } from '$lib/report/report-map';
import {
	buildSearchIndex,
	readPostcodeTable,
	withPostcodes,
	type TerritorySearchIndex
} from '$lib/territory/search';
import { dataDirectory, loadServerDataset } from '$lib/server/dataset';
import { getScenarioService } from '$lib/server/scenarios/scenarios-service';
import type { StoredScenario } from '$lib/scenarios/saved-scenario';
import { savedScenarioContext, type SavedScenarioNote } from '$lib/report/report-saved-scenario';

/** Report contexts of saved scenarios kept (a context holds its own accessibility and rows). */
const SAVED_CONTEXTS = 4;

/** The fiche of a saved scenario: its context, what to say of it, and the scenario itself. */
export interface SavedScenarioReport {
	ctx: ReportContext;
	note: SavedScenarioNote;
	scenario: StoredScenario;
}

const cache: {
	context?: Promise<ReportContext>;
	/** By scenario id, oldest first; a saved scenario never changes, so neither does its context. */
	saved: Map<string, Promise<SavedScenarioReport>>;
	search?: Promise<TerritorySearchIndex>;
	geometry: Partial<Record<Level, Promise<LevelTopology>>>;
} = { geometry: {}, saved: new Map() };

/** The report context of the server's analysis, built once. */
export function loadReportContext(): Promise<ReportContext> {
	cache.context ??= loadServerAnalysis()
		.then(reportContextOf)
		.catch((error) => {
			delete cache.context;
			throw error;
		});
	return cache.context;
}

/**
 * The report context of a saved scenario (its imported places counted), built once per id and
 * kept for the last few; null for an unknown id, `unavailable` when the store cannot be read.
 */
export async function loadSavedScenarioReport(
	id: string
): Promise<SavedScenarioReport | null | 'unavailable'> {
	const kept = cache.saved.get(id);
	if (kept) {
		cache.saved.delete(id);
		cache.saved.set(id, kept);
		return kept;
	}
	const scenario = await getScenarioService().get(id);
	if (scenario === null || scenario === 'unavailable') return scenario;
	const pending = loadReportContext().then((ctx) => ({
		...savedScenarioContext(ctx, scenario),
		scenario
	}));
	cache.saved.set(id, pending);
	pending.catch(() => cache.saved.delete(id));
	while (cache.saved.size > SAVED_CONTEXTS) {
		cache.saved.delete(cache.saved.keys().next().value as string);
	}
	return pending;
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

/** Every level's topology (for warming up a server). */
export function loadAllTopologies(): Promise<LevelTopology[]> {
	return Promise.all(LEVELS.map(loadLevelTopology));
}

/**
 * The search index of every commune, EPCI, département and région, with the communes' postcodes
 * (`codes-postaux.json`, read here only: the other pages do not need it), built once.
 */
export function loadSearchIndex(): Promise<TerritorySearchIndex> {
	cache.search ??= Promise.all([
		loadServerDataset(),
		readFile(join(dataDirectory(), ARTIFACTS.postcodes), 'utf8')
	])
		.then(([dataset, postcodes]) =>
			withPostcodes(
				buildSearchIndex(dataset.communes, dataset.territories),
				readPostcodeTable(JSON.parse(postcodes), ARTIFACTS.postcodes)
			)
		)
		.catch((error) => {
			delete cache.search;
			throw error;
		});
	return cache.search;
}
