/**
 * The ranking tab off the main thread: the analysis worker's ranking (workers/analysis/) on the
 * real artifacts read through a stand-in `fetch`, checked against the shared ranked table, and the
 * client's coalescing of rapid requests (latest wins) with an in-process stand-in Worker.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { rankTable } from '$lib/ranking/ranked-table';
import { defaultRankingView } from '$lib/ranking/view-params';

import { createAnalysisClient } from '$lib/workers/analysis/client';
import { createAnalysisHandlers } from '$lib/workers/analysis/handlers';
import { loadRankingContext, PAGE_SIZE, rankView } from '$lib/workers/analysis/ranking-handler';
import { inMemoryWorker, type InMemoryWorker } from './in-memory-worker';

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

describe('the analysis worker’s rank handler', () => {
	it('loads once, ranks each request and transfers the scores', async () => {
		const requests: string[] = [];
		const handlers = createAnalysisHandlers(staticFetch(requests));
		handlers.init({ dataUrl: '/data/' });
		handlers.init({ dataUrl: '/data/' });
		let transfer: Transferable[] = [];
		const context = {
			progress: () => undefined,
			transfer: (...list: Transferable[]) => (transfer = list)
		};
		const [first, second] = await Promise.all([
			handlers.rank({ view: somme, withCodes: true, scenario: null }, context),
			handlers.rank({ view: { ...somme, page: 2 }, withCodes: true, scenario: null }, context)
		]);
		expect(requests).toHaveLength(4);
		expect(first.value.page).toBe(1);
		expect(second.value.page).toBe(2);
		expect(transfer[0]).toBe(second.value.scores.buffer);
	});

	it('reports a missing file in French', async () => {
		const broken = (async () => new Response('non', { status: 404 })) as unknown as typeof fetch;
		const handlers = createAnalysisHandlers(broken);
		handlers.init({ dataUrl: '/data' });
		await expect(
			handlers.rank(
				{ view: somme, withCodes: false, scenario: null },
				{ progress: () => undefined, transfer: () => undefined }
			)
		).rejects.toThrow(/^Impossible de télécharger \/data\/[a-z]+\.(geo)?json \(erreur HTTP 404\)/);
	});
});

describe('the analysis client’s rankings', () => {
	it('sends one ranking at a time and only the newest of those that waited', async () => {
		let worker: InMemoryWorker | null = null;
		const client = createAnalysisClient({
			dataUrl: '/data/',
			createWorker: () =>
				(worker = inMemoryWorker(
					createAnalysisHandlers(staticFetch(), {
						dataUrl: '/data/',
						ranking: Promise.resolve(context)
					})
				))
		});
		const outcomes = [1, 2, 3, 4].map((page) => client.rank({ ...somme, page }, false));
		const results = await Promise.all(outcomes);
		expect(results.map((o) => o.status)).toEqual([
			'superseded',
			'superseded',
			'superseded',
			'ranked'
		]);
		expect(results[3].status === 'ranked' && results[3].result.page).toBe(4);
		// Pages 2 and 3 were never sent; page 4 waited for page 1's answer.
		const sent = worker!.received.map((r) => [
			r.kind,
			(r.payload as { view?: { page: number } }).view?.page
		]);
		expect(sent).toEqual([
			['init', undefined],
			['rank', 1],
			['rank', 4]
		]);
		client.dispose();
	});
});
