/**
 * GET /api/classement?niveau=commune|epci|departement|region[&region=..][&departement=..]
 *   [&poids=equilibre|rural|qpv|reseau|eloignes:3,acces:2,…][&groupe=france|region|departement]
 *   [&normalisation=filtre|france][&tri=..&ordre=asc|desc][&limite=..&page=..]
 *   [&scenario=<id d'un scénario enregistré>][&format=json|csv|xlsx|geojson|metadonnees][&separateur=;|,]
 * The ranking of territories most in need of digital mediation, from the same pure code as the
 * ranking page (ranking/ranked-table.ts); parameters are documented in ranking/query.ts.
 * A bad request gets a 400 `{ erreur, details }` listing every problem, in French. With
 * `scenario=<id>`, the ranking counts the saved scenario's imported places, read through the
 * fiche's own loader (`loadSavedScenarioReport`: one context per scenario, the same figures as its
 * fiche territoire) and says so (metadata `scenario`, source « données importées »,
 * `x-atlas-scenario`); an unknown or malformed id gets a French 404.
 * Answers are computed once per normalised query (server/response-cache.ts): the same ranking
 * asked again, whatever the order or spelling of its parameters, is served from memory with its
 * ETag, compressed.
 */
import { SCENARIOS_UNAVAILABLE } from '$lib/server/scenarios/scenarios-service';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { json } from '@sveltejs/kit';
import type { Geometry } from 'geojson';
import type { RequestHandler } from './$types';
import { loadServerAnalysis } from '$lib/server/analysis';
import { dataDirectory } from '$lib/server/dataset';
import {
	epciParentsOf,
	rankTable,
	sortPositions,
	type PreparedCache,
	type RankingSource
} from '$lib/ranking/ranked-table';
import type { TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import {
	rankingCompanion,
	rankingCsvChunks,
	rankingFileName,
	rankingJsonChunks,
	rankingProvenanceHeaders,
	type RankingExport
} from '$lib/export/ranking-export';
import { rankingXlsx } from '$lib/export/ranking-xlsx';
import { xlsxInWorker } from '$lib/server/server-tasks';
import { XLSX_CONTENT_TYPE } from '$lib/export/xlsx';
import {
	knownCodesOf,
	parseRankingQuery,
	serializeRankingQuery,
	type RankingQuery
} from '$lib/ranking/query';
import { answersCache, API_CACHE_CONTROL } from '$lib/server/response-cache';
import { centrePoint, decodeTerritoryGeometries, rankingGeoJsonChunks } from '$lib/export/geojson';
import { ARTIFACTS, type DatasetSource } from '$lib/territory/artifacts';
import {
	loadSavedScenarioReport,
	type SavedScenarioReport
} from '../../territoire/report-source.server';
import { savedScenarioPosts, type SavedScenarioPosts } from '$lib/report/saved-scenario-posts';
import type { Level } from '$lib/territory/commune';

/**
 * The analysis as the ranked table reads it, with every EPCI's départements, and its filtered sets
 * already normalised (built once per analysis: the national one, and one per saved scenario, whose
 * accessibility differs, so two scenarios never share a normalised set).
 */
const rankingSources = new WeakMap<
	TerritoryAnalysis,
	{ source: RankingSource; prepared: PreparedCache }
>();

function rankingSourceOf(analysis: TerritoryAnalysis): {
	source: RankingSource;
	prepared: PreparedCache;
} {
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

/** The simulated posts of the last saved scenarios asked for (a run each, then kept). */
const savedPosts = new Map<string, SavedScenarioPosts | null>();
const SAVED_POSTS_KEPT = 8;

function postsOf(saved: SavedScenarioReport): SavedScenarioPosts | null {
	const id = saved.scenario.id;
	if (!savedPosts.has(id)) {
		savedPosts.set(id, savedScenarioPosts(saved.scenario, saved.ctx.analysis));
		while (savedPosts.size > SAVED_POSTS_KEPT) {
			savedPosts.delete(savedPosts.keys().next().value as string);
		}
	}
	return savedPosts.get(id) ?? null;
}

/** Decoded polygons per level, read once per process (EPCI ≈ 0.7 MB of TopoJSON). */
const polygons = new Map<Exclude<Level, 'commune'>, Promise<Map<string, Geometry>>>();

function polygonsOf(level: Exclude<Level, 'commune'>): Promise<Map<string, Geometry>> {
	let pending = polygons.get(level);
	if (!pending) {
		pending = readFile(join(dataDirectory(), ARTIFACTS.geometry[level]), 'utf8')
			.then((text) => decodeTerritoryGeometries(JSON.parse(text), level))
			.catch((error) => {
				polygons.delete(level);
				throw error;
			});
		polygons.set(level, pending);
	}
	return pending;
}

/**
 * A response body that pulls one chunk at a time and lets the event loop run between chunks
 * (`setImmediate`): an export of 34,875 communes takes about a second of work and must not hold
 * up the other requests meanwhile.
 */
function streamChunks(chunks: Iterator<string>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			await new Promise((resolve) => setImmediate(resolve));
			const next = chunks.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(next.value));
		}
	});
}

export const GET: RequestHandler = async ({ url, request }) => {
	const { dataset } = await loadServerAnalysis();
	const query = parseRankingQuery(url.searchParams, knownCodesOf(dataset.territories));
	if (!query.ok) return json({ erreur: query.erreur, details: query.details }, { status: 400 });
	const q = query.value;
	// The key holds `scenario` (serializeRankingQuery writes it when present): a saved scenario
	// never changes, so its answer may be kept; two scenarios never share one.
	return answersCache.respond(
		request,
		`/api/classement?${serializeRankingQuery(q)}`,
		API_CACHE_CONTROL,
		() => answer(q)
	);
};

/** French error answer `{ erreur, details }` (not cached: only 200s are). */
const refusal = (status: number, message: string) =>
	json({ erreur: message, details: [message] }, { status });

/** The answer to a valid query (computed once per normalised query, see GET). */
async function answer(q: RankingQuery): Promise<Response> {
	const national = await loadServerAnalysis();
	const { dataset } = national;
	let analysis = national.analysis;
	let datasets: readonly DatasetSource[] = dataset.sources.datasets;
	let scenario: RankingExport['scenario'];
	if (q.scenario !== null) {
		const saved = await loadSavedScenarioReport(q.scenario).catch((error: unknown) => {
			console.error('Lecture du scénario impossible :', error);
			return 'unavailable' as const;
		});
		if (saved === 'unavailable') {
			return refusal(503, SCENARIOS_UNAVAILABLE);
		}
		if (saved === null) {
			return refusal(
				404,
				`Aucun scénario enregistré sous l’identifiant « ${q.scenario.slice(0, 40)} » : vérifiez le lien, ou demandez le classement sans « scenario ».`
			);
		}
		// The fiche's context of the scenario: its analysis counts the imported places, its sources
		// end with their line « données importées ».
		analysis = saved.ctx.analysis;
		datasets = saved.ctx.sources;
		// Its deployment simulation too, as its fiche runs it: the same posts in both.
		const posts = postsOf(saved);
		if (posts) analysis = posts.analysis;
		scenario = {
			id: saved.note.id,
			origin: `Scénario « ${saved.note.name} »`,
			imported: saved.note.summary.imported,
			replaced: saved.note.summary.replaced,
			added: posts?.added ?? 0,
			removed: posts?.removed ?? 0,
			text: posts ? `${saved.note.text} ; ${posts.text}` : saved.note.text
		};
	}

	const ranking = rankingSourceOf(analysis);
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
	const data: RankingExport = {
		query: q,
		table,
		positions,
		datasets,
		generatedAt: new Date(),
		geometry: q.format !== 'geojson' ? 'none' : q.niveau === 'commune' ? 'points' : 'polygons',
		...(scenario ? { scenario } : {})
	};

	const provenance = rankingProvenanceHeaders(data);
	if (q.format === 'csv') {
		return new Response(streamChunks(rankingCsvChunks(data)), {
			headers: {
				// RFC 4180 with a header row (`header=present`, RFC 7111 registration).
				'content-type': 'text/csv; charset=utf-8; header=present',
				'content-disposition': `attachment; filename="${rankingFileName(q, 'csv')}"`,
				...provenance
			}
		});
	}
	if (q.format === 'xlsx') {
		const { table: sheet, provenance: sources } = rankingXlsx(data);
		const workbook = await xlsxInWorker(sheet, sources);
		if (!workbook.ok) return workbook.response;
		return new Response(workbook.bytes, {
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
				const c = dataset.communeByCode.get(code);
				return c ? centrePoint(c.lon, c.lat) : null;
			};
		} else {
			const shapes = await polygonsOf(q.niveau);
			geometryOf = (code) => shapes.get(code) ?? null;
		}
		return new Response(streamChunks(rankingGeoJsonChunks(data, geometryOf)), {
			headers: {
				'content-type': 'application/geo+json; charset=utf-8',
				'content-disposition': `attachment; filename="${rankingFileName(q, 'geojson')}"`,
				...provenance
			}
		});
	}
	return new Response(streamChunks(rankingJsonChunks(data)), {
		headers: { 'content-type': 'application/json; charset=utf-8', ...provenance }
	});
}
