/**
 * The messages between the ranking tab and its Web Worker (`ranking.worker.ts`), and the work the
 * worker does on them, as plain functions so they are tested in Node without a browser.
 *
 * The worker reads the artifacts itself (usually from the HTTP cache: the map fetched
 * `communes.json` and `territoires.json` already), runs the shared analysis (needs estimate,
 * accessibility, ranking rows: a few seconds for 34,875 communes) and keeps the prepared rankings.
 * Each `rank` request is then a weighted sum and a radix sort (a few ms): the worker answers with
 * the rows of the visible page only, and one `Float32Array` of scores aligned with the level's
 * codes (sent once per level) for the map colouring — ~140 kB for the communes, transferred.
 */
import type { Feature, Point } from 'geojson';
import { analyseTerritories, type TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import { CRITERION_IDS, type CriterionId } from '$lib/ranking/criteria';
import { RANK_GROUPS_BY_LEVEL, type RankGroup } from '$lib/ranking/rank';
import {
	epciParentsOf,
	rankTable,
	sortPositions,
	type PreparedCache,
	type RankingSource,
	type SortDirection,
	type SortKey
} from '$lib/ranking/ranked-table';
import type { Weights } from '$lib/ranking/weights';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import {
	ARTIFACTS,
	type MediatorProperties,
	type QpvByCommune,
	type TerritoryIndex
} from '$lib/territory/artifacts';
import type { Level } from '$lib/territory/commune';

/** What the table shows: level, filter, weights, sort and page. */
export interface RankingView {
	level: Level;
	/** Région code or null. */
	region: string | null;
	/** Département code or null. */
	departement: string | null;
	weights: Weights;
	tri: SortKey;
	ordre: SortDirection;
	/** 1-based page. */
	page: number;
}

/** Rows per page of the table. */
export const PAGE_SIZE = 50;

/** Box to fly to, [west, south, east, north] WGS84 degrees. */
export type Box = [number, number, number, number];

/** Half-size of the box flown to around a commune centre, degrees (≈ 3 km north–south). */
const COMMUNE_BOX_HALF_DEG = 0.03;

/** One criterion cell of a row. */
export interface PageCriterion {
	id: CriterionId;
	/** Raw value in the criterion's unit, null when unknown. */
	value: number | null;
	/** Table cell, French formatting (same text as the explanation). */
	text: string;
	weight: number;
	/** Points added to the 0–100 score. */
	contribution: number;
	missing: boolean;
}

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
}

/** Main thread → worker. */
export type RankingWorkerRequest =
	| { type: 'init'; dataUrl: string }
	| { type: 'rank'; id: number; view: RankingView; withCodes: boolean };

/** Worker → main thread. */
export type RankingWorkerResponse =
	| { type: 'ready'; loadMs: number }
	| { type: 'ranked'; id: number; result: RankedPage }
	| { type: 'failure'; id: number | null; message: string };

/** What the worker holds: the analysis and its ranking caches. */
export interface RankingContext {
	analysis: TerritoryAnalysis;
	source: RankingSource;
	cache: PreparedCache;
	/** Index of each code in `rowsAt(level)`, by level. */
	indexByCode: Map<Level, Map<string, number>>;
	/** Box of each territory, by level and code. */
	boxes: Map<Level, Map<string, Box>>;
}

async function fetchJson(fetcher: typeof fetch, url: string): Promise<unknown> {
	let response: Response;
	try {
		response = await fetcher(url);
	} catch (error) {
		throw new Error(
			`Impossible de télécharger ${url} (${error instanceof Error ? error.message : 'erreur réseau'}).`
		);
	}
	if (!response.ok) {
		throw new Error(`Impossible de télécharger ${url} (erreur HTTP ${response.status}).`);
	}
	try {
		return await response.json();
	} catch {
		throw new Error(`Le fichier ${url} n’est pas un JSON valide.`);
	}
}

/**
 * Read the artifacts under `dataUrl` and set up the analysis the ranking reads.
 * @throws Error with a French message naming the file that failed
 */
export async function loadRankingContext(
	fetcher: typeof fetch,
	dataUrl: string
): Promise<RankingContext> {
	const prefix = dataUrl.endsWith('/') ? dataUrl : `${dataUrl}/`;
	const [table, territories, qpv, mediators] = await Promise.all([
		fetchJson(fetcher, `${prefix}${ARTIFACTS.communes}`),
		fetchJson(fetcher, `${prefix}${ARTIFACTS.territories}`),
		fetchJson(fetcher, `${prefix}${ARTIFACTS.qpv}`),
		fetchJson(fetcher, `${prefix}${ARTIFACTS.mediators}`)
	]);
	const features = (mediators as { features?: Feature<Point, MediatorProperties>[] } | null)
		?.features;
	if (!Array.isArray(features)) {
		throw new Error(`Le fichier ${ARTIFACTS.mediators} n’a pas le format attendu (GeoJSON).`);
	}
	const communes = decodeCommuneTable(table);
	const index = territories as TerritoryIndex;
	const analysis = analyseTerritories({
		communes,
		mediators: features,
		territories: index,
		qpv: (qpv ?? {}) as QpvByCommune
	});
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
			epciParents: epciParentsOf(communes)
		},
		cache: new Map(),
		indexByCode: new Map(),
		boxes
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
	const table = rankTable(
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
	let indexByCode = context.indexByCode.get(level);
	if (!indexByCode) {
		indexByCode = new Map(all.map((r, i) => [r.code, i]));
		context.indexByCode.set(level, indexByCode);
	}
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
		ms: performance.now() - started
	};
}

/** What a worker holds between messages. */
export interface RankingWorkerState {
	context?: Promise<RankingContext>;
	/** Id of the newest request received: older ones still waiting for the data are skipped. */
	latest?: number;
}

/**
 * Handle one message in the worker: `init` starts loading the data (once); `rank` waits for it
 * and answers with one `ranked` message. Never throws: failures become `failure` messages.
 * @param post sends a response; `transfer` lists buffers to move rather than copy
 */
export async function handleRankingMessage(
	state: RankingWorkerState,
	message: RankingWorkerRequest,
	post: (response: RankingWorkerResponse, transfer?: Transferable[]) => void,
	fetcher: typeof fetch
): Promise<void> {
	if (message.type === 'init') {
		if (state.context) return;
		const started = Date.now();
		state.context = loadRankingContext(fetcher, message.dataUrl).then((context) => {
			// Build the rows of the most used level now rather than on the first request.
			context.source.preparedAt('commune');
			post({ type: 'ready', loadMs: Date.now() - started });
			return context;
		});
		state.context.catch((error: unknown) => {
			post({
				type: 'failure',
				id: null,
				message: error instanceof Error ? error.message : 'Chargement des données impossible.'
			});
		});
		return;
	}
	state.latest = Math.max(state.latest ?? 0, message.id);
	let context: RankingContext;
	try {
		if (!state.context)
			throw new Error('Données du classement non chargées (message init manquant).');
		context = await state.context;
	} catch (error) {
		post({
			type: 'failure',
			id: message.id,
			message: error instanceof Error ? error.message : 'Chargement des données impossible.'
		});
		return;
	}
	// A newer request arrived while the data loaded: answer only that one.
	if (message.id < (state.latest ?? 0)) return;
	try {
		const result = rankView(context, message.view, message.withCodes);
		post({ type: 'ranked', id: message.id, result }, [result.scores.buffer]);
	} catch (error) {
		post({
			type: 'failure',
			id: message.id,
			message: error instanceof Error ? error.message : 'Classement impossible.'
		});
	}
}
