/**
 * The simulation off the main thread: the worker's message handling (worker-protocol.ts) with the
 * real artifacts read through a stand-in `fetch`, and the runner (run-in-worker.ts) with an
 * in-process stand-in Worker that clones messages like postMessage does.
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
	handleWorkerMessage,
	loadSitingDataset,
	type SitingWorkerRequest,
	type SitingWorkerResponse,
	type WorkerState
} from '$lib/siting/worker-protocol';
import { createSitingRunner, type WorkerLike } from '$lib/siting/run-in-worker';

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

/** Run messages through the handler and collect the answers. */
async function exchange(
	state: WorkerState,
	messages: SitingWorkerRequest[],
	fetcher = staticFetch()
) {
	const answers: SitingWorkerResponse[] = [];
	await Promise.all(
		messages.map((m) => handleWorkerMessage(state, m, (r) => answers.push(r), fetcher))
	);
	await state.context?.catch(() => undefined);
	return answers;
}

describe('worker: loading the data', () => {
	it('reads the three artifacts, builds the same dataset as the server and sends it back once', async () => {
		const requests: string[] = [];
		const answers = await exchange({}, [{ type: 'init', dataUrl: '/data' }], staticFetch(requests));
		expect(requests.sort()).toEqual([
			'/data/communes.json',
			'/data/mediateurs.geojson',
			'/data/territoires.json'
		]);
		expect(answers).toHaveLength(1);
		const ready = answers[0];
		if (ready.type !== 'ready' || !ready.dataset)
			throw new Error('« ready » avec le jeu de données attendu');
		const loaded = ready.dataset;
		expect(loaded.communes.code).toEqual(dataset.communes.code);
		expect(loaded.communes.eloignes).toEqual(dataset.communes.eloignes);
		expect(loaded.communes.accessScore).toEqual(dataset.communes.accessScore);
		expect(loaded.places.id).toEqual(dataset.places.id);
		// The dataset survives a structured clone (what postMessage does).
		expect(structuredClone(loaded).places.supply).toEqual(dataset.places.supply);
	});

	it('says in French which file could not be read', async () => {
		const missing = (async () => new Response('', { status: 404 })) as unknown as typeof fetch;
		await expect(loadSitingDataset(missing, '/data/')).rejects.toThrow(
			/Impossible de télécharger \/data\/(communes\.json|mediateurs\.geojson|territoires\.json) \(erreur HTTP 404\)/
		);
		const state: WorkerState = {};
		const answers = await exchange(state, [{ type: 'init', dataUrl: '/data/' }], missing);
		await Promise.resolve();
		expect(answers).toEqual([
			{ type: 'failure', id: null, message: expect.stringContaining('Impossible de télécharger') }
		]);
	});
});

describe('worker: runs', () => {
	it('answers a run with progress messages then the outcome', async () => {
		const state: WorkerState = {};
		const answers = await exchange(state, [
			{ type: 'init', dataUrl: '/data/', dataset },
			{ type: 'propose', id: 1, params: somme, edits: noEdits }
		]);
		expect(answers[0]).toMatchObject({ type: 'ready', dataset: undefined });
		const progress = answers
			.filter((a) => a.type === 'progress')
			.map((a) => (a as { fraction: number }).fraction);
		expect(progress.length).toBeGreaterThan(3);
		expect(progress.length).toBeLessThanOrEqual(102);
		expect(progress.every((f, i) => i === 0 || f > progress[i - 1])).toBe(true);
		expect(progress.at(-1)).toBe(1);
		const outcome = answers.at(-1)!;
		expect(outcome).toMatchObject({ type: 'outcome', id: 1, outcome: { status: 'done' } });
		if (outcome.type === 'outcome' && outcome.outcome.status === 'done') {
			expect(outcome.outcome.result.sites).toHaveLength(5);
			expect(outcome.outcome.result.communes?.length).toBeGreaterThan(700);
		}
	});

	it('skips a run superseded while the data was loading, and refuses runs before init', async () => {
		const state: WorkerState = {};
		const answers = await exchange(state, [
			{ type: 'init', dataUrl: '/data/', dataset },
			{ type: 'propose', id: 1, params: somme, edits: noEdits },
			{
				type: 'evaluate',
				id: 2,
				params: somme,
				edits: { ...noEdits, added: [{ kind: 'commune', code: '80021' }] }
			}
		]);
		const outcomes = answers.filter((a) => a.type === 'outcome');
		expect(outcomes.map((a) => [a.id, a.type === 'outcome' && a.outcome.status])).toEqual([
			[1, 'cancelled'],
			[2, 'done']
		]);
		const lonely = await exchange({}, [{ type: 'evaluate', id: 7, params: somme, edits: noEdits }]);
		expect(lonely).toEqual([
			{ type: 'failure', id: 7, message: expect.stringContaining('« init » manquant') }
		]);
	});
});

/** An in-process Worker: messages are structured-cloned and delivered on later ticks. */
class FakeWorker implements WorkerLike {
	static created: FakeWorker[] = [];
	readonly received: SitingWorkerRequest[] = [];
	terminated = false;
	private readonly state: WorkerState = {};
	private readonly listeners: ((event: { data: SitingWorkerResponse }) => void)[] = [];

	constructor() {
		FakeWorker.created.push(this);
	}
	postMessage(message: SitingWorkerRequest): void {
		const copy = structuredClone(message);
		this.received.push(copy);
		setTimeout(() => {
			if (this.terminated) return;
			void handleWorkerMessage(
				this.state,
				copy,
				(r) => {
					const answer = structuredClone(r);
					setTimeout(() => !this.terminated && this.listeners.forEach((l) => l({ data: answer })));
				},
				staticFetch()
			);
		});
	}
	addEventListener(type: 'message' | 'error', listener: (event: never) => void): void {
		if (type === 'message')
			this.listeners.push(listener as (event: { data: SitingWorkerResponse }) => void);
	}
	terminate(): void {
		this.terminated = true;
	}
}

describe('runner', () => {
	it('runs, supersedes, and restarts a busy worker with the dataset of the first', async () => {
		FakeWorker.created = [];
		const runner = createSitingRunner({ dataUrl: '/data/', createWorker: () => new FakeWorker() });
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
		expect(FakeWorker.created[0].received[0]).toEqual({ type: 'init', dataUrl: '/data/' });

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
		const init = FakeWorker.created[1].received[0] as { type: 'init'; dataset?: SitingDataset };
		expect(init.type).toBe('init');
		expect(init.dataset?.communes.code).toHaveLength(dataset.communes.code.length);

		// cancel() resolves the run in flight as cancelled.
		const fifth = runner.propose(somme, noEdits);
		runner.cancel();
		expect((await fifth).status).toBe('cancelled');
		runner.dispose();
		expect(FakeWorker.created.every((w) => w.terminated)).toBe(true);
	});
});
