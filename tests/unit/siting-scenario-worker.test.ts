/**
 * The simulation off the main thread: the worker's handlers (workers/siting/handler.ts) with the
 * real artifacts read through a stand-in `fetch`, its dataset sent by the analysis worker over a
 * MessageChannel (workers/siting/dataset-port.ts), and the runner (workers/siting/client.ts) with
 * an in-process stand-in Worker that clones messages like postMessage does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadServerAnalysis } from '$lib/server/analysis';
import {
	buildSitingDataset,
	defaultScenarioParams,
	type ScenarioParams,
	type SitingDataset
} from '$lib/siting/scenario';
import {
	createSitingHandlers,
	loadSitingDataset,
	type SitingRun,
	type WorkerState
} from '$lib/workers/siting/handler';
import { createSitingRunner } from '$lib/workers/siting/client';
import { answerRequest, type RpcRequest, type RpcWorker } from '$lib/workers/rpc';
import { countModelRuns, createAnalysisHandlers } from '$lib/workers/analysis/handlers';

/** `fetch` over static/data, counting the requests. */
function staticFetch(requests: string[] = []): typeof fetch {
	return (async (input: RequestInfo | URL) => {
		const url = String(input);
		requests.push(url);
		const name = url.replace(/^\/data\//, '');
		try {
			return new Response(readFileSync(`static/data/${name}`));
		} catch {
			return new Response('introuvable', { status: 404 });
		}
	}) as typeof fetch;
}

const { analysis } = await loadServerAnalysis();
const dataset = buildSitingDataset(analysis);
const somme: ScenarioParams = {
	...defaultScenarioParams({ level: 'departement', code: '80' }),
	n: 5
};
const noEdits = { proposed: [], added: [], removed: [] };

/** A run's progress, recorded. */
function recordProgress(fractions: number[] = []) {
	return { progress: (f: number) => fractions.push(f), transfer: () => undefined };
}

describe('worker: loading the data', () => {
	it('reads the three artifacts, builds the same dataset as the server and sends it back once', async () => {
		const requests: string[] = [];
		const handlers = createSitingHandlers(staticFetch(requests));
		const ready = await handlers.load({ dataUrl: '/data' });
		expect(requests.sort()).toEqual([
			'/data/communes.json',
			'/data/mediateurs.geojson',
			'/data/territoires.json'
		]);
		if (!ready.dataset) throw new Error('jeu de données attendu');
		const loaded = ready.dataset;
		expect(loaded.communes.code).toEqual(dataset.communes.code);
		expect(loaded.communes.eloignes).toEqual(dataset.communes.eloignes);
		expect(loaded.communes.accessScore).toEqual(dataset.communes.accessScore);
		expect(loaded.places.id).toEqual(dataset.places.id);
		// The dataset survives a structured clone (what postMessage does).
		expect(structuredClone(loaded).places.supply).toEqual(dataset.places.supply);
		// Loaded once: a second load answers without the dataset.
		expect((await handlers.load({ dataUrl: '/data' })).dataset).toBeUndefined();
	});

	it('says in French which file could not be read', async () => {
		const missing = (async () => new Response('', { status: 404 })) as unknown as typeof fetch;
		await expect(loadSitingDataset(missing, '/data/')).rejects.toThrow(
			/Impossible de télécharger \/data\/(communes\.json|mediateurs\.geojson|territoires\.json) \(erreur HTTP 404\)/
		);
		await expect(createSitingHandlers(missing).load({ dataUrl: '/data/' })).rejects.toThrow(
			'Impossible de télécharger'
		);
	});
});

describe('worker: runs', () => {
	it('answers a run with progress then the outcome', async () => {
		const handlers = createSitingHandlers(staticFetch());
		expect((await handlers.load({ dataUrl: '/data/', dataset })).dataset).toBeUndefined();
		const progress: number[] = [];
		const answer = await handlers.run(
			{ mode: 'propose', seq: 1, params: somme, edits: noEdits },
			recordProgress(progress)
		);
		expect(progress.length).toBeGreaterThan(3);
		expect(progress.length).toBeLessThanOrEqual(102);
		expect(progress.every((f, i) => i === 0 || f > progress[i - 1])).toBe(true);
		expect(progress.at(-1)).toBe(1);
		expect(answer.outcome.status).toBe('done');
		if (answer.outcome.status === 'done') {
			expect(answer.outcome.result.sites).toHaveLength(5);
			expect(answer.outcome.result.communes?.length).toBeGreaterThan(700);
		}
	});

	it('skips a run superseded while the data was loading, and refuses runs before load', async () => {
		const state: WorkerState = {};
		const handlers = createSitingHandlers(staticFetch(), state);
		const loading = handlers.load({ dataUrl: '/data/', dataset });
		const runs: SitingRun[] = [
			{ mode: 'propose', seq: 1, params: somme, edits: noEdits },
			{
				mode: 'evaluate',
				seq: 2,
				params: somme,
				edits: { ...noEdits, added: [{ kind: 'commune', code: '80021' }] }
			}
		];
		const answers = await Promise.all(runs.map((r) => handlers.run(r, recordProgress())));
		await loading;
		expect(answers.map((a) => a.outcome.status)).toEqual(['cancelled', 'done']);
		await expect(
			createSitingHandlers(staticFetch()).run(
				{ mode: 'evaluate', seq: 7, params: somme, edits: noEdits },
				recordProgress()
			)
		).rejects.toThrow('« load » manquante');
	});
});

describe('worker: the dataset from the analysis worker', () => {
	// One analysis worker's state for the page: its analysis is built once, here.
	const analysisRequests: string[] = [];
	const analysisWorker = createAnalysisHandlers(staticFetch(analysisRequests), {
		dataUrl: '/data/'
	});

	it('is built once from the analysis worker’s analysis and sent worker to worker, also to a successor', async () => {
		const before = countModelRuns();
		const sitingRequests: string[] = [];
		const first = new MessageChannel();
		const [sent, loaded] = await Promise.all([
			analysisWorker.sitingDataset({ port: first.port1 }),
			createSitingHandlers(staticFetch(sitingRequests)).load({
				dataUrl: '/data/',
				analysis: first.port2,
				places: true
			})
		]);
		// The analysis worker read the artifacts and ran the model once; the siting worker nothing.
		expect(sent.modelRuns).toBe(before + 1);
		expect(loaded.modelRuns).toBe(before + 1);
		expect(sitingRequests).toEqual([]);
		expect(analysisRequests.filter((url) => url.endsWith('communes.json'))).toHaveLength(1);
		// The page is told the places only; the dataset stays in the workers.
		expect(loaded.dataset).toBeUndefined();
		expect(loaded.places?.id).toEqual(dataset.places.id);
		expect(loaded.places?.lon).toEqual(dataset.places.lon);

		// A cancelled run's successor: a new channel, the same dataset, no new read or model run.
		const second = new MessageChannel();
		const state: WorkerState = {};
		const [, reloaded] = await Promise.all([
			analysisWorker.sitingDataset({ port: second.port1 }),
			createSitingHandlers(staticFetch(sitingRequests), state).load({
				dataUrl: '/data/',
				analysis: second.port2
			})
		]);
		expect(reloaded.places).toBeUndefined();
		expect(countModelRuns()).toBe(before + 1);
		expect(analysisRequests.filter((url) => url.endsWith('communes.json'))).toHaveLength(1);
		// The same dataset as the server's (same artifacts, same analysis).
		const received = (await state.context!).dataset;
		expect(received.communes.code).toEqual(dataset.communes.code);
		expect(received.communes.eloignes).toEqual(dataset.communes.eloignes);
		expect(received.communes.accessScore).toEqual(dataset.communes.accessScore);
		expect(received.places.supply).toEqual(dataset.places.supply);
	});

	it('says in French why, on both sides, when the analysis worker cannot build it', async () => {
		const missing = (async () => new Response('', { status: 404 })) as unknown as typeof fetch;
		const broken = createAnalysisHandlers(missing, { dataUrl: '/data/' });
		const channel = new MessageChannel();
		const [sent, loaded] = await Promise.allSettled([
			broken.sitingDataset({ port: channel.port1 }),
			createSitingHandlers(staticFetch()).load({ dataUrl: '/data/', analysis: channel.port2 })
		]);
		const message =
			/^Données de la simulation indisponibles : Impossible de télécharger \/data\/\S+ \(erreur HTTP 404\)/;
		expect(sent.status === 'rejected' && (sent.reason as Error).message).toMatch(message);
		expect(loaded.status === 'rejected' && (loaded.reason as Error).message).toMatch(message);
	});

	it('runner: each worker gets the dataset over a new channel; the page is told the places once and the workers’ model runs in all', async () => {
		FakeWorker.created = [];
		const connected: MessagePort[] = [];
		const places: number[] = [];
		const runs: number[] = [];
		const runner = createSitingRunner({
			dataUrl: '/data/',
			createWorker: () => new FakeWorker(),
			connectAnalysis: async (port) => {
				connected.push(port);
				try {
					await analysisWorker.sitingDataset({ port });
					return null;
				} catch (error) {
					return (error as Error).message;
				}
			},
			onDataset: () => {
				throw new Error('no dataset through the page when the analysis worker sends it');
			},
			onPlaces: (p) => places.push(p.id.length),
			onModelRuns: (n) => runs.push(n)
		});
		const first = await runner.propose({ ...somme, n: 2 }, noEdits);
		expect(first.status).toBe('done');
		// A run superseded while computing: the worker is replaced; its successor gets a channel too.
		const second = runner.propose(somme, noEdits);
		const third = runner.evaluate(somme, noEdits);
		expect((await second).status).toBe('cancelled');
		expect((await third).status).toBe('done');
		expect(FakeWorker.created).toHaveLength(2);
		expect(connected).toHaveLength(2);
		const loads = FakeWorker.created.map((w) => w.received[0]);
		expect(loads.map((r) => r.kind)).toEqual(['load', 'load']);
		expect(loads.map((r) => (r.payload as { places?: boolean }).places)).toEqual([true, false]);
		expect(places).toEqual([dataset.places.id.length]);
		// Each worker's own count, summed (in Node both share one timeline: twice the same).
		expect(runs).toHaveLength(2);
		expect(runs[1]).toBe(2 * runs[0]);
		runner.dispose();
	});

	it('runner: a run fails in French when the analysis worker cannot send the dataset', async () => {
		FakeWorker.created = [];
		const runner = createSitingRunner({
			dataUrl: '/data/',
			createWorker: () => new FakeWorker(),
			// The analysis worker stopped (the page is going away): nothing comes on the channel.
			connectAnalysis: () => Promise.resolve('Calcul des estimations et du classement arrêté.')
		});
		expect(await runner.propose(somme, noEdits)).toEqual({
			status: 'failed',
			message: 'Calcul des estimations et du classement arrêté.'
		});
		expect(FakeWorker.created[0].terminated).toBe(true);
		runner.dispose();
	});
});

/** An in-process Worker: messages are structured-cloned (`transfer` moved) and delivered on later ticks. */
class FakeWorker implements RpcWorker {
	static created: FakeWorker[] = [];
	readonly received: RpcRequest[] = [];
	terminated = false;
	private readonly handlers = createSitingHandlers(staticFetch());
	private readonly listeners: ((event: never) => void)[] = [];

	constructor() {
		FakeWorker.created.push(this);
	}
	postMessage(message: RpcRequest, transfer: Transferable[] = []): void {
		const copy = structuredClone(message, { transfer });
		this.received.push(copy);
		setTimeout(() => {
			if (this.terminated) return;
			void answerRequest(this.handlers, copy, (r) => {
				const data = structuredClone(r);
				setTimeout(() => !this.terminated && this.listeners.forEach((l) => l({ data } as never)));
			});
		});
	}
	addEventListener(type: string, listener: (event: never) => void): void {
		if (type === 'message') this.listeners.push(listener);
	}
	terminate(): void {
		this.terminated = true;
	}
}

describe('runner', () => {
	it('runs, supersedes, and restarts a busy worker with the dataset of the first', async () => {
		FakeWorker.created = [];
		const datasets: SitingDataset[] = [];
		const runner = createSitingRunner({
			dataUrl: '/data/',
			createWorker: () => new FakeWorker(),
			onDataset: (d) => datasets.push(d)
		});
		const fractions: number[] = [];
		// Two requests before the data is loaded: the first is superseded, the worker is kept.
		const first = runner.propose(somme, noEdits);
		const second = runner.propose({ ...somme, n: 2 }, noEdits, (f) => fractions.push(f));
		expect(await first).toEqual({ status: 'cancelled', message: 'Simulation annulée.' });
		const done = await second;
		expect(done.status).toBe('done');
		if (done.status === 'done') expect(done.result.sites).toHaveLength(2);
		expect(fractions.at(-1)).toBe(1);
		expect(FakeWorker.created).toHaveLength(1);
		expect(FakeWorker.created[0].received[0]).toMatchObject({
			kind: 'load',
			payload: { dataUrl: '/data/' }
		});

		// Now the worker is ready: superseding a run terminates it and seeds a new one.
		const third = runner.propose(somme, noEdits);
		const svelteLike = new Proxy({ ...noEdits, added: [{ kind: 'commune', code: '80021' }] }, {});
		const fourth = runner.evaluate(somme, svelteLike as typeof noEdits);
		expect((await third).status).toBe('cancelled');
		const evaluated = await fourth;
		expect(evaluated.status).toBe('done');
		if (evaluated.status === 'done') expect(evaluated.result.sites[0].code_commune).toBe('80021');
		expect(FakeWorker.created).toHaveLength(2);
		expect(FakeWorker.created[0].terminated).toBe(true);
		// The page is told the dataset once, from the first worker.
		expect(datasets).toHaveLength(1);
		const load = FakeWorker.created[1].received[0];
		expect(load.kind).toBe('load');
		expect((load.payload as { dataset?: SitingDataset }).dataset?.communes.code).toHaveLength(
			dataset.communes.code.length
		);

		// cancel() resolves the run in flight as cancelled.
		const fifth = runner.propose(somme, noEdits);
		runner.cancel();
		expect((await fifth).status).toBe('cancelled');
		runner.dispose();
		expect(FakeWorker.created.every((w) => w.terminated)).toBe(true);
	});
});
