/**
 * The ranking tab off the main thread: the worker's message handling (workers/analysis/ranking-handler.ts) on the
 * real artifacts read through a stand-in `fetch`, checked against the shared ranked table, and the
 * client's coalescing of rapid requests (ranking-client.ts) with an in-process stand-in Worker.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { rankTable } from '$lib/ranking/ranked-table';
import { defaultRankingView } from '$lib/ranking-ui/ranking-params';

vi.mock('$lib/ranking-ui/ranking.worker?worker', () => ({ default: class {} }));

const { createRankingClient } = await import('$lib/ranking-ui/ranking-client');
const { handleRankingMessage, loadRankingContext, PAGE_SIZE, rankView } =
	await import('$lib/workers/analysis/ranking-handler');
type Protocol = typeof import('$lib/workers/analysis/ranking-handler');
type Response = Parameters<Parameters<Protocol['handleRankingMessage']>[2]>[0];

/** `fetch` over static/data, counting the requests. */
function staticFetch(requests: string[] = []): typeof fetch {
	return (async (input: RequestInfo | URL) => {
		const url = String(input);
		requests.push(url);
		try {
			return new Response(readFileSync(`static/data/${url.replace(/^\/data\//, '')}`));
		} catch {
			return new Response('introuvable', { status: 404 });
		}
	}) as typeof fetch;
}

const communes = decodeCommuneTable(JSON.parse(readFileSync('static/data/communes.json', 'utf8')));
const communesOf80 = communes.filter((c) => c.dep === '80').length;
const context = await loadRankingContext(staticFetch(), '/data');

const somme = { ...defaultRankingView(), departement: '80' };

describe('rankView', () => {
	it('ranks the communes of the Somme: one page of rows, every score for the map', () => {
		const page = rankView(context, somme, true);
		expect(page.size).toBe(communesOf80);
		expect(page.pageCount).toBe(Math.ceil(communesOf80 / PAGE_SIZE));
		expect(page.rows).toHaveLength(PAGE_SIZE);
		expect(page.rows.map((r) => r.position)).toEqual(
			Array.from({ length: PAGE_SIZE }, (_, i) => i + 1)
		);
		// Same rows as the shared ranked table the API reads.
		const table = rankTable(
			context.source,
			{
				level: 'commune',
				filter: { region: null, departement: '80' },
				weights: somme.weights,
				group: 'france',
				normalisation: 'filtre'
			},
			new Map()
		);
		expect(page.rows.map((r) => r.code)).toEqual(
			Array.from({ length: PAGE_SIZE }, (_, p) => table.rowAt(p).territory.code)
		);
		expect(page.rows[0].explanation).toBe(table.rowAt(0).explanation);
		expect(page.rows[0].explanation).toMatch(/^Classée 1re du département/);
		expect(page.rows.every((r) => r.bbox !== null && r.code.startsWith('80'))).toBe(true);
		// The contributions add up to the score.
		const first = page.rows[0];
		expect(first.criteria.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(first.score, 6);
		// Map values: one per commune of France, NaN outside the Somme.
		expect(page.codes).toHaveLength(communes.length);
		const inFilter = page.codes!.filter((_, i) => !Number.isNaN(page.scores[i]));
		expect(inFilter).toHaveLength(communesOf80);
		expect(inFilter.every((code) => code.startsWith('80'))).toBe(true);
		const at = page.codes!.indexOf(first.code);
		expect(page.scores[at]).toBeCloseTo(first.score, 3);
		expect(Math.max(...page.scores.filter((s) => !Number.isNaN(s)))).toBeCloseTo(first.score, 3);
	});

	it('re-orders when a weight changes, sorts by a column and clamps the page', () => {
		const before = rankView(context, somme, false);
		expect(before.codes).toBeNull();
		const distanceOnly = rankView(
			context,
			{
				...somme,
				weights: {
					...somme.weights,
					eloignes: 0,
					part: 0,
					acces: 0,
					fibre: 0,
					mobile: 0,
					qpv: 0,
					rural: 0,
					pauvrete: 0,
					distance: 5
				}
			},
			false
		);
		expect(distanceOnly.rows.map((r) => r.code)).not.toEqual(before.rows.map((r) => r.code));
		const km = distanceOnly.rows.map((r) => r.criteria.find((c) => c.id === 'distance')!.value!);
		expect(km[0]).toBeGreaterThanOrEqual(km[PAGE_SIZE - 1]);

		const byName = rankView(context, { ...somme, tri: 'nom', ordre: 'asc' }, false);
		const names = byName.rows.map((r) => r.nom);
		expect(names).toEqual(
			[...names].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base', numeric: true }))
		);

		const far = rankView(context, { ...somme, page: 9999 }, false);
		expect(far.page).toBe(far.pageCount);
		expect(far.rows.length).toBe(communesOf80 - (far.pageCount - 1) * PAGE_SIZE);
	});
});

describe('handleRankingMessage', () => {
	it('loads once, answers only the newest request received while loading, transfers the scores', async () => {
		const requests: string[] = [];
		const posted: { response: Response; transfer?: Transferable[] }[] = [];
		const state = {};
		const post = (response: Response, transfer?: Transferable[]) =>
			posted.push({ response, transfer });
		const fetcher = staticFetch(requests);
		await handleRankingMessage(state, { type: 'init', dataUrl: '/data/' }, post, fetcher);
		await handleRankingMessage(state, { type: 'init', dataUrl: '/data/' }, post, fetcher);
		await Promise.all([
			handleRankingMessage(
				state,
				{ type: 'rank', id: 1, view: somme, withCodes: true },
				post,
				fetcher
			),
			handleRankingMessage(
				state,
				{ type: 'rank', id: 2, view: { ...somme, page: 2 }, withCodes: true },
				post,
				fetcher
			)
		]);
		expect(requests).toHaveLength(4);
		expect(posted.map((p) => p.response.type)).toEqual(['ready', 'ranked']);
		const answer = posted[1];
		expect(answer.response.type === 'ranked' && answer.response.id).toBe(2);
		expect(answer.response.type === 'ranked' && answer.response.result.page).toBe(2);
		expect(answer.transfer?.[0]).toBeInstanceOf(ArrayBuffer);
	});

	it('reports a missing file in French', async () => {
		const posted: Response[] = [];
		const state = {};
		const broken = (async () => new Response('non', { status: 404 })) as unknown as typeof fetch;
		await handleRankingMessage(
			state,
			{ type: 'init', dataUrl: '/data' },
			(r) => posted.push(r),
			broken
		);
		await handleRankingMessage(
			state,
			{ type: 'rank', id: 1, view: somme, withCodes: false },
			(r) => posted.push(r),
			broken
		);
		expect(
			posted.some(
				(r) =>
					r.type === 'failure' &&
					r.id === 1 &&
					/Impossible de télécharger \/data\/communes\.json \(erreur HTTP 404\)/.test(r.message)
			)
		).toBe(true);
	});
});

describe('createRankingClient', () => {
	it('sends one request at a time and only the newest of those that waited', async () => {
		const sent: { type: string; id?: number; view?: { page: number } }[] = [];
		let listener: ((event: { data: Response }) => void) | null = null;
		const worker = {
			postMessage: (m: { type: string; id?: number; view?: { page: number } }) => sent.push(m),
			addEventListener: (type: string, l: (event: { data: Response }) => void) => {
				if (type === 'message') listener = l;
			},
			terminate: () => {}
		};
		const client = createRankingClient({ dataUrl: '/data/', createWorker: () => worker as never });
		const outcomes = [1, 2, 3, 4].map((page) => client.rank({ ...somme, page }, false));
		expect(sent.map((m) => m.type)).toEqual(['init', 'rank']);
		const answer = (id: number) =>
			listener!({
				data: {
					type: 'ranked',
					id,
					result: rankView(context, { ...somme, page: sent.at(-1)!.view!.page }, false)
				}
			});
		answer(sent[1].id!);
		// Pages 2 and 3 were replaced by page 4 while page 1 was computed.
		expect(sent.map((m) => m.view?.page)).toEqual([undefined, 1, 4]);
		answer(sent[2].id!);
		const results = await Promise.all(outcomes);
		expect(results.map((o) => o.status)).toEqual(['ranked', 'superseded', 'superseded', 'ranked']);
		expect(results[3].status === 'ranked' && results[3].result.page).toBe(4);
		client.dispose();
	});
});
