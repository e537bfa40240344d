/**
 * The page's commune table comes from the analysis worker (issue 14): one download, one parse and
 * one decode per page, all in the worker; the page receives the decoded records (structured clone).
 * Handler and client on the real artifacts, through an in-process stand-in worker.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalysisClient } from '$lib/workers/analysis/client';
import { createAnalysisHandlers, type AnalysisWorkerState } from '$lib/workers/analysis/handlers';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { inMemoryWorker, type InMemoryWorker } from './in-memory-worker';

/** `fetch` over static/data, counting the requests; `missing` files answer 404. */
function staticFetch(requests: string[] = [], missing: string[] = []): typeof fetch {
	return (async (input: RequestInfo | URL) => {
		const url = String(input);
		requests.push(url);
		if (missing.some((file) => url.endsWith(file))) {
			return new Response('introuvable', { status: 404 });
		}
		return new Response(readFileSync(join('static', url)));
	}) as typeof fetch;
}

const expected = decodeCommuneTable(JSON.parse(readFileSync('static/data/communes.json', 'utf8')));

describe('the commune table from the analysis worker', () => {
	it('handler: reads and decodes once, and answers the table the estimate layer and the ranking read', async () => {
		const requests: string[] = [];
		const state: AnalysisWorkerState = { dataUrl: null };
		const handlers = createAnalysisHandlers(staticFetch(requests), state);
		handlers.init({ dataUrl: '/data' });
		const [first, second] = await Promise.all([handlers.communeTable(), handlers.communeTable()]);
		expect(requests).toEqual(['/data/communes.json', '/data/territoires.json']);
		expect(first.value).toBe(second.value);
		expect(first.value).toBe(await state.communeData);
		expect(first.value.communes).toEqual(expected);
		expect(first.value.territories.epci.length).toBeGreaterThan(1000);
		// No model run to hand over a table.
		expect(first.modelRuns).toBe(second.modelRuns);
	});

	it('client: the page receives the decoded table; a failure names the file in French and is retried', async () => {
		let worker: InMemoryWorker | null = null;
		const requests: string[] = [];
		const missing = ['territoires.json'];
		const client = createAnalysisClient({
			dataUrl: '/data/',
			createWorker: () =>
				(worker = inMemoryWorker(createAnalysisHandlers(staticFetch(requests, missing))))
		});
		await expect(client.communeTable()).rejects.toThrow(
			'Impossible de télécharger /data/territoires.json (erreur HTTP 404)'
		);
		missing.length = 0;
		const { communes, territories } = await client.communeTable();
		expect(communes).toEqual(expected);
		expect(territories.regions).toHaveLength(18);
		expect(worker!.received.map((r) => r.kind)).toEqual(['init', 'communeTable', 'communeTable']);
		// Read again after the failure, and only then.
		expect(requests.filter((url) => url.endsWith('communes.json'))).toHaveLength(2);
		client.dispose();
		await expect(client.communeTable()).rejects.toThrow(
			'Calcul des estimations et du classement arrêté.'
		);
	});
});
