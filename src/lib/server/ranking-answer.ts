/**
 * The answers of `GET /api/classement`, from a valid query and what the ranking counts (the
 * national places, or a saved scenario's). One code wherever it runs: on the request thread for
 * small answers, in the task pool (`server-tasks.worker.ts`) for the large ones
 * (`isHeavyRankingQuery`), so an answer is the same bytes either way.
 */
import { json } from '@sveltejs/kit';
import type { Geometry } from 'geojson';
import type { TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import {
	epciParentsOf,
	rankTable,
	sortPositions,
	type PreparedCache,
	type RankingSource
} from '$lib/ranking/ranked-table';
import {
	rankingCompanion,
	rankingCsvChunks,
	rankingFileName,
	rankingJsonChunks,
	rankingProvenanceHeaders,
	type RankingExport,
	type RankingExportScenario
} from '$lib/export/ranking-export';
import { rankingXlsx } from '$lib/export/ranking-xlsx';
import { plainXlsxTable, writePlainXlsx, XLSX_CONTENT_TYPE } from '$lib/export/xlsx';
import { centrePoint, decodeTerritoryGeometries, rankingGeoJsonChunks } from '$lib/export/geojson';
import type { RankingQuery } from '$lib/ranking/query';
import { savedScenarioPosts } from '$lib/report/saved-scenario-posts';
import type { StoredScenario } from '$lib/scenarios/saved-scenario';
import type { DatasetSource } from '$lib/territory/artifacts';
import { parentCode, type CommuneRecord, type Level } from '$lib/territory/commune';
import { reportContextOf, type ServerAnalysis } from './analysis';
import { loadLevelTopology, savedReportContext } from './fiche-data';

/**
 * Territories in a filter above which an answer is computed in the task pool: a département's
 * communes (at most ~900, a few ms of work) stay on the request thread; a région's communes, the
 * 1,254 EPCI and the 34,875 communes of France (a second of work for the CSV) do not.
 */
export const HEAVY_RANKING_ROWS = 1000;

const filterCounts = new WeakMap<readonly CommuneRecord[], Map<string, number>>();

/** Territories of the query's level inside its filter (all of them, whatever `limite`). */
export function territoriesInFilter(q: RankingQuery, communes: readonly CommuneRecord[]): number {
	let counts = filterCounts.get(communes);
	if (!counts) filterCounts.set(communes, (counts = new Map()));
	const key = `${q.niveau}|${q.region}|${q.departement}`;
	let count = counts.get(key);
	if (count === undefined) {
		const codes = new Set<string>();
		for (const c of communes) {
			if (
				(q.region === null || c.reg === q.region) &&
				(q.departement === null || c.dep === q.departement)
			) {
				const code = parentCode(c, q.niveau);
				if (code !== null) codes.add(code);
			}
		}
		count = codes.size;
		counts.set(key, count);
	}
	return count;
}

/**
 * Whether the answer is computed in the task pool: a large filter (`HEAVY_RANKING_ROWS`), a
 * workbook, or a saved scenario (its simulation is replayed to count its posts).
 */
export function isHeavyRankingQuery(q: RankingQuery, communes: readonly CommuneRecord[]): boolean {
	return (
		q.scenario !== null ||
		q.format === 'xlsx' ||
		territoriesInFilter(q, communes) > HEAVY_RANKING_ROWS
	);
}

/** What a ranking counts: an analysis, its sources, and the scenario it includes if any. */
export interface RankingBasis {
	analysis: TerritoryAnalysis;
	datasets: readonly DatasetSource[];
	scenario?: RankingExportScenario;
}

/** The national places. */
export function nationalBasis(national: ServerAnalysis): RankingBasis {
	return { analysis: national.analysis, datasets: national.dataset.sources.datasets };
}

/** Bases of the last saved scenarios asked for (a simulation run each, then kept). */
const savedBases = new Map<string, RankingBasis>();
const SAVED_BASES_KEPT = 4;

/**
 * A saved scenario's places, as its fiche counts them (`report/report-saved-scenario.ts`): its
 * imported places, then the posts of its saved simulation, replayed once per scenario id.
 */
export function savedScenarioBasis(national: ServerAnalysis, stored: StoredScenario): RankingBasis {
	const kept = savedBases.get(stored.id);
	if (kept) return kept;
	const { ctx, note } = savedReportContext(reportContextOf(national), stored);
	const posts = savedScenarioPosts(stored, ctx.analysis);
	const basis: RankingBasis = {
		analysis: posts?.analysis ?? ctx.analysis,
		// Ends with the line « données importées ».
		datasets: ctx.sources,
		scenario: {
			id: note.id,
			origin: `Scénario « ${note.name} »`,
			imported: note.summary.imported,
			replaced: note.summary.replaced,
			added: posts?.added ?? 0,
			removed: posts?.removed ?? 0,
			text: posts ? `${note.text} ; ${posts.text}` : note.text
		}
	};
	savedBases.set(stored.id, basis);
	while (savedBases.size > SAVED_BASES_KEPT) {
		savedBases.delete(savedBases.keys().next().value as string);
	}
	return basis;
}

/**
 * The analysis as the ranked table reads it, with every EPCI's départements, and its filtered sets
 * already normalised (built once per analysis: the national one, and one per saved scenario, whose
 * accessibility differs, so two scenarios never share a normalised set).
 */
const rankingSources = new WeakMap<
	TerritoryAnalysis,
	{ source: RankingSource; prepared: PreparedCache }
>();

function rankingSourceOf(analysis: TerritoryAnalysis) {
	let entry = rankingSources.get(analysis);
	if (!entry) {
		entry = {
			source: {
				rowsAt: (level) => analysis.rowsAt(level),
				preparedAt: (level) => analysis.preparedAt(level),
				epciParents: epciParentsOf(analysis.inputs.communes)
			},
			prepared: new Map()
		};
		rankingSources.set(analysis, entry);
	}
	return entry;
}

/**
 * Decoded polygons per level, once per thread, from the topology the fiches read too (EPCI ≈ 0.7 MB
 * of TopoJSON, read once).
 */
const polygons = new Map<Exclude<Level, 'commune'>, Promise<Map<string, Geometry>>>();

function polygonsOf(level: Exclude<Level, 'commune'>): Promise<Map<string, Geometry>> {
	let pending = polygons.get(level);
	if (!pending) {
		pending = loadLevelTopology(level)
			.then(({ topology }) => decodeTerritoryGeometries(topology, level))
			.catch((error) => {
				polygons.delete(level);
				throw error;
			});
		polygons.set(level, pending);
	}
	return pending;
}

/** The export's data: the ranked table, sorted and paged. */
function rankingExport(q: RankingQuery, basis: RankingBasis): RankingExport {
	const ranking = rankingSourceOf(basis.analysis);
	const table = rankTable(
		ranking.source,
		{
			level: q.niveau,
			filter: { region: q.region, departement: q.departement },
			weights: q.weights,
			group: q.groupe,
			normalisation: q.normalisation
		},
		ranking.prepared
	);
	let positions: ArrayLike<number> = sortPositions(table, q.tri, q.ordre);
	if (q.limite !== null) {
		const start = (q.page - 1) * q.limite;
		positions = (positions as Uint32Array).subarray(start, start + q.limite);
	}
	return {
		query: q,
		table,
		positions,
		datasets: basis.datasets,
		generatedAt: new Date(),
		geometry: q.format !== 'geojson' ? 'none' : q.niveau === 'commune' ? 'points' : 'polygons',
		...(basis.scenario ? { scenario: basis.scenario } : {})
	};
}

/**
 * The answer to a valid query, body in full (the answers cache keeps it whole anyway).
 * @param communes the national commune table (centres of the commune-level GeoJSON)
 */
export async function rankingAnswer(
	q: RankingQuery,
	basis: RankingBasis,
	communeByCode: ReadonlyMap<string, CommuneRecord>
): Promise<Response> {
	const data = rankingExport(q, basis);
	const provenance = rankingProvenanceHeaders(data);
	if (q.format === 'csv') {
		return new Response([...rankingCsvChunks(data)].join(''), {
			headers: {
				// RFC 4180 with a header row (`header=present`, RFC 7111 registration).
				'content-type': 'text/csv; charset=utf-8; header=present',
				'content-disposition': `attachment; filename="${rankingFileName(q, 'csv')}"`,
				...provenance
			}
		});
	}
	if (q.format === 'xlsx') {
		// Only ever in the pool (`isHeavyRankingQuery`): exceljs takes seconds on all communes.
		const { table: sheet, provenance: sources } = rankingXlsx(data);
		return new Response(await writePlainXlsx(plainXlsxTable(sheet), sources), {
			headers: {
				'content-type': XLSX_CONTENT_TYPE,
				'content-disposition': `attachment; filename="${rankingFileName(q, 'xlsx')}"`,
				...provenance
			}
		});
	}
	if (q.format === 'metadonnees') {
		return json(rankingCompanion(data), {
			headers: {
				'content-disposition': `attachment; filename="${rankingFileName(q, 'metadonnees.json')}"`
			}
		});
	}
	if (q.format === 'geojson') {
		let geometryOf: (code: string) => Geometry | null;
		if (q.niveau === 'commune') {
			geometryOf = (code) => {
				const c = communeByCode.get(code);
				return c ? centrePoint(c.lon, c.lat) : null;
			};
		} else {
			const shapes = await polygonsOf(q.niveau);
			geometryOf = (code) => shapes.get(code) ?? null;
		}
		return new Response([...rankingGeoJsonChunks(data, geometryOf)].join(''), {
			headers: {
				'content-type': 'application/geo+json; charset=utf-8',
				'content-disposition': `attachment; filename="${rankingFileName(q, 'geojson')}"`,
				...provenance
			}
		});
	}
	return new Response([...rankingJsonChunks(data)].join(''), {
		headers: { 'content-type': 'application/json; charset=utf-8', ...provenance }
	});
}
